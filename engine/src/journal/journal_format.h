// The journal file's bytes: encoding a commit, and decoding and checking one. No policy here
// (when to write, what to replay): journal.h writes, recovery.h settles.
//
// Header (64 bytes, little-endian):
//   0  "XBJOURN1"   8  format version (1)   12  state (0 empty, 1 committed)
//  16  body length  24  body CRC-32         28  files in the body
//  32  commit sequence of this journal      40  1 + its commit flag's slot in the journal
//  marker (recovery.h; 0: none, as journals of earlier releases)   44  reserved (zero)
//  60  CRC-32 of bytes 0..59
// Body, per file: u16 name length, name (UTF-8, relative to the folder), u8 flags (1: cut to
// the size that follows), u64 size, u32 extent count, then per extent u64 offset, u32 length,
// the new bytes, u32 length of the old bytes (shorter when the file ended inside the range),
// the old bytes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xbase/file.h"

namespace xbase::journal {

// One file's part of a commit: its name in the folder, the size it was cut to (if it was),
// the bytes written by offset, and what those ranges held before (as far as the file reached:
// a range past the old end has a shorter before-image). Recovery writes the new bytes only
// where every range still holds either its old or its new bytes.
struct FileChange {
  std::string name;
  std::optional<uint64_t> truncate_to;
  const std::map<uint64_t, std::vector<uint8_t>>* extents = nullptr;
  std::map<uint64_t, std::vector<uint8_t>> before;
};

namespace format {

inline constexpr size_t kHeaderSize = 64;
// Header offsets.
inline constexpr size_t kMagicAt = 0, kVersionAt = 8, kStateAt = 12, kBodyLengthAt = 16,
                        kBodyCrcAt = 24, kFilesAt = 28, kSequenceAt = 32, kFlagSlotAt = 40,
                        kHeaderCrcAt = 60;
inline constexpr char kMagic[8] = {'X', 'B', 'J', 'O', 'U', 'R', 'N', '1'};
inline constexpr uint32_t kVersion = 1;
enum State : uint32_t { kEmpty = 0, kCommitted = 1 };

struct Header {
  uint32_t state = kEmpty;
  uint64_t body_length = 0;
  uint32_t body_crc = 0;
  uint32_t files = 0;
  uint64_t sequence = 0;
  uint32_t flag_slot = 0;  // 1 + the slot of the owner's commit flag in the marker; 0: none
};

uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc = 0);

std::array<uint8_t, kHeaderSize> encode_header(const Header& h);
// The header, when the bytes are one (a torn or foreign file is not).
std::optional<Header> decode_header(const uint8_t* b, size_t n);
std::optional<Header> read_header(File& f);

// A whole committed journal (header and body) for `changes`, as commit `sequence`. Throws
// Errc::usage / overflow naming `journal` when a name or an extent does not fit the format.
std::vector<uint8_t> encode_commit(const std::vector<FileChange>& changes, uint64_t sequence,
                                   const std::string& journal, uint32_t flag_slot = 0);

// A committed journal's body, checked whole; nothing when it is not one.
std::optional<std::vector<uint8_t>> committed_body(File& f);

struct ParsedExtent {
  uint64_t off;
  const uint8_t* after;
  uint32_t after_len;
  const uint8_t* before;
  uint32_t before_len;
};
struct ParsedFile {
  std::string name;
  std::optional<uint64_t> cut;
  std::vector<ParsedExtent> extents;  // pointing into the body
};
// The files of a checked body; throws Errc::corrupt naming `journal` and the offset when it
// does not parse although its checksum matched.
std::vector<ParsedFile> parse_body(const std::filesystem::path& journal, const std::vector<uint8_t>& body);

}  // namespace format
}  // namespace xbase::journal

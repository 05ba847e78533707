// The DBF header and field descriptors: parsing (tolerant, validated) and building.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memo/memo_kind.h"
#include "xbase/error.h"
#include "xbase/file.h"
#include "xbase/schema.h"

namespace xbase::dbf {

struct VersionInfo {
  Format format;
  memo::MemoKind memo;  // the memo file this version byte implies
  const char* name;
};

// Describes a version byte; throws Error(format/unsupported) naming the file for the rest.
VersionInfo describe_version(uint8_t version, const std::string& file);

struct Header {
  uint8_t version = 0;
  VersionInfo info{};
  uint8_t yy = 0, mm = 0, dd = 0;  // last update, raw
  uint32_t count = 0;
  uint16_t header_len = 0;
  uint16_t record_len = 0;
  uint8_t flags = 0;
  uint8_t cp_mark = 0;
  std::vector<Field> fields;     // every descriptor, _NullFlags included
  int nullflags = -1;            // index of _NullFlags in fields, -1 when absent
  std::vector<uint8_t> raw;      // the header bytes as read or built (header_len bytes)
  // dBASE II's layout (8-byte header, 16-byte descriptors, 16-bit count at offset 1): read
  // only, since every header write of the engine uses dBASE III's offsets.
  bool dbase2 = false;
  // Offset of field i's descriptor in the file (for error messages and autoinc updates).
  static uint64_t descriptor_offset(size_t i) { return 32 + 32 * uint64_t(i); }
};

// dBASE II's fixed header size: 8 bytes, 32 descriptors of 16 bytes, the 0x0D terminator.
constexpr size_t kDbase2HeaderLen = 8 + 32 * 16 + 1;

// Reads and validates the header of an open DBF file. Warnings for tolerated oddities.
// One read of the first kHeaderReadAhead bytes holds the header of almost every table (a
// second read fetches the rest of a longer one): on a share each read is a round trip.
// `prefix`, when given, receives the bytes of that first read (the start of the file).
constexpr size_t kHeaderReadAhead = 8192;
Header read_header(File& f, std::vector<Warning>& warnings, std::vector<uint8_t>* prefix = nullptr);

// Parses a header from bytes (used by read_header and the fuzz target).
Header parse_header(const uint8_t* data, size_t size, const std::string& file,
                    std::vector<Warning>& warnings);

// Computes offsets, adds _NullFlags where VFP needs it, assigns null/length bits, validates
// types for the format. Returns the record length.
uint16_t layout_fields(std::vector<Field>& fields, Format format);

// Builds a complete header (descriptors, terminator, VFP backlink) for a new table.
Header build_header(Format format, std::vector<Field> user_fields, uint8_t cp_mark);

// The year of a header's last-update date: >= 100 is dBASE's years-since-1900; below that, a
// two-digit year windowed around `this_year` (as FoxPro writes them).
int expand_year(uint8_t yy, int this_year);

// Writes the last-update date and record count into the header bytes 1..7.
void stamp_header(Header& h, Format format, int year, int month, int day);

}  // namespace xbase::dbf

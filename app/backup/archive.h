// Reading a backup ZIP, which is untrusted input (it travelled to the accountant and back,
// through cloud folders and mail). Everything is checked before anything is written: entry
// names (nothing absolute, no drive letters, backslashes, "..", symlinks, names outside what a
// backup holds, no name twice, also not in another case), the number of entries, the bytes
// they unpack to, the compression ratio, the compression method and encryption, and the
// manifest, which must list exactly the entries there are. Unpacking then checks each
// entry's CRC (libzip), size and SHA-256 against the manifest, and writes only below the
// folder it is given.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backup/manifest.h"

namespace invoicing::backup {

struct ArchiveLimits {
  uint64_t max_entries = 200000;
  uint64_t max_total_bytes = uint64_t(64) << 30;  // what all entries unpack to
  uint64_t max_entry_bytes = uint64_t(16) << 30;
  uint64_t max_manifest_bytes = 16u << 20;
  // Unpacked / packed size of an entry larger than `ratio_from` bytes (deflate reaches about
  // 1000 at most; zip bombs use other methods, which are refused, or many entries).
  uint64_t max_ratio = 1100;
  uint64_t ratio_from = 1u << 20;
};

struct ArchiveEntry {
  std::string name;
  uint64_t size = 0, packed = 0;
};

class BackupArchive {
 public:
  // Opens and checks the archive (throws UserError naming the file and what is wrong).
  static std::unique_ptr<BackupArchive> open_file(const std::filesystem::path& zip, const ArchiveLimits& l = {});
  // The same from bytes in memory (the fuzz target).
  static std::unique_ptr<BackupArchive> open_memory(std::string bytes, const ArchiveLimits& l = {});
  ~BackupArchive();

  const Manifest& manifest() const { return manifest_; }
  const std::vector<ArchiveEntry>& entries() const { return entries_; }  // the manifest not included
  // Reads an entry whole, checking CRC, size and SHA-256; `sink` gets its bytes in pieces.
  void read(const std::string& name, const std::function<void(const char*, size_t)>& sink);
  // Unpacks every entry below `to` (which must exist), each checked as read() checks it.
  void extract_all(const std::filesystem::path& to);

  struct Impl;

 private:
  explicit BackupArchive(std::unique_ptr<Impl> im);
  void check_entries();
  std::unique_ptr<Impl> im_;
  std::string label_;
  ArchiveLimits limits_;
  Manifest manifest_;
  std::vector<ArchiveEntry> entries_;
};

}  // namespace invoicing::backup

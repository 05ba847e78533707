// What the backup tests share: the invoicing program run in a temp folder of its own
// (local settings there, not the user's), the backup a folder has, a folder's bytes, and
// archives rebuilt from a real backup with an entry changed or added (hostile ones).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "test_util.h"

namespace backup_test {

using xbase::test::RunResult;
using xbase::test::TempDir;

RunResult run(const TempDir& d, const std::vector<std::string>& args, const std::string& env = "");
// The only .zip in `dir`.
std::filesystem::path only_zip(const std::filesystem::path& dir);
// Every file below `dir` (relative name -> bytes).
std::map<std::string, std::string> folder_bytes(const std::filesystem::path& dir);

struct ZipEntry {
  std::string name;
  std::string bytes;
  uint32_t unix_mode = 0100644;  // S_IFLNK | 0777 makes a symbolic link
  bool store = false;            // stored instead of deflated
};
std::vector<ZipEntry> read_zip(const std::filesystem::path& zip);
void write_zip(const std::filesystem::path& zip, const std::vector<ZipEntry>& entries);
// The entries with the manifest's size and SHA-256 of every file set to match the entries
// (so that a test changes one thing only), optionally changing the manifest's JSON first.
void fix_manifest(std::vector<ZipEntry>& entries, const std::function<void(std::string& json)>& edit = {});

}  // namespace backup_test

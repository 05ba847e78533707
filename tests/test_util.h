// Helpers shared by the tests: temp folders, the shared/ folder, reading files.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "xbase/file.h"

namespace xbase::test {

// The real file system with fsync turned into a no-op: for tests of logic (not durability)
// that would otherwise spend their time waiting for the disk.
FileSystem& no_sync_fs();

// A fresh, empty folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::filesystem::path shared_dir();    // ../shared beside the repository
std::filesystem::path binary_dir();    // the CMake build folder
std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& bytes);
// Copies `from` (a file) and its companions with the same stem into `dir`; returns the copy.
std::filesystem::path copy_table(const std::filesystem::path& from, const std::filesystem::path& dir);
std::vector<std::string> split(const std::string& s, char sep);

}  // namespace xbase::test

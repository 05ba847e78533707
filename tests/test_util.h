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
// Moves a DBF's header date to another day of the month than the one it holds (a table
// created today, then dated another day: its next change writes the date stamp again).
void date_dbf_another_day(const std::filesystem::path& dbf);
// Copies `from` (a file) and its companions with the same stem into `dir`; returns the copy.
std::filesystem::path copy_table(const std::filesystem::path& from, const std::filesystem::path& dir);
std::vector<std::string> split(const std::string& s, char sep);
// The engine's journals in `dir` (`*.xbj`), and those of them that hold a commit (not empty: a
// journal left empty is a spare the next process takes, docs/transactions.md).
size_t journal_files(const std::filesystem::path& dir);
size_t journals_holding_commits(const std::filesystem::path& dir);

// A program run as a user runs it from a shell: its exit code and what it printed.
struct RunResult {
  int rc = -1;
  std::string out, err;
};
// 'text' quoted for /bin/sh.
std::string shell_quote(const std::string& text);
// Runs `program args...` (each argument quoted) with `env` ("NAME=value ..." assignments, as
// given) in front, its output kept in files in `scratch`. Throws when it did not exit.
RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::filesystem::path& scratch, const std::string& env = "");

}  // namespace xbase::test

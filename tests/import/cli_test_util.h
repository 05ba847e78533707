// Helpers of the tests that drive `invoicing import` and `invoicing export` as a user does:
// a data folder made by `invoicing init`, the program run with local settings of its own,
// and the folder's files compared before and after.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "test_util.h"

namespace invoicing::import::test {

// A scratch folder with a fresh company data folder in it ("firma").
class Company {
 public:
  explicit Company(const std::string& name = "firma");
  const std::filesystem::path& scratch() const { return dir_.path(); }
  const std::filesystem::path& data() const { return data_; }
  std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }
  // `invoicing ARGS... --data DATA`.
  xbase::test::RunResult run(std::vector<std::string> args) const;
  // `invoicing export WHAT` as CSV on stdout (fails the test when the export fails).
  std::string export_csv(const std::string& what) const;

 private:
  xbase::test::TempDir dir_;
  std::filesystem::path data_;
};

// Every file under `dir` by relative path and content, but the seats table: opening a folder to
// work in it takes a seat (who, process, since), which is not company data.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir);

// The lines of a CSV export without the BOM, split at CRLF (quoted line breaks are LF only
// in these tests' data, so a record is one line unless its note has one).
std::vector<std::string> csv_lines(const std::string& csv);

}  // namespace invoicing::import::test

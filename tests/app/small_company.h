// A small company made on the command line for the tests of what leaves the program: the
// seller's data complete (address, VAT and enterprise numbers, IBAN), two customers (Belgian
// French-speaking business, Dutch business) and two articles; the local settings of its own.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace invoicing::test {

class SmallCompany {
 public:
  SmallCompany();
  // `invoicing ARGS --data FOLDER` with this company's local settings.
  xbase::test::RunResult run(std::vector<std::string> args) const;
  // A final invoice to `customer` with one line of `article`; returns its document id.
  int invoice(const std::string& customer, const std::string& article, const std::string& qty = "2") const;
  // The document as users name it ("INV 2026/0001"), as `doc show --json` says.
  std::string label(int id) const;
  // Changes a customer's field in the data as an older program or an import could have left
  // it (the command line refuses such values).
  void corrupt_customer(const std::string& code, std::string_view field, const std::string& value) const;
  // The same for a field of line `line_no` of document `doc`.
  void corrupt_line(int doc, int line_no, std::string_view field, const std::string& value) const;

  const std::filesystem::path& data() const { return data_; }
  const xbase::test::TempDir& dir() const { return dir_; }
  std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }

 private:
  xbase::test::TempDir dir_;
  std::filesystem::path data_;
};

// The document id in `doc new --json` / `doc convert --json` output.
int json_id(const std::string& out);

}  // namespace invoicing::test

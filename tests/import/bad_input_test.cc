// Files that cannot be imported: each gives a message naming the file (and the row or part)
// and no plan at all.
#include <catch2/catch.hpp>

#include "import/import_plan.h"
#include "import_test_util.h"

using namespace invoicing::import;
using invoicing::import::test::import_error;
using invoicing::import::test::run_python;
using xbase::test::TempDir;
using xbase::test::write_file;

namespace {
std::string plan_error(const std::filesystem::path& p, ImportOptions o = {}) {
  return import_error([&] { build_import_plan(p, o); });
}
}  // namespace

TEST_CASE("Bad input: empty, blank, header-only", "[import][bad]") {
  TempDir dir;
  write_file(dir / "empty.csv", "");
  CHECK_THAT(plan_error(dir / "empty.csv"), Catch::Contains("empty.csv: the file is empty"));
  write_file(dir / "blank.csv", "\xEF\xBB\xBF\r\n\r\n;;\r\n");
  CHECK_THAT(plan_error(dir / "blank.csv"), Catch::Contains("blank.csv: holds no rows"));
  write_file(dir / "header.csv", "Naam;Gemeente\r\n\r\n");
  CHECK_THAT(plan_error(dir / "header.csv"),
             Catch::Contains("header.csv: only a header row (row 1), no data rows"));
}

TEST_CASE("Bad input: binary files and mixed encodings", "[import][bad]") {
  TempDir dir;
  std::string png = "\x89PNG\r\n\x1A\n";
  png += std::string("\0\0\0\rIHDR", 8);
  write_file(dir / "logo.csv", png);
  CHECK_THAT(plan_error(dir / "logo.csv"),
             Catch::Contains("logo.csv: not a text file: a NUL byte at offset 8"));
  std::string controls = "Naam\n";
  for (int i = 0; i < 100; ++i) controls += "\x01\x02\x03\x04 x\n";
  write_file(dir / "ctl.csv", controls);
  CHECK_THAT(plan_error(dir / "ctl.csv"), Catch::Contains("ctl.csv: not a text file"));
  // "Café" in UTF-8 on line 2, in Windows-1252 on line 3.
  write_file(dir / "mixed.csv", "Naam\nCaf\xC3\xA9\nCaf\xE9\n");
  CHECK_THAT(plan_error(dir / "mixed.csv"), Catch::Contains("mixed.csv: mixes encodings") &&
                                                Catch::Contains("line 2") &&
                                                Catch::Contains("line 3"));
  // 0x81 has no character in Windows-1252.
  write_file(dir / "neither.csv",
             "Naam\nA\x81"
             "B\n");
  CHECK_THAT(plan_error(dir / "neither.csv"),
             Catch::Contains("neither UTF-8 nor Windows-1252: byte 0x81 at line 2"));
  write_file(dir / "bom.csv", "\xEF\xBB\xBFNaam\nCaf\xE9\n");
  CHECK_THAT(plan_error(dir / "bom.csv"), Catch::Contains("not valid UTF-8 at line 2"));
  write_file(dir / "open.csv", "Naam;Opmerking\nJan;\"nooit gesloten\n");
  CHECK_THAT(plan_error(dir / "open.csv"),
             Catch::Contains("open.csv: line 2: a quoted field is not closed"));
  write_file(dir / "fake.xlsx", "PK\x03\x04 not really a zip archive at all");
  CHECK_THAT(plan_error(dir / "fake.xlsx"), Catch::Contains("fake.xlsx: not a readable XLSX"));
  write_file(dir / "fake.xls",
             std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'));
  CHECK_THAT(plan_error(dir / "fake.xls"), Catch::Contains("fake.xls:"));
}

TEST_CASE("Bad input: an unclosed quote cannot swallow the memory", "[import][bad]") {
  TempDir dir;
  std::string text = "Naam;Opmerking\nJan;\"";
  text += std::string(3 << 20, 'x');
  text += "\"\n";
  write_file(dir / "long.csv", text);
  CHECK_THAT(plan_error(dir / "long.csv"),
             Catch::Contains("long.csv: line 2: a record longer than 1048576 bytes"));
}

TEST_CASE("Bad input: a ZIP bomb stops at the ratio limit", "[import][bad]") {
  TempDir dir;
  run_python("make_bad_xlsx.py", {"bomb", (dir / "bomb.xlsx").string()}, dir.path());
  CHECK_THAT(plan_error(dir / "bomb.xlsx"),
             Catch::Contains("bomb.xlsx: xl/worksheets/sheet1.xml: inflates more than 200 times"));
  ImportOptions o;
  o.read.limits.max_ratio = 100000;
  o.read.limits.max_entry_bytes = 50 << 20;
  CHECK_THAT(plan_error(dir / "bomb.xlsx", o),
             Catch::Contains("inflates past the limit of 52428800 bytes") ||
                 Catch::Contains("more than the limit of 52428800"));
}

TEST_CASE("Bad input: broken shared strings", "[import][bad]") {
  TempDir dir;
  run_python("make_bad_xlsx.py", {"broken_sst", (dir / "sst.xlsx").string()}, dir.path());
  CHECK_THAT(
      plan_error(dir / "sst.xlsx"),
      Catch::Contains("sst.xlsx: xl/sharedStrings.xml: is broken") && Catch::Contains("line 1"));
}

TEST_CASE("Bad input: a sheet of 1,048,576 rows streams up to the row cap", "[import][bad]") {
  TempDir dir;
  run_python("make_bad_xlsx.py", {"rows", "1048576", (dir / "rows.xlsx").string()}, dir.path());
  CHECK_THAT(plan_error(dir / "rows.xlsx"),
             Catch::Contains("rows.xlsx: more than 200000 data rows (row 200002 and on)"));
  ImportOptions small;
  small.max_rows = 10;
  CHECK_THAT(plan_error(dir / "rows.xlsx", small), Catch::Contains("more than 10 data rows"));
}

// The encoding scan stopped counting UTF-8 at the first byte that was not UTF-8, so a line
// holding "Caf\xE9" (Windows-1252) before "Belgi\xC3\xAB" (UTF-8) was read as Windows-1252 and
// the UTF-8 turned into "BelgiÃ«".
TEST_CASE("Regression: mixed encodings are found when the Windows-1252 byte comes first",
          "[import][bad]") {
  TempDir dir;
  write_file(dir / "mixed2.csv", "Naam;Land\nCaf\xE9;Belgi\xC3\xAB\n");
  CHECK_THAT(plan_error(dir / "mixed2.csv"),
             Catch::Contains("mixed2.csv: mixes encodings: UTF-8 text (line 2) and bytes that "
                             "are not UTF-8 (line 2, offset 13)"));
}

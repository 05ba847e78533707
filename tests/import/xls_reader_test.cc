// Excel 97-2003 files written by xlwt, read through FreeXL.
#include <catch2/catch.hpp>

#include "import_test_util.h"

using namespace invoicing::import;
using invoicing::import::test::import_error;
using invoicing::import::test::read_all;
using invoicing::import::test::run_python;
using xbase::test::TempDir;

TEST_CASE("XLS by xlwt: text, numbers, dates and sheets", "[import][xls]") {
  TempDir dir;
  run_python("make_xlwt.py", {(dir / "a.xls").string()}, dir.path());
  auto reader = open_sheet(dir / "a.xls");
  CHECK(reader->format().type == "xls");
  CHECK(reader->format().sheet == "Articles");
  CHECK(reader->format().sheets == std::vector<std::string>{"Articles", "Notes"});
  auto rows = read_all(dir / "a.xls");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells[1].value == "Libell\xC3\xA9");
  CHECK(rows[1].cells[1].value ==
        "Vis inox 4\xC3\x97"
        "40");
  CHECK(rows[1].cells[3].kind == CellKind::number);
  CHECK(rows[1].cells[3].value == "0.1235");
  CHECK(rows[1].cells[4].value == "21");
  CHECK(rows[1].cells[6].kind == CellKind::date);
  CHECK(rows[1].cells[6].value == "2023-01-31");
  CHECK(rows[2].cells[3].value == "34.95");
  CHECK(rows[2].cells[5].value == "-2");
  CHECK(rows[2].cells[6].value == "2024-02-29");

  ReadOptions notes;
  notes.sheet = "Notes";
  auto second = read_all(dir / "a.xls", notes);
  REQUIRE(second.size() == 2);
  CHECK(second[1].cells[0].value == "Tweede blad");
  notes.sheet = "Nope";
  CHECK_THAT(import_error([&] { open_sheet(dir / "a.xls", notes); }),
             Catch::Contains("a.xls") && Catch::Contains("no sheet named 'Nope'"));
}

// XLSX files written by openpyxl (inline strings, dates through number formats, booleans,
// sparse cells, a second sheet, the 1904 date system) and by libxlsxwriter (shared strings).
#include <xlsxwriter.h>

#include <catch2/catch.hpp>

#include "import/xlsx_workbook.h"
#include "import_test_util.h"

using namespace invoicing::import;
using invoicing::import::test::import_error;
using invoicing::import::test::read_all;
using invoicing::import::test::run_python;
using xbase::test::TempDir;

TEST_CASE("XLSX by openpyxl: types, dates, sparse rows, sheets", "[import][xlsx]") {
  TempDir dir;
  run_python("make_openpyxl.py", {"customers", (dir / "c.xlsx").string()}, dir.path());
  auto reader = open_sheet(dir / "c.xlsx");
  CHECK(reader->format().type == "xlsx");
  CHECK(reader->format().sheet == "Klanten");
  CHECK(reader->format().sheets == std::vector<std::string>{"Klanten", "Leveranciers"});

  auto rows = read_all(dir / "c.xlsx");
  REQUIRE(rows.size() == 4);
  const auto& r2 = rows[1].cells;
  CHECK(rows[1].number == 2);
  CHECK(r2[0].kind == CellKind::text);
  CHECK(r2[5].value == "Belgi\xC3\xAB");
  CHECK(r2[8].kind == CellKind::number);
  CHECK(r2[8].value == "30");
  CHECK(r2[10].kind == CellKind::date);
  CHECK(r2[10].value == "2019-03-15");
  CHECK(r2[11].kind == CellKind::boolean);
  CHECK(r2[11].value == "1");
  CHECK(r2[12].value == "2.5");
  const auto& r3 = rows[2].cells;
  CHECK(r3[3].kind == CellKind::number);
  CHECK(r3[3].value == "1000");
  CHECK(r3[6].kind == CellKind::empty);
  CHECK(r3[10].value == "2021-12-31 18:30:00");
  CHECK(r3[11].value == "0");
  CHECK(r3[12].value == "0.1");
  // Row 6 after two missing rows: its number as Excel shows it, column I in place.
  CHECK(rows[3].number == 6);
  REQUIRE(rows[3].cells.size() == 9);
  CHECK(rows[3].cells[2].kind == CellKind::empty);
  CHECK(rows[3].cells[8].value == "60");

  ReadOptions other;
  other.sheet = "Leveranciers";
  auto sup = read_all(dir / "c.xlsx", other);
  REQUIRE(sup.size() == 2);
  CHECK(sup[0].cells[2].value == "N\xC2\xB0 TVA");
  CHECK(sup[1].cells[1].value == "Grossiste Lambert");

  other.sheet = "Artikels";
  CHECK_THAT(import_error([&] { open_sheet(dir / "c.xlsx", other); }),
             Catch::Contains("no sheet named 'Artikels'") &&
                 Catch::Contains("'Klanten', 'Leveranciers'") && Catch::Contains("c.xlsx"));
}

TEST_CASE("XLSX by openpyxl: the 1904 date system", "[import][xlsx]") {
  TempDir dir;
  run_python("make_openpyxl.py", {"epoch1904", (dir / "m.xlsx").string()}, dir.path());
  auto rows = read_all(dir / "m.xlsx");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells[1].kind == CellKind::date);
  CHECK(rows[1].cells[1].value == "2020-02-29");
}

TEST_CASE("XLSX by libxlsxwriter: shared strings, and inline strings in its streaming mode",
          "[import][xlsx]") {
  TempDir dir;
  for (bool constant_memory : {false, true}) {
    std::string path = (dir / (constant_memory ? "cm.xlsx" : "ss.xlsx")).string();
    lxw_workbook_options opts = {};
    opts.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &opts);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Artikelen");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    worksheet_write_string(ws, 0, 0, "Artikelcode", nullptr);
    worksheet_write_string(ws, 0, 1, "Omschrijving", nullptr);
    worksheet_write_string(ws, 0, 2, "Prijs", nullptr);
    worksheet_write_string(ws, 0, 3, "Sinds", nullptr);
    worksheet_write_string(ws, 1, 0, "P-1", nullptr);
    worksheet_write_string(ws, 1, 1, "Pils \"Gouden\" <33 cl> & co", nullptr);
    worksheet_write_number(ws, 1, 2, 1.15, nullptr);
    lxw_datetime dt = {2024, 2, 29, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 3, &dt, date);
    worksheet_write_string(ws, 2, 0, "P-2", nullptr);
    worksheet_write_string(ws, 2, 1, "Pils \"Gouden\" <33 cl> & co", nullptr);  // shared twice
    worksheet_write_boolean(ws, 2, 2, 1, nullptr);
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);

    auto rows = read_all(path);
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].cells[1].value == "Pils \"Gouden\" <33 cl> & co");
    CHECK(rows[2].cells[1].value == rows[1].cells[1].value);
    CHECK(rows[1].cells[2].value == "1.15");
    CHECK(rows[1].cells[3].kind == CellKind::date);
    CHECK(rows[1].cells[3].value == "2024-02-29");
    CHECK(rows[2].cells[2].kind == CellKind::boolean);
  }
}

TEST_CASE("Number formats: which show dates", "[import][xlsx]") {
  CHECK(number_style(14, "") == NumberStyle::date);
  CHECK(number_style(22, "") == NumberStyle::date);
  CHECK(number_style(20, "") == NumberStyle::time);
  CHECK(number_style(46, "") == NumberStyle::time);
  CHECK(number_style(0, "") == NumberStyle::number);
  CHECK(number_style(4, "") == NumberStyle::number);
  CHECK(number_style(164, "dd/mm/yyyy") == NumberStyle::date);
  CHECK(number_style(164, "[$-813]d\\ mmmm\\ yyyy;@") == NumberStyle::date);
  CHECK(number_style(164, "mmm-yy") == NumberStyle::date);
  CHECK(number_style(164, "h:mm") == NumberStyle::time);
  CHECK(number_style(164, "#,##0.00 \"days\"") == NumberStyle::number);
  CHECK(number_style(164, "[Red]#,##0.00") == NumberStyle::number);
  CHECK(number_style(164, "#,##0.00\\ [$\xE2\x82\xAC-813]") == NumberStyle::number);
  CHECK(number_style(164, "0.00_);\\(0.00\\)") == NumberStyle::number);
  CHECK(number_style(164, "General") == NumberStyle::number);
}

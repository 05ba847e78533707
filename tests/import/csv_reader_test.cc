// Delimited text files as old programs export them: Windows-1252 with ';' and decimal
// commas, UTF-8 with a BOM, quoted fields holding separators and line breaks, UTF-16 text
// from Excel's "Unicode text".
#include <catch2/catch.hpp>

#include "import_test_util.h"

using namespace invoicing::import;
using invoicing::import::test::read_all;
using xbase::test::TempDir;
using xbase::test::write_file;

TEST_CASE("CSV: Windows-1252 with ';' and decimal commas", "[import][csv]") {
  TempDir dir;
  // "Café Fédéral" and "Désiré" in Windows-1252: é is 0xE9, the euro sign 0x80.
  write_file(dir / "k.csv",
             "Code;Nom;Prix\r\n"
             "A1;Caf\xE9 F\xE9"
             "d\xE9ral;1.234,56\r\n"
             "A2;D\xE9sir\xE9 \x80;12,5\r\n");
  auto reader = open_sheet(dir / "k.csv");
  CHECK(reader->format().type == "csv");
  CHECK(reader->format().encoding == "Windows-1252");
  CHECK(reader->format().separator == ';');
  auto rows = read_all(dir / "k.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].number == 2);
  CHECK(rows[1].cells[1].value ==
        "Caf\xC3\xA9 F\xC3\xA9"
        "d\xC3\xA9ral");
  CHECK(rows[1].cells[2].value == "1.234,56");
  CHECK(rows[2].cells[1].value == "D\xC3\xA9sir\xC3\xA9 \xE2\x82\xAC");
}

TEST_CASE("CSV: UTF-8 with BOM, quoted fields with separators, quotes and line breaks",
          "[import][csv]") {
  TempDir dir;
  write_file(dir / "q.csv",
             "\xEF\xBB\xBFName,Street,Note\n"
             "\"Smith, John\",\"Main St 1\",\"line one\nline two\"\n"
             "\"He said \"\"hi\"\"\",,last\n"
             "\n"
             "Plain,\"\",\"x\"\n");
  auto reader = open_sheet(dir / "q.csv");
  CHECK(reader->format().encoding == "UTF-8 with BOM");
  CHECK(reader->format().separator == ',');
  auto rows = read_all(dir / "q.csv");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].cells[0].value == "Name");  // the BOM is not part of the first header
  CHECK(rows[1].cells[0].value == "Smith, John");
  CHECK(rows[1].cells[2].value == "line one\nline two");
  CHECK(rows[2].number == 4);  // the record above took two lines
  CHECK(rows[2].cells[0].value == "He said \"hi\"");
  CHECK(rows[2].cells[1].kind == CellKind::empty);
  CHECK(rows[3].number == 6);  // the blank line is skipped, not renumbered
  CHECK(rows[3].cells[1].kind == CellKind::empty);
}

TEST_CASE("CSV: tab-separated UTF-16 text as Excel saves 'Unicode text'", "[import][csv]") {
  TempDir dir;
  std::u16string text = u"Naam\tGemeente\r\nJos\u00E9\tLi\u00E8ge\r\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t c : text) {
    bytes += static_cast<char>(c & 0xFF);
    bytes += static_cast<char>(c >> 8);
  }
  write_file(dir / "u.txt", bytes);
  auto reader = open_sheet(dir / "u.txt");
  CHECK(reader->format().encoding == "UTF-16LE");
  CHECK(reader->format().separator == '\t');
  auto rows = read_all(dir / "u.txt");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells[0].value == "Jos\xC3\xA9");
  CHECK(rows[1].cells[1].value == "Li\xC3\xA8ge");
}

TEST_CASE("CSV: the separator is the one that splits the header most", "[import][csv]") {
  TempDir dir;
  write_file(dir / "s.csv", "Code;Naam;Prijs\nA;B, C;1,5\n");
  CHECK(open_sheet(dir / "s.csv")->format().separator == ';');
  write_file(dir / "t.csv", "Code\tNaam\tPrijs\nA\tB;C\t1,5\n");
  CHECK(open_sheet(dir / "t.csv")->format().separator == '\t');
  write_file(dir / "one.csv", "Naam\nJan\n");
  CHECK(open_sheet(dir / "one.csv")->format().separator == 0);
  CHECK(read_all(dir / "one.csv").size() == 2);
  ReadOptions forced;
  forced.separator = ',';
  auto rows = read_all(dir / "s.csv", forced);
  CHECK(rows[1].cells.size() == 3);  // "A;B", " C;1", "5"
}

TEST_CASE("CSV: records longer than a read chunk and files without a final line break",
          "[import][csv]") {
  TempDir dir;
  std::string note(200000, 'x');
  std::string text = "Naam;Opmerking\r\n";
  for (int i = 0; i < 50; ++i) text += "Klant " + std::to_string(i) + ";\"" + note + "\"\r\n";
  text += "Laatste;zonder einde";
  write_file(dir / "big.csv", text);
  auto rows = read_all(dir / "big.csv");
  REQUIRE(rows.size() == 52);
  CHECK(rows[50].cells[1].value.size() == note.size());
  CHECK(rows[51].cells[1].value == "zonder einde");
  CHECK(rows[51].number == 52);
}

TEST_CASE("CSV: the DOS end-of-file mark after the last line is not data", "[import][csv]") {
  TempDir dir;
  write_file(dir / "dos.csv", "Naam;Plaats\r\nJan;Gent\r\n\x1A");
  auto rows = read_all(dir / "dos.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells[1].value == "Gent");
}

// The separator was guessed from the first line only: a title line above the table ("Klanten
// 2024") has none, so the whole file was read as one column.
TEST_CASE("Regression: a title line without separators does not decide the separator",
          "[import][csv]") {
  TempDir dir;
  write_file(dir / "title.csv",
             "Klantenlijst 2024\r\n\r\nKlantnr;Naam;BTW\r\n1;Een;BE0403199702\r\n");
  auto reader = open_sheet(dir / "title.csv");
  CHECK(reader->format().separator == ';');
  auto rows = read_all(dir / "title.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].cells.size() == 3);
}

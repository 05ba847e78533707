// The dry-run text and the problem report (CSV for Excel, formulas neutralised).
#include "import/import_report.h"

#include <catch2/catch.hpp>

#include "import_test_util.h"

using namespace invoicing::import;
using xbase::test::read_file;
using xbase::test::TempDir;
using xbase::test::write_file;

TEST_CASE("Report cells: quoting and formula injection", "[import][report]") {
  CHECK(csv_cell("plain") == "plain");
  CHECK(csv_cell("a;b") == "\"a;b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
  CHECK(csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_cell("+32 9 123") == "'+32 9 123");
  CHECK(csv_cell("-5") == "'-5");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("\tx") == "'\tx");
  CHECK(csv_cell("") == "");
}

TEST_CASE("Report: the problems as CSV, and the dry run", "[import][report]") {
  TempDir dir;
  write_file(dir / "k.csv",
             "Klantcode;Naam;E-mail;Telefoon;Fax\n"
             "K1;Jansen;jan@jansen.be;09 123 45 67;x\n"
             "K2;=1+2;niet-geldig;09 123 45 67;x\n"
             "K3;Peeters;@evil;+32 9 123 45 67;x\n");
  ImportPlan plan = build_import_plan(dir / "k.csv", {});
  REQUIRE(plan.problems.size() == 2);
  std::string csv = problems_csv(plan);
  CHECK(csv.rfind("\xEF\xBB\xBFrow;column;value;reason\r\n", 0) == 0);
  CHECK_THAT(csv,
             Catch::Contains("3;E-mail;niet-geldig;'niet-geldig' is not an e-mail address\r\n"));
  CHECK_THAT(csv, Catch::Contains("4;E-mail;'@evil;"));
  write_problems_csv(plan, dir / "report.csv");
  CHECK(read_file(dir / "report.csv") == csv);
  // The name "=1+2" is a valid name; the dry run shows it as it will be stored.
  std::string text = dry_run_text(plan);
  CHECK_THAT(text, Catch::Contains("k.csv"));
  CHECK_THAT(text, Catch::Contains("UTF-8, separator ';'"));
  CHECK_THAT(text, Catch::Contains("Klantcode") && Catch::Contains("-> code"));
  CHECK_THAT(text, Catch::Contains("Ignored:  Fax"));
  CHECK_THAT(text, Catch::Contains("3 read, 1 to import, 2 with problems"));
  CHECK_THAT(text, Catch::Contains("jan@jansen.be"));
  CHECK_THAT(text, Catch::Contains("row 3, E-mail"));
}

TEST_CASE("Dry run: at most the first 20 rows", "[import][report]") {
  TempDir dir;
  std::string text = "Naam\n";
  for (int i = 1; i <= 30; ++i) text += "Klant nummer " + std::to_string(i) + "\n";
  write_file(dir / "k.csv", text);
  ImportPlan plan = build_import_plan(dir / "k.csv", {});
  std::string dry = dry_run_text(plan);
  CHECK_THAT(dry, Catch::Contains("First 20 rows"));
  CHECK_THAT(dry, Catch::Contains("Klant nummer 20"));
  CHECK_THAT(dry, !Catch::Contains("Klant nummer 21"));
  CHECK_THAT(dry, Catch::Contains("made from the name"));
}

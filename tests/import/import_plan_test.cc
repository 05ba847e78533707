// Whole imports: a file read, mapped and checked into an import plan.
#include "import/import_plan.h"

#include <catch2/catch.hpp>

#include "import_test_util.h"

using namespace invoicing::import;
using invoicing::import::test::import_error;
using invoicing::import::test::run_python;
using xbase::test::TempDir;
using xbase::test::write_file;

namespace {
const Problem* problem_on(const ImportPlan& plan, uint64_t row) {
  for (const auto& p : plan.problems) {
    if (p.row == row) return &p;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("Plan: French Windows-1252 customers with decimal commas and problems",
          "[import][plan]") {
  TempDir dir;
  write_file(dir / "clients.csv",
             "Code client;Nom;Adresse;Code postal;Localit\xE9;Pays;N\xB0 TVA;Courriel;"
             "D\xE9lai de paiement;Langue;Fax\r\n"
             "C1;Caf\xE9 F\xE9"
             "d\xE9ral;Rue Haute 12;1000;Bruxelles;Belgique;0403.199.702;"
             "contact@federal.be;30 jours;Fran\xE7"
             "ais;02 123 45 67\r\n"
             "C2;Boulangerie Dupont;;;;France;;pas-une-adresse;15;fr;\r\n"
             "C1;Doublon;;;;BE;;;;;\r\n"
             ";;;;;;;;;;\r\n"
             "C4;\"Ma\xEEtre \"\"Chocolatier\"\"\";;;;Pays-Bas;;;400;nl;\r\n");
  ImportOptions o;
  o.target = Target::customers;
  ImportPlan plan = build_import_plan(dir / "clients.csv", o);
  CHECK(plan.format.encoding == "Windows-1252");
  CHECK(plan.format.separator == ';');
  CHECK(plan.rows_read == 4);
  CHECK(plan.mapping.unmapped() == std::vector<std::string>{"Fax"});
  REQUIRE(plan.rows.size() == 1);
  const ImportRow& r = plan.rows[0];
  CHECK(r.source_row() == 2);
  CHECK(r.get("name") ==
        "Caf\xC3\xA9 F\xC3\xA9"
        "d\xC3\xA9ral");
  CHECK(r.get("vat") == "BE0403199702");
  CHECK(r.get("country") == "BE");
  CHECK(r.integer("terms") == 30);
  CHECK(r.get("lang") == "fr");
  CHECK_FALSE(r.code_generated());
  CHECK(plan.rows_rejected == 3);
  const Problem* p3 = problem_on(plan, 3);
  REQUIRE(p3);
  CHECK(p3->column == "Courriel");
  CHECK(p3->value == "pas-une-adresse");
  const Problem* p4 = problem_on(plan, 4);
  REQUIRE(p4);
  CHECK(p4->column == "Code client");
  CHECK_THAT(p4->reason, Catch::Contains("also on row 2"));
  const Problem* p6 = problem_on(plan, 6);
  REQUIRE(p6);
  CHECK(p6->column == "D\xC3\xA9lai de paiement");
  CHECK(p6->value == "400");
  CHECK_THAT(p6->reason, Catch::Contains("0 to 365"));
  CHECK_THROWS_AS(r.get("colour"), std::out_of_range);
}

TEST_CASE("Plan: codes made from names, unique in the file and against existing ones",
          "[import][plan]") {
  TempDir dir;
  write_file(dir / "k.csv",
             "Naam;Gemeente\n"
             "Brasserie 't Fonteintje;Gent\n"
             "Brasserie 't Fonteintje;Brugge\n"
             "\xC3\x89picerie Fine;Li\xC3\xA8ge\n"
             "!!!;Aalst\n");
  ImportOptions o;
  o.existing_codes = {"brasseriet"};  // compared upper case
  ImportPlan plan = build_import_plan(dir / "k.csv", o);
  CHECK(plan.codes_generated);
  REQUIRE(plan.rows.size() == 4);
  // "BRASSERIETFONTEINTJE" cut to the 10 characters of the code; a number replaces the end
  // where that is taken.
  CHECK(plan.rows[0].get("code") == "BRASSERIE2");
  CHECK(plan.rows[1].get("code") == "BRASSERIE3");
  CHECK(plan.rows[2].get("code") == "EPICERIEFI");
  CHECK(plan.rows[3].get("code") == "C");
  CHECK(plan.rows[0].code_generated());
  CHECK(plan.rows[1].get("city") == "Brugge");
}

TEST_CASE("Plan: generated codes avoid the codes given further down the file", "[import][plan]") {
  TempDir dir;
  write_file(dir / "k.csv", "Code;Naam\n;Jansen\nJANSEN;Jansen en Zonen\n");
  ImportPlan plan = build_import_plan(dir / "k.csv", {});
  REQUIRE(plan.rows.size() == 2);
  CHECK(plan.rows[0].get("code") == "JANSEN2");
  CHECK(plan.rows[0].code_generated());
  CHECK(plan.rows[1].get("code") == "JANSEN");
  CHECK_FALSE(plan.rows[1].code_generated());
}

TEST_CASE("Plan: duplicates by VAT number, required values, rows as the user sees them",
          "[import][plan]") {
  TempDir dir;
  write_file(dir / "k.csv",
             "Klantenlijst 2024\n"
             "\n"
             "Klantnr;Naam;BTW\n"
             "1;Een;BE0403199702\n"
             "2;;BE0822894253\n"
             "3;Drie;BE 0403.199.702\n");
  ImportPlan plan = build_import_plan(dir / "k.csv", {});
  CHECK(plan.header_row == 3);  // the title line above the table is not the header
  REQUIRE(plan.rows.size() == 1);
  CHECK(plan.rows[0].source_row() == 4);
  const Problem* p5 = problem_on(plan, 5);
  REQUIRE(p5);
  CHECK(p5->column == "Naam");
  CHECK_THAT(p5->reason, Catch::Contains("name is required"));
  const Problem* p6 = problem_on(plan, 6);
  REQUIRE(p6);
  CHECK(p6->column == "BTW");
  CHECK_THAT(p6->reason, Catch::Contains("BE0403199702 is also on row 4"));
}

TEST_CASE("Plan: articles, the decimal mark detected from the values", "[import][plan]") {
  TempDir dir;
  // ',' separates fields; "1.234" alone could be either, the unambiguous "2.5" decides.
  write_file(dir / "a.csv",
             "Item code,Description,Unit price,VAT %,Stocked\n"
             "P1,Widget,1.234,21,yes\n"
             "P2,Gadget,2.5,6%,no\n");
  ImportOptions o;
  o.target = Target::articles;
  ImportPlan plan = build_import_plan(dir / "a.csv", o);
  CHECK(plan.decimal_mark == '.');
  CHECK(plan.decimal_mark_detected);
  REQUIRE(plan.rows.size() == 2);
  CHECK(plan.rows[0].get("price") == "1.234");
  CHECK(plan.rows[0].decimal("price")->to_string() == "1.234");
  CHECK(plan.rows[0].boolean("stocked") == true);
  CHECK(plan.rows[1].get("vat_rate") == "6");

  // ';' and a comma in another row: "1.234" is a thousand two hundred and thirty-four.
  write_file(dir / "b.csv", "Artikelcode;Omschrijving;Prijs\nP1;Moer;1.234\nP2;Bout;0,25\n");
  ImportPlan b = build_import_plan(dir / "b.csv", o);
  CHECK(b.decimal_mark == ',');
  REQUIRE(b.rows.size() == 2);
  CHECK(b.rows[0].get("price") == "1234");
  // Given, the mark is not guessed.
  o.decimal_mark = '.';
  ImportPlan c = build_import_plan(dir / "b.csv", o);
  CHECK_FALSE(c.decimal_mark_detected);
  CHECK(c.rows[0].get("price") == "1.234");
}

TEST_CASE("Plan: an explicit mapping and a profile", "[import][plan]") {
  TempDir dir;
  write_file(dir / "s.csv", "Lev;Benaming;Contact\nL1;Lambert NV;Jan\n");
  ImportOptions o;
  o.target = Target::suppliers;
  CHECK_THAT(import_error([&] { build_import_plan(dir / "s.csv", o); }),
             Catch::Contains("s.csv") && Catch::Contains("required field 'name'") &&
                 Catch::Contains("Lev, Benaming, Contact"));
  o.mapping = "Lev=code,Benaming=name";
  ImportPlan plan = build_import_plan(dir / "s.csv", o);
  REQUIRE(plan.rows.size() == 1);
  CHECK(plan.rows[0].get("code") == "L1");
  CHECK(plan.rows[0].get("name") == "Lambert NV");

  ImportProfile profile =
      parse_profile("target suppliers\nmap code Lev\nmap name Benaming\nmap note Contact\n");
  ImportOptions po;
  po.target = Target::suppliers;
  po.profile = &profile;
  ImportPlan viap = build_import_plan(dir / "s.csv", po);
  REQUIRE(viap.rows.size() == 1);
  CHECK(viap.rows[0].get("note") == "Jan");
  po.target = Target::customers;
  CHECK_THAT(import_error([&] { build_import_plan(dir / "s.csv", po); }),
             Catch::Contains("is for suppliers"));
}

TEST_CASE("Plan: an XLSX by openpyxl, and progress", "[import][plan]") {
  TempDir dir;
  run_python("make_openpyxl.py", {"many", "2500", (dir / "m.xlsx").string()}, dir.path());
  ImportOptions o;
  std::vector<ImportProgress> seen;
  o.progress = [&](const ImportProgress& p) { seen.push_back(p); };
  ImportPlan plan = build_import_plan(dir / "m.xlsx", o);
  CHECK(plan.rows.size() == 2500);
  CHECK(plan.problems.empty());
  CHECK(plan.rows[2499].get("code") == "K002500");
  CHECK(plan.rows[2499].get("phone") == "+32 9 500 00 25");
  REQUIRE(seen.size() == 3);  // at 1,000 and 2,000 rows, and at the end
  CHECK(seen[0].rows_read == 1000);
  CHECK(seen[2].rows_read == 2500);
  CHECK(seen[2].bytes_read == seen[2].bytes_total);
  CHECK(seen[0].bytes_read < seen[2].bytes_read);
}

TEST_CASE("Plan: a title that maps one field does not pass for the header", "[import][plan]") {
  TempDir dir;
  write_file(dir / "k.csv", "Klant;;\nKlantnr;Naam;Gemeente\n7;Zeven;Gent\n");
  ImportPlan plan = build_import_plan(dir / "k.csv", {});
  CHECK(plan.header_row == 2);
  REQUIRE(plan.rows.size() == 1);
  CHECK(plan.rows[0].get("city") == "Gent");
}

TEST_CASE("Plan: with a mapping, the header is the first row that has its columns", "[import][plan]") {
  TempDir dir;
  write_file(dir / "k.csv", "Export februari\nKlant nr;Firma;Fax\nB2;Firma Twee;0\n");
  ImportOptions o;
  o.mapping = "Klant nr=code,Firma=name,Fax=";
  ImportPlan plan = build_import_plan(dir / "k.csv", o);
  CHECK(plan.header_row == 2);
  REQUIRE(plan.rows.size() == 1);
  CHECK(plan.rows[0].get("name") == "Firma Twee");
  o.mapping = "Klant=code";
  CHECK_THAT(import_error([&] { build_import_plan(dir / "k.csv", o); }),
             Catch::Contains("k.csv: the mapping names column 'Klant'"));
  o.mapping = "Firma=naam";
  CHECK_THAT(import_error([&] { build_import_plan(dir / "k.csv", o); }),
             Catch::Contains("k.csv: mapping 'Firma=naam': customers have no field 'naam'"));
}

TEST_CASE("Plan: a CSV cell guarded against formulas is read without its guard", "[import][plan]") {
  TempDir dir;
  write_file(dir / "k.csv", "Code;Naam;Telefoon;Opmerking\nK1;'=SUM(1);'+32 9 123 45 67;''-x\n");
  ImportPlan plan = build_import_plan(dir / "k.csv", {});
  REQUIRE(plan.rows.size() == 1);
  CHECK(plan.rows[0].get("name") == "=SUM(1)");
  CHECK(plan.rows[0].get("phone") == "+32 9 123 45 67");
  CHECK(plan.rows[0].get("note") == "'-x");
}

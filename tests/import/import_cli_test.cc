// `invoicing import` as a user runs it: files written by other programs (openpyxl, xlwt, a
// Windows-1252 CSV from an old package, UTF-8 with BOM and French headers) imported into a
// real data folder, duplicates skipped, updated or refused, bad rows reported with nothing
// written, --skip-bad, --dry-run, profiles, and the progress line.
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "import_test_util.h"

using namespace invoicing::import::test;
using xbase::test::read_file;
using xbase::test::write_file;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The export line of the record with `code` ("" when there is none).
std::string line_of(const std::string& csv, const std::string& code) {
  for (const auto& l : csv_lines(csv))
    if (l.rfind(code + ";", 0) == 0) return l;
  return "";
}

}  // namespace

TEST_CASE("Import: customers and suppliers from an XLSX written by openpyxl", "[import][cli]") {
  Company c;
  run_python("make_openpyxl.py", {"customers", (c / "klanten.xlsx").string()}, c.scratch());
  auto r = c.run({"import", "customers", (c / "klanten.xlsx").string()});
  REQUIRE(r.rc == 0);
  CHECK(has(r.out, "3 customers added"));
  CHECK(r.err.empty());  // no progress line when stderr is not a terminal
  std::string csv = c.export_csv("customers");
  // Country names, VAT numbers with dots, language names and number cells become our values.
  CHECK(line_of(csv, "K001") ==
        "K001;Brasserie De Hoek;Marktplein 1;9000;Gent;BE;BE0403199702;;info@dehoek.be;;;;30;nl;"
        "yes;no;no;no;");
  CHECK(line_of(csv, "K002") ==
        "K002;Café Fédéral;Rue Haute 12;1000;Bruxelles;BE;;;contact@federal.be;;;;14;fr;"
        "no;no;no;no;");
  CHECK(has(line_of(csv, "K006"), ";Zonder Adres BV;"));
  CHECK(has(line_of(csv, "K006"), ";60;"));

  auto s = c.run({"import", "suppliers", (c / "klanten.xlsx").string(), "--sheet", "Leveranciers"});
  REQUIRE(s.rc == 0);
  CHECK(line_of(c.export_csv("suppliers"), "F01") ==
        "F01;Grossiste Lambert;;;;BE;BE0822894253;;;;;;30;nl;yes;no;no;no;");
  CHECK(c.run({"verify"}).rc == 0);
}

TEST_CASE("Import: articles from an XLS written by xlwt, with opening stocks as stock moves",
          "[import][cli]") {
  Company c;
  run_python("make_xlwt.py", {(c / "articles.xls").string()}, c.scratch());
  auto r = c.run({"import", "articles", (c / "articles.xls").string()});
  REQUIRE(r.rc == 0);
  CHECK(has(r.out, "2 articles added"));
  CHECK(has(r.out, "2 opening stocks"));
  std::string csv = c.export_csv("articles");
  CHECK(line_of(csv, "A-100") ==
        "A-100;Vis inox 4×40;pc;0,1235;21,00;S;G;yes;1500,000;0,000;no;no;");
  CHECK(line_of(csv, "A-200") ==
        "A-200;Peinture blanche 2,5 l;pot;34,9500;6,00;S;G;yes;-2,000;0,000;no;no;");
  auto moves = c.run({"article", "moves", "--code", "A-100", "--json"});
  CHECK(has(moves.out, "opening stock"));
  CHECK(c.run({"verify"}).rc == 0);  // the stock is the sum of the moves
}

TEST_CASE(
    "Import: a Windows-1252 CSV with semicolons, decimal commas, quoted line breaks and French "
    "headers",
    "[import][cli]") {
  Company c;
  write_file(c / "articles.csv",
             "Code article;D\xE9signation;Prix HTVA;TVA %;Cat\xE9gorie TVA;Stock;Remarque\r\n"
             "CAFE;Caf\xE9 moulu 250 g;1.234,50;6;;12,5;\"ligne 1\r\nligne 2\"\r\n"
             "LIVRE;Livre \xAB Ars\xE8ne \xBB;19,99;6;;;\r\n"
             "EXPORT;Service \xE0 l'export;100;;Z;;\r\n");
  auto r = c.run({"import", "articles", (c / "articles.csv").string()});
  REQUIRE(r.rc == 0);
  CHECK(has(r.out, "3 articles added"));
  std::string csv = c.export_csv("articles");
  CHECK(line_of(csv, "CAFE") ==
        "CAFE;Café moulu 250 g;pc;1234,5000;6,00;S;G;yes;12,500;0,000;no;no;\"ligne 1\nligne 2\"");
  CHECK(line_of(csv, "LIVRE") ==
        "LIVRE;Livre « Arsène »;pc;19,9900;6,00;S;G;no;0,000;0,000;no;no;");
  // A category other than S alone means 0 %.
  CHECK(line_of(csv, "EXPORT") ==
        "EXPORT;Service à l'export;pc;100,0000;0,00;Z;G;no;0,000;0,000;no;no;");

  write_file(
      c / "clients.csv",
      "\xEF\xBB\xBFN\xC2\xB0 client;Nom;Rue;Code postal;Localit\xC3\xA9;Pays;N\xC2\xB0 "
      "TVA;Courriel;"
      "T\xC3\xA9l\xC3\xA9phone;Langue;Compte bancaire\r\n"
      "C1;Boulangerie Dupont;Rue de l'\xC3\x89glise 4;4000;Li\xC3\xA8ge;Belgique;0414.445.663;"
      "\"compta@dupont.be; patron@dupont.be\";+32 4 123 45 67;fran\xC3\xA7\x61is;BE68 5390 0754 "
      "7034\r\n");
  auto p = c.run({"import", "customers", (c / "clients.csv").string()});
  REQUIRE(p.rc == 0);
  // Two e-mail addresses: the library joins them with "; ", and the store takes them as they are.
  CHECK(line_of(c.export_csv("customers"), "C1") ==
        "C1;Boulangerie Dupont;Rue de l'Église 4;4000;Liège;BE;BE0414445663;;\"compta@dupont.be; "
        "patron@dupont.be\";"
        "'+32 4 123 45 67;BE68539007547034;;30;fr;yes;no;no;no;");
}

TEST_CASE("Import: codes made from names avoid the codes the company has", "[import][cli]") {
  Company c;
  REQUIRE(c.run({"customer", "add", "--code", "BRASSERIEX", "--name", "Brasserie X (old)"}).rc ==
          0);
  write_file(c / "k.csv", "Naam;Gemeente\r\nBrasserie X;Gent\r\n");
  REQUIRE(c.run({"import", "customers", (c / "k.csv").string()}).rc == 0);
  auto lines = csv_lines(c.export_csv("customers"));
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].rfind("BRASSERIE2;Brasserie X;", 0) == 0);
  CHECK(lines[2].rfind("BRASSERIEX;Brasserie X (old);", 0) == 0);
}

TEST_CASE("Import: --on-duplicate fail, update and skip against the data", "[import][cli]") {
  Company c;
  write_file(c / "first.csv",
             "Code;Naam;Gemeente;BTW-nummer;Telefoon\r\n"
             "DUPONT;Boulangerie Dupont;Li\xC3\xA8ge;BE0414445663;\r\n"
             "PEETERS;Bakkerij Peeters;Antwerpen;BE0431115213;03 123 45 67\r\n");
  REQUIRE(c.run({"import", "customers", (c / "first.csv").string()}).rc == 0);
  // The same code; another code with PEETERS' VAT number; a new customer.
  write_file(c / "second.csv",
             "Code;Naam;Gemeente;BTW-nummer;Telefoon\r\n"
             "dupont;Boulangerie Dupont;Namur;;\r\n"
             "P-01;Bakkerij Peeters & Zonen;;BE 0431.115.213;03 999 99 99\r\n"
             "NIEUW;Nieuwe Klant;Gent;;\r\n");
  const auto before = snapshot(c.data());

  auto fail = c.run({"import", "customers", (c / "second.csv").string()});  // fail is the default
  CHECK(fail.rc == 1);
  CHECK(has(fail.err, "nothing was imported"));
  CHECK(has(fail.err, "row 2, Code: \"dupont\": customer DUPONT exists already (same code)"));
  CHECK(has(fail.err,
            "row 3, BTW-nummer: \"BE0431115213\": customer PEETERS has the same VAT number"));
  CHECK(snapshot(c.data()) == before);
  CHECK(c.run({"import", "customers", (c / "second.csv").string(), "--on-duplicate", "fail"}).rc ==
        1);
  CHECK(snapshot(c.data()) == before);

  auto update =
      c.run({"import", "customers", (c / "second.csv").string(), "--on-duplicate", "update"});
  REQUIRE(update.rc == 0);
  CHECK(has(update.out, "1 customers added, 2 updated, 0 skipped"));
  std::string csv = c.export_csv("customers");
  // Non-empty values are taken; empty ones leave what was there; the code stays the record's.
  CHECK(has(line_of(csv, "DUPONT"), ";Boulangerie Dupont;;;Namur;BE;BE0414445663;"));
  CHECK(has(line_of(csv, "PEETERS"),
            ";Bakkerij Peeters & Zonen;;;Antwerpen;BE;BE0431115213;;;03 999 99 99;"));
  CHECK(line_of(csv, "P-01").empty());
  CHECK(has(line_of(csv, "NIEUW"), ";Nieuwe Klant;"));

  const auto updated = snapshot(c.data());
  auto skip = c.run({"import", "customers", (c / "second.csv").string(), "--on-duplicate", "skip"});
  REQUIRE(skip.rc == 0);
  CHECK(has(skip.out, "0 customers added, 0 updated, 3 skipped"));
  CHECK(snapshot(c.data()) == updated);

  write_file(c / "third.csv", "Code;Naam\r\nDUPONT;Dupont again\r\nANDER;Ander\r\n");
  auto skip2 = c.run({"import", "customers", (c / "third.csv").string(), "--on-duplicate", "skip"});
  REQUIRE(skip2.rc == 0);
  CHECK(has(skip2.out, "1 customers added, 0 updated, 1 skipped"));
  CHECK(has(line_of(c.export_csv("customers"), "DUPONT"), ";Boulangerie Dupont;"));
  CHECK(c.run({"import", "customers", (c / "x.csv").string(), "--on-duplicate", "merge"}).rc == 2);
}

TEST_CASE(
    "Import: bad rows write nothing and the report lists every one; --skip-bad imports the rest",
    "[import][cli]") {
  Company c;
  write_file(
      c / "k.csv",
      "Klantcode;Naam;Gemeente;BTW-nummer;E-mail\r\n"
      "K1;Goede Klant;Gent;BE0403199702;info@goed.be\r\n"
      "K2;Foute BTW;Gent;BE0403199703;\r\n"
      "K3;;Brugge;;\r\n"
      "K4;Sklep \xC5\x81\xC3\xB3\x64\xC5\xBA;\xC5\x81\xC3\xB3\x64\xC5\xBA;;\r\n"  // Łódź: not in
                                                                                  // Windows-1252
      "K5;Foute mail;Gent;;info@@fout\r\n"
      "K6;Tweede Goede;Hasselt;;\r\n");
  const auto before = snapshot(c.data());
  const std::string report = (c / "problems.csv").string();
  auto r = c.run({"import", "customers", (c / "k.csv").string(), "--report", report});
  CHECK(r.rc == 1);
  CHECK(has(r.err, "k.csv: 4 of 6 rows have problems; nothing was imported"));
  CHECK(snapshot(c.data()) == before);
  auto lines = csv_lines(read_file(report));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "row;column;value;reason");
  CHECK(has(lines[1], "3;BTW-nummer;BE0403199703;"));
  CHECK(has(lines[2], "4;Naam;;name is required"));
  // The library takes any UTF-8; the store's own check (its tables are Windows-1252) refuses it,
  // and that refusal is a problem of its row and column like any other, before anything is written.
  CHECK(has(lines[3], "5;Naam;Sklep Łódź;"));
  CHECK(has(lines[3], "Windows-1252"));
  CHECK(has(lines[4], "6;E-mail;info@@fout;"));

  auto skip =
      c.run({"import", "customers", (c / "k.csv").string(), "--report", report, "--skip-bad"});
  REQUIRE(skip.rc == 0);
  CHECK(has(skip.out, "2 customers added"));
  CHECK(has(skip.out, "4 rows with problems left out"));
  std::string csv = c.export_csv("customers");
  CHECK(csv_lines(csv).size() == 3);
  CHECK(!line_of(csv, "K1").empty());
  CHECK(!line_of(csv, "K6").empty());
  CHECK(csv_lines(read_file(report)).size() == 5);

  // For scripts: the counts as JSON.
  auto json = c.run({"import", "customers", (c / "k.csv").string(), "--skip-bad", "--on-duplicate",
                     "skip", "--json"});
  REQUIRE(json.rc == 0);
  CHECK(has(json.out,
            "\"rows_read\":6,\"rows_with_problems\":4,\"problems\":4,\"to_add\":0,\"to_update\":0,"
            "\"skipped\":2,\"written\":true,\"added\":0,\"updated\":0"));
}

TEST_CASE(
    "Import: --dry-run shows format, mapping and the first 20 rows, writes the report and nothing "
    "else",
    "[import][cli]") {
  Company c;
  std::string text = "Klantcode;Naam;Gemeente;Fax\r\n";
  for (int i = 1; i <= 25; ++i)
    text += "K" + std::to_string(100 + i) + ";Klant " + std::to_string(i) + ";Gent;\r\n";
  text += "K200;;Gent;\r\n";
  write_file(c / "k.csv", text);
  const auto before = snapshot(c.data());
  auto r = c.run({"import", "customers", (c / "k.csv").string(), "--dry-run", "--report",
                  (c / "p.csv").string()});
  CHECK(r.rc == 1);  // a real import would refuse the file (one bad row)
  CHECK(has(r.out, "Format:   text (CSV), UTF-8, separator ';'"));
  CHECK(has(r.out, "Klantcode"));
  CHECK(has(r.out, "-> code"));
  CHECK(has(r.out, "Fax"));
  CHECK(has(r.out, "K120"));
  CHECK(!has(r.out, "K121"));
  CHECK(has(r.out, "25 new, 0 to update, 0 already there"));
  CHECK(has(r.out, "An import would refuse the file: 1 row(s)"));
  CHECK(csv_lines(read_file(c / "p.csv")).size() == 2);
  CHECK(snapshot(c.data()) == before);
  auto ok = c.run({"import", "customers", (c / "k.csv").string(), "--dry-run", "--skip-bad"});
  CHECK(ok.rc == 0);
  CHECK(has(ok.out, "Dry run: nothing was written."));
  CHECK(snapshot(c.data()) == before);
}

TEST_CASE("Import: a mapping saved as a profile in the data folder serves the next file",
          "[import][cli]") {
  Company c;
  write_file(c / "jan.csv", "Klant nr;Firma;Fax;Woonplaats\r\nA1;Firma Een;;Gent\r\n");
  auto first =
      c.run({"import", "customers", (c / "jan.csv").string(), "--map",
             "Klant nr=code,Firma=name,Fax=", "--save-profile", "Oud pakket", "--decimal", ","});
  REQUIRE(first.rc == 0);
  const fs::path file = c.data() / "import-profiles" / "oudpakket.profile";
  REQUIRE(fs::exists(file));
  std::string profile = read_file(file);
  CHECK(has(profile, "name Oud pakket\n"));
  CHECK(has(profile, "target customers\n"));
  CHECK(has(profile, "decimal ,\n"));
  CHECK(has(profile, "map code Klant nr\n"));
  CHECK(has(profile, "map name Firma\n"));
  CHECK(has(profile, "ignore Fax\n"));
  CHECK(!has(profile, "Woonplaats"));  // found by itself, and again next time

  // The next month's file, with a title line above the table; the name is typed differently.
  write_file(c / "feb.csv",
             "Export februari\r\nKlant nr;Firma;Fax;Woonplaats\r\nB2;Firma Twee;0;Brugge\r\n");
  auto second = c.run({"import", "customers", (c / "feb.csv").string(), "--profile", "oud-pakket"});
  REQUIRE(second.rc == 0);
  CHECK(has(line_of(c.export_csv("customers"), "B2"), ";Firma Twee;;;Brugge;"));

  auto unknown =
      c.run({"import", "customers", (c / "feb.csv").string(), "--profile", "nieuw pakket"});
  CHECK(unknown.rc == 1);
  CHECK(has(unknown.err, "no import profile \"nieuw pakket\""));
  CHECK(has(unknown.err, "oudpakket"));
  auto wrong = c.run({"import", "suppliers", (c / "feb.csv").string(), "--profile", "Oud pakket"});
  CHECK(wrong.rc == 1);
  CHECK(has(wrong.err, "is for customers, not suppliers"));
}

TEST_CASE("Import: a progress line on a terminal, none when piped", "[import][cli]") {
  Company c;
  std::string text = "Klantcode;Naam\r\n";
  for (int i = 1; i <= 3000; ++i)
    text += "K" + std::to_string(i) + ";Klant " + std::to_string(i) + "\r\n";
  write_file(c / "k.csv", text);
  auto piped = c.run({"import", "customers", (c / "k.csv").string()});
  REQUIRE(piped.rc == 0);
  CHECK(piped.err.empty());
  // util-linux's script(1) gives the program a terminal.
  const std::string cmd = xbase::test::shell_quote(INVOICING_TOOL) + " import customers " +
                          xbase::test::shell_quote((c / "k.csv").string()) + " --data " +
                          xbase::test::shell_quote(c.data().string()) + " --on-duplicate skip";
  auto tty = xbase::test::run_program(
      "script", {"-qec", cmd, "/dev/null"}, c.scratch(),
      "XDG_CONFIG_HOME=" + xbase::test::shell_quote((c / "config").string()));
  REQUIRE(tty.rc == 0);
  CHECK(has(tty.out, "\rreading"));
  CHECK(has(tty.out, "checking  [##############################] 100 %  3,000 rows"));
  CHECK(has(tty.out, "0 customers added, 0 updated, 3,000 skipped"));
}

// `invoicing export` and its way back: every field exported, imported into an empty company
// and exported again gives the same CSV byte for byte and the same XLSX cell for cell; cells a
// spreadsheet would run as formulas are guarded in the CSV and come back unchanged.
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

// A company with the demo's data (documents have moved the stock) and records whose values
// test the edges: formula characters, apostrophes, line breaks, every flag, several e-mails.
void fill(const Company& c) {
  write_file(
      c / "tricky-customers.csv",
      "Code;Name;Street;Postcode;City;Country;VAT number;Enterprise number;Email;Phone;IBAN;BIC;"
      "Payment terms;Language;Business;Renovation attestation;Contractor;Archived;Note\r\n"
      "A1;=SUM(1+2);-Kelder-;1000;Brussel;BE;BE0403199702;0403.199.702;\"a@x.be; b@x.be\";+32 2 "
      "123 45 67;"
      "BE68539007547034;GKCCBEBB;60;fr;no;yes;yes;yes;\"- eerste regel\nline 2\"\r\n"
      // Our CSV rule: one apostrophe before a formula character is taken off on import.
      "A2;''=apostrof;@home;;;NL;;;;;;;0;en;no;no;no;no;''+twee\r\n"
      "A3;Café « Lefèvre »;Place du Marché 1;5000;Namur;BE;;;;;;;365;de;yes;no;no;no;'t "
      "Fonteintje\r\n");
  auto r = c.run({"import", "customers", (c / "tricky-customers.csv").string()});
  REQUIRE(r.rc == 0);
  write_file(c / "tricky-articles.csv",
             "Code;Description;Unit;Price;VAT rate;VAT category;Kind;Stocked;Stock;Minimum "
             "stock;Construction;"
             "Archived;Note\r\n"
             "-KORTING;=2*3;;0;0;E;S;no;;;yes;yes;@note\r\n"
             "NEG;Negatief;kg;1234567,1234;12;S;G;yes;-3,5;2;no;no;\"regel 1\nregel 2\"\r\n");
  auto a = c.run({"import", "articles", (c / "tricky-articles.csv").string()});
  REQUIRE(a.rc == 0);
}

std::vector<invoicing::import::SheetRow> sheet(const fs::path& p) { return read_all(p); }

}  // namespace

TEST_CASE("Export: CSV imports back into an empty company and exports byte for byte the same",
          "[import][export]") {
  xbase::test::TempDir tmp;
  Company a("a"), b("b");
  auto demo = xbase::test::run_program(
      INVOICING_TOOL, {"init", (a.scratch() / "demo").string(), "--demo"}, a.scratch(),
      "XDG_CONFIG_HOME=" + xbase::test::shell_quote((a / "config").string()));
  REQUIRE(demo.rc == 0);
  // The demo company's records into `a`, then the tricky ones.
  for (const char* what : {"customers", "suppliers", "articles"}) {
    auto e = xbase::test::run_program(INVOICING_TOOL,
                                      {"export", what, "--data", (a.scratch() / "demo").string(),
                                       "--out", (a / (std::string(what) + "-demo.csv")).string()},
                                      a.scratch());
    REQUIRE(e.rc == 0);
    REQUIRE(a.run({"import", what, (a / (std::string(what) + "-demo.csv")).string()}).rc == 0);
  }
  fill(a);

  for (const char* what : {"customers", "suppliers", "articles"}) {
    INFO(what);
    const fs::path first = tmp / (std::string(what) + "-1.csv"),
                   second = tmp / (std::string(what) + "-2.csv");
    auto e1 = a.run({"export", what, "--out", first.string()});
    REQUIRE(e1.rc == 0);
    CHECK(has(e1.out, std::string(what) + " written to"));
    auto imp = b.run({"import", what, first.string()});
    REQUIRE(imp.rc == 0);
    REQUIRE(b.run({"export", what, "--format", "csv", "--out", second.string()}).rc == 0);
    CHECK(read_file(first) == read_file(second));
    CHECK(csv_lines(read_file(first)).size() > 2);
  }
  CHECK(b.run({"verify"}).rc == 0);

  // What the CSV holds: guarded formula cells, and what the store holds: the text as it was.
  const std::string customers = a.export_csv("customers");
  CHECK(has(customers, "A1;'=SUM(1+2);'-Kelder-;1000;Brussel;BE;BE0403199702;"));
  CHECK(has(customers,
            ";'+32 2 123 45 67;BE68539007547034;GKCCBEBB;60;fr;no;yes;yes;yes;\"'- eerste "
            "regel\nline 2\""));
  CHECK(has(customers, "A2;''=apostrof;'@home;;;NL;;;;;;;0;en;no;no;no;no;''+twee"));
  CHECK(has(customers,
            "A3;Café « Lefèvre »;Place du Marché 1;5000;Namur;BE;;;;;;;365;de;yes;no;no;no;'t "
            "Fonteintje"));
  auto list = b.run({"customer", "list", "--archived", "--json"});
  CHECK(has(list.out, "\"name\":\"=SUM(1+2)\""));
  CHECK(has(list.out, "\"street\":\"-Kelder-\""));
  CHECK(has(list.out, "\"name\":\"'=apostrof\""));
  CHECK(has(list.out, "\"phone\":\"+32 2 123 45 67\""));
  CHECK(has(list.out, "\"email\":\"a@x.be; b@x.be\""));
  const std::string articles = b.export_csv("articles");
  CHECK(has(articles, "'-KORTING;'=2*3;pc;0,0000;0,00;E;S;no;0,000;0,000;yes;yes;'@note"));
  CHECK(has(articles,
            "NEG;Negatief;kg;1234567,1234;12,00;S;G;yes;-3,500;2,000;no;no;\"regel 1\nregel 2\""));
}

TEST_CASE("Export: XLSX imports back and exports cell for cell the same", "[import][export]") {
  Company a("a"), b("b");
  fill(a);
  REQUIRE(a.run({"customer", "add", "--code", "ZZ", "--name", "Zeta", "--terms", "7"}).rc == 0);
  for (const char* what : {"customers", "articles"}) {
    INFO(what);
    const fs::path first = a / (std::string(what) + "-1.xlsx"),
                   second = a / (std::string(what) + "-2.xlsx");
    REQUIRE(a.run({"export", what, "--format", "xlsx", "--out", first.string()}).rc == 0);
    REQUIRE(b.run({"import", what, first.string()}).rc == 0);
    REQUIRE(b.run({"export", what, "--out", second.string()}).rc == 0);  // the format from the name
    auto one = sheet(first), two = sheet(second);
    REQUIRE(one.size() == two.size());
    REQUIRE(one.size() > 2);
    for (size_t r = 0; r < one.size(); ++r) {
      REQUIRE(one[r].cells.size() == two[r].cells.size());
      for (size_t col = 0; col < one[r].cells.size(); ++col) {
        INFO("row " << r + 1 << " column " << col + 1);
        CHECK(one[r].cells[col].kind == two[r].cells[col].kind);
        CHECK(one[r].cells[col].value == two[r].cells[col].value);
      }
    }
    // Numbers are number cells, text that looks like a formula is a text cell.
    CHECK(one[0].cells[0].value == "Code");
  }
  auto list = b.run({"customer", "list", "--archived", "--json"});
  CHECK(has(list.out, "\"name\":\"'=apostrof\""));  // no apostrophe is taken off an XLSX cell
  CHECK(has(list.out, "\"name\":\"=SUM(1+2)\""));
}

TEST_CASE("Export: usage, and files written whole", "[import][export]") {
  Company c;
  CHECK(c.run({"export", "customers", "--format", "xlsx"}).rc == 2);  // XLSX needs --out
  CHECK(c.run({"export", "customers", "--format", "pdf"}).rc == 2);
  CHECK(c.run({"export", "invoices"}).rc == 2);
  auto r = c.run({"export", "customers", "--out", (c / "none" / "c.csv").string()});
  CHECK(r.rc == 2);
  CHECK(has(r.err, "c.csv"));
  CHECK(!fs::exists(c / "none"));
  // An empty company exports its header row.
  CHECK(csv_lines(c.export_csv("articles")) ==
        std::vector<std::string>{
            "Code;Description;Unit;Price;VAT rate;VAT category;Kind;Stocked;Stock;Minimum stock;"
            "Construction;Archived;Note"});
}

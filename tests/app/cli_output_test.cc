// Documents out of the demo company, as a user gets them from the command line: the PDF read
// back (pdftotext, zbarimg), every invoice and credit note through the CEN e-invoice kit in
// one call, the period ZIP listing each document once, the XLSX opened by openpyxl, the CSV.
// The demo company is made once by the CTest fixture "demo_company" (tests/app/CMakeLists.txt)
// and only read here.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "test_util.h"

using namespace xbase::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kDemo = DEMO_DIR;

RunResult run(const TempDir& d, std::vector<std::string> args) {
  args.push_back("--data");
  args.push_back(kDemo.string());
  return run_program(INVOICING_TOOL, args, d.path(), "XDG_CONFIG_HOME=" + shell_quote((d / "config").string()));
}

// Every document of the demo company, as `doc list --json` gives them.
json documents(const TempDir& d) {
  auto r = run(d, {"doc", "list", "--json"});
  REQUIRE(r.rc == 0);
  return json::parse(r.out);
}

bool issued_sale(const json& doc) {
  return doc["status"] == "final" && (doc["type"] == "invoice" || doc["type"] == "credit-note");
}

// The codes of the demo customers Peppol cannot reach (no VAT or enterprise number: private
// customers, companies abroad): their documents leave as PDFs only.
std::set<std::string> without_endpoint(const TempDir& d) {
  auto r = run(d, {"customer", "list", "--json"});
  REQUIRE(r.rc == 0);
  std::set<std::string> codes;
  for (const auto& c : json::parse(r.out))
    if (c["vat"] == "" && c["enterprise_no"] == "") codes.insert(c["code"].get<std::string>());
  return codes;
}

// "invoice-2026-0042" for a document of `doc list --json`.
std::string stem(const json& doc) {
  char number[16];
  std::snprintf(number, sizeof number, "%04d", doc["number"].get<int>());
  return doc["type"].get<std::string>() + "-" + std::to_string(doc["fiscal_year"].get<int>()) + "-" + number;
}

std::string pdf_text(const fs::path& pdf, const fs::path& scratch) {
  auto r = run_program("pdftotext", {pdf.string(), "-"}, scratch);
  REQUIRE(r.rc == 0);
  std::string out;
  for (size_t i = 0; i < r.out.size(); ++i) {  // no-break spaces as plain spaces
    if (r.out.compare(i, 2, "\xC2\xA0") == 0) {
      out += ' ';
      ++i;
    } else {
      out += r.out[i];
    }
  }
  return out;
}

// "1 234,56": an amount as French text writes it.
std::string french_amount(const std::string& plain) {
  const auto dot = plain.find('.');
  std::string integer = plain.substr(0, dot), out;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) out += ' ';
    out += integer[i];
  }
  return out + "," + plain.substr(dot + 1);
}

std::vector<std::string> zip_names(const fs::path& zip, const fs::path& scratch) {
  auto r = run_program("unzip", {"-Z1", zip.string()}, scratch);
  REQUIRE(r.rc == 0);
  std::vector<std::string> names = split(r.out, '\n');
  while (!names.empty() && names.back().empty()) names.pop_back();
  return names;
}

const std::set<std::string> kFrench = {"DUPONT", "LEFEVRE", "ETIENNE", "MOREAU", "FRANCOIS"};

}  // namespace

TEST_CASE("doc pdf: a French demo invoice reads back with number, totals and OGM, accents intact", "[app][outputs]") {
  TempDir d;
  json inv;
  for (const auto& doc : documents(d))
    if (doc["type"] == "invoice" && doc["status"] == "final" && kFrench.count(doc["party"].get<std::string>())) {
      inv = doc;
      break;
    }
  REQUIRE(!inv.is_null());
  const fs::path pdf = d / "invoice.pdf";
  auto r = run(d, {"doc", "pdf", std::to_string(inv["id"].get<int>()), "--out", pdf.string()});
  REQUIRE(r.rc == 0);
  const std::string text = pdf_text(pdf, d.path());
  INFO(text);
  CHECK_THAT(text, Catch::Contains("Facture"));
  // The number as the customer reads it ("facture 2026/7"; doc list labels in English).
  CHECK_THAT(text, Catch::Contains("facture " + std::to_string(inv["fiscal_year"].get<int>()) + "/" +
                                   std::to_string(inv["number"].get<int>())));
  CHECK_THAT(text, Catch::Contains(inv["party_name"].get<std::string>()));  // Moreau Frères, Café Lefèvre ...
  CHECK_THAT(text, Catch::Contains(french_amount(inv["total_incl_vat"].get<std::string>())));
  CHECK_THAT(text, Catch::Contains(french_amount(inv["total_excl_vat"].get<std::string>())));
  CHECK_THAT(text, Catch::Contains(inv["reference"].get<std::string>()));  // +++202/6000/00367+++
  CHECK_THAT(text, Catch::Contains("Échéance"));
  CHECK_THAT(text, Catch::Contains("Démo Sprl"));
  CHECK_THAT(text, Catch::Contains("BE68 5390 0754 7034"));

  // --lang overrides the customer's language.
  REQUIRE(run(d, {"doc", "pdf", std::to_string(inv["id"].get<int>()), "--out", (d / "nl.pdf").string(), "--lang", "nl"}).rc == 0);
  CHECK_THAT(pdf_text(d / "nl.pdf", d.path()), Catch::Contains("Factuur"));
}

TEST_CASE("doc pdf: the QR code of a demo invoice scans to its EPC payment payload", "[app][outputs]") {
  TempDir d;
  json inv;
  for (const auto& doc : documents(d))
    if (doc["type"] == "invoice" && doc["status"] == "final") inv = doc;  // the last one
  REQUIRE(!inv.is_null());
  const fs::path pdf = d / "invoice.pdf";
  REQUIRE(run(d, {"doc", "pdf", std::to_string(inv["id"].get<int>()), "--out", pdf.string()}).rc == 0);
  REQUIRE(run_program("pdftoppm", {"-r", "200", "-png", "-f", "1", "-l", "1", pdf.string(), (d / "page").string()}, d.path()).rc == 0);
  fs::path png = d / "page-1.png";
  if (!fs::exists(png)) png = d / "page-01.png";
  // -Sbinary: the bytes as they are (zbar otherwise guesses a character set for the é).
  auto scan = run_program("zbarimg", {"--raw", "-q", "-Sbinary", png.string()}, d.path());
  REQUIRE(scan.rc == 0);
  std::string digits;
  for (char c : inv["reference"].get<std::string>())
    if (c >= '0' && c <= '9') digits += c;
  REQUIRE(digits.size() == 12);
  const std::string expected = "BCD\n002\n1\nSCT\nGKCCBEBB\nDemo Bvba / Démo Sprl\nBE68539007547034\nEUR" +
                               inv["total_incl_vat"].get<std::string>() + "\n\n" + digits + "\n";
  CHECK(scan.out == expected);
}

TEST_CASE("export ubl: every invoice and credit note of the demo company passes the CEN kit, in one call",
          "[app][outputs][ubl]") {
  TempDir d;
  std::set<std::string> expected;
  std::string a_pdf_only;
  int first_year = 9999, last_year = 0;
  const auto unreachable = without_endpoint(d);
  REQUIRE(!unreachable.empty());
  for (const auto& doc : documents(d))
    if (issued_sale(doc)) {
      if (unreachable.count(doc["party"].get<std::string>())) a_pdf_only = doc["label"].get<std::string>();
      else expected.insert(stem(doc) + ".xml");
      first_year = std::min(first_year, std::stoi(doc["date"].get<std::string>().substr(0, 4)));
      last_year = std::max(last_year, std::stoi(doc["date"].get<std::string>().substr(0, 4)));
    }
  REQUIRE(expected.size() > 50);
  const fs::path zip = d / "ubl.zip";
  auto r = run(d, {"export", "--type", "all", "--from", std::to_string(first_year) + "-01-01", "--to",
                   std::to_string(last_year) + "-12-31", "--format", "ubl", "--zip", zip.string()});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  REQUIRE(!a_pdf_only.empty());
  CHECK_THAT(r.err, Catch::Contains("no e-invoice for") && Catch::Contains(a_pdf_only));
  const auto names = zip_names(zip, d.path());
  CHECK(std::set<std::string>(names.begin(), names.end()) == expected);
  REQUIRE(run_program("unzip", {"-q", zip.string(), "-d", (d / "xml").string()}, d.path()).rc == 0);
  std::vector<std::string> args = {"-q", "-p", "cen"};
  for (const auto& n : names) args.push_back((d / "xml" / n).string());
  const auto kit = shared_dir() / "einvoice" / "validate.sh";
  auto v = run_program(kit.string(), args, d.path());
  INFO(v.out << v.err);
  REQUIRE(v.rc != 2);  // a broken set-up (no Java, Saxon or xmllint) fails the test
  CHECK(v.rc == 0);
  for (size_t i = 3; i < args.size(); ++i) CHECK(v.out.find("RESULT: PASS " + args[i]) != std::string::npos);
  // The PDF travels inside each e-invoice.
  const std::string one = read_file(d / "xml" / names.front());
  CHECK_THAT(one, Catch::Contains("mimeCode=\"application/pdf\""));
}

TEST_CASE("export pdf+ubl: the ZIP lists every document of the period once", "[app][outputs][zip]") {
  TempDir d;
  // A quarter in the middle of the demo's year.
  std::set<std::string> expected;
  const auto unreachable = without_endpoint(d);
  for (const auto& doc : documents(d)) {
    const std::string date = doc["date"];
    if (issued_sale(doc) && date >= "2026-01-01" && date <= "2026-03-31") {
      expected.insert(stem(doc) + ".pdf");  // every document as a PDF, the reachable ones also as an e-invoice
      if (!unreachable.count(doc["party"].get<std::string>())) expected.insert(stem(doc) + ".xml");
    }
  }
  REQUIRE(expected.size() > 10);
  const fs::path zip = d / "Q1.zip";
  auto r = run(d, {"export", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "pdf+ubl", "--zip", zip.string()});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  const auto names = zip_names(zip, d.path());
  CHECK(names.size() == expected.size());  // nothing twice
  CHECK(std::set<std::string>(names.begin(), names.end()) == expected);
  for (const auto& e : fs::directory_iterator(d.path())) CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);

  // Only invoices, only PDFs.
  auto inv = run(d, {"export", "--type", "invoice", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "pdf",
                     "--zip", (d / "inv.zip").string()});
  REQUIRE(inv.rc == 0);
  for (const auto& n : zip_names(d / "inv.zip", d.path())) {
    CHECK(n.rfind("invoice-", 0) == 0);
    CHECK(n.substr(n.size() - 4) == ".pdf");
  }
}

TEST_CASE("export xlsx: openpyxl reads one sheet per type with the right rows, numbers and dates",
          "[app][outputs][xlsx]") {
  TempDir d;
  std::map<std::string, int> count;
  // The total of each type's first document (rows go by fiscal year and number).
  std::map<std::string, std::pair<int, std::string>> first;
  std::map<std::string, std::string> first_total;
  for (const auto& doc : documents(d)) {
    const std::string date = doc["date"];
    if (issued_sale(doc) && date >= "2025-01-01" && date <= "2026-12-31") {
      const std::string type = doc["type"];
      const int key = doc["fiscal_year"].get<int>() * 100000 + doc["number"].get<int>();
      if (!count[type]++ || key < first[type].first) first[type] = {key, doc["total_incl_vat"]};
      first_total[type] = first[type].second;
    }
  }
  REQUIRE(count["invoice"] > 0);
  REQUIRE(count["credit-note"] > 0);
  const fs::path xlsx = d / "overview.xlsx";
  auto r = run(d, {"export", "--from", "2025-01-01", "--to", "2026-12-31", "--format", "xlsx", "--out", xlsx.string()});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  write_file(d / "read.py", R"PY(
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    rows = list(ws.iter_rows(values_only=True))
    body = rows[1:-1]
    assert all(isinstance(r[1], datetime.datetime) for r in body), "dates are date cells"
    assert all(isinstance(r[7], (int, float)) for r in body), "totals are numbers"
    assert str(rows[-1][7]).startswith("=SUM("), "a totals row"
    print(ws.title, len(body), "%.2f" % body[0][7], "%.2f" % sum(r[7] for r in body))
)PY");
  auto py = run_program("/usr/bin/python3", {(d / "read.py").string(), xlsx.string()}, d.path());
  INFO(py.err);
  REQUIRE(py.rc == 0);
  const auto lines = split(py.out, '\n');
  REQUIRE(lines.size() >= 2);
  CHECK(lines[0].rfind("Factuur " + std::to_string(count["invoice"]) + " " + first_total["invoice"] + " ", 0) == 0);
  CHECK(lines[1].rfind("Creditnota " + std::to_string(count["credit-note"]) + " -" + first_total["credit-note"] + " ", 0) ==
        0);
}

TEST_CASE("export csv: UTF-8 with BOM, semicolons, credit notes negative", "[app][outputs][csv]") {
  TempDir d;
  int expected = 0;
  for (const auto& doc : documents(d)) expected += issued_sale(doc);
  const fs::path csv = d / "overview.csv";
  REQUIRE(run(d, {"export", "--from", "2000-01-01", "--to", "2099-12-31", "--format", "csv", "--out", csv.string(),
                  "--lang", "en"})
              .rc == 0);
  const std::string text = read_file(csv);
  REQUIRE(text.rfind("\xEF\xBB\xBF" "Number;Date;Due date;Customer;", 0) == 0);
  const auto lines = split(text, '\n');
  // Header, one line per document, the totals line, and the empty rest after the last CRLF.
  CHECK(int(lines.size()) == expected + 3);
  int negative = 0;
  for (const auto& l : lines)
    if (l.rfind("credit note ", 0) == 0) negative += l.find(";-") != std::string::npos;  // the label in --lang
  CHECK(negative > 0);
  CHECK(lines[lines.size() - 2].rfind("Total;", 0) == 0);
}

TEST_CASE("export: a period without documents writes nothing", "[app][outputs]") {
  TempDir d;
  const fs::path zip = d / "empty.zip";
  auto r = run(d, {"export", "--from", "1999-01-01", "--to", "1999-12-31", "--format", "pdf", "--zip", zip.string()});
  CHECK(r.rc == 1);
  CHECK_THAT(r.err, Catch::Contains("1999-01-01 to 1999-12-31"));
  CHECK(!fs::exists(zip));
  CHECK(run(d, {"export", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "docx", "--zip", zip.string()}).rc == 2);
  CHECK(run(d, {"export", "--from", "2026-02-30", "--to", "2026-03-31", "--format", "pdf", "--zip", zip.string()}).rc == 2);
  CHECK(run(d, {"export", "--type", "quote", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "ubl", "--zip",
                zip.string()})
            .rc == 2);
}

// The PDF named the corrected invoice's type twice ("Factuur factuur 2026/3 van ..."): the
// invoice's label already says what it is.
TEST_CASE("doc pdf: a credit note names the invoice it corrects once", "[app][outputs]") {
  TempDir d;
  const json all = documents(d);
  json crn, inv;
  for (const auto& doc : all)
    if (doc["type"] == "credit-note" && doc["status"] == "final" && doc["source"].is_number()) {
      crn = doc;
      break;
    }
  REQUIRE(!crn.is_null());
  for (const auto& doc : all)
    if (doc["id"] == crn["source"]) inv = doc;
  REQUIRE(inv["type"] == "invoice");
  const fs::path pdf = d / "credit.pdf";
  REQUIRE(run(d, {"doc", "pdf", std::to_string(crn["id"].get<int>()), "--out", pdf.string(), "--lang", "nl"}).rc == 0);
  const std::string text = pdf_text(pdf, d.path());
  INFO(text);
  const std::string date = inv["date"].get<std::string>();  // YYYY-MM-DD
  CHECK_THAT(text, Catch::Contains("Creditering van"));
  // The invoice's number in its customer's language, the words around it in the PDF's.
  const std::regex named("(factuur|facture|invoice) " + std::to_string(inv["fiscal_year"].get<int>()) + "/" +
                         std::to_string(inv["number"].get<int>()) + " van " + date.substr(8, 2) + "/" +
                         date.substr(5, 2) + "/" + date.substr(0, 4));
  CHECK(std::regex_search(text, named));
  CHECK_FALSE(std::regex_search(text, std::regex("(factuur|facture|invoice) (factuur|facture|invoice)", std::regex::icase)));
  // Its title (the PDF's metadata) likewise: "Creditnota 2025/1", not "Creditnota creditnota 2025/1".
  auto info = run_program("pdfinfo", {pdf.string()}, d.path());
  REQUIRE(info.rc == 0);
  const std::string number = std::to_string(crn["fiscal_year"].get<int>()) + "/" + std::to_string(crn["number"].get<int>());
  const std::set<std::string> titles = {"Creditnota " + number, "Note de crédit " + number, "Credit note " + number};
  std::string title = info.out.substr(info.out.find("Title:") + 6);
  title = title.substr(title.find_first_not_of(' '));
  title = title.substr(0, title.find('\n'));
  CHECK(titles.count(title) == 1);
}

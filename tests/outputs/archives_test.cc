// Period exports: the ZIP of documents (listed by unzip, read back with libzip), the XLSX
// overview opened by openpyxl, and the CSV as Belgian Excel reads it.
#include <zip.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "outputs/document_overview.h"
#include "outputs/layout.h"
#include "outputs/pdf_writer.h"
#include "outputs/table_writer.h"
#include "outputs/ubl_writer.h"
#include "outputs/zip_writer.h"
#include "sample_documents.h"
#include "test_util.h"

using namespace invoicing::outputs;
namespace sample = invoicing::outputs::test;
namespace fs = std::filesystem;
using invoicing::domain::Decimal;
using xbase::test::read_file;
using xbase::test::run_program;
using xbase::test::TempDir;
using xbase::test::write_file;

namespace {

std::vector<DocumentData> period() {
  std::vector<DocumentData> docs = {sample::be_domestic_invoice(), sample::reverse_charge_invoice(),
                                    sample::intra_eu_invoice(),    sample::export_invoice(),
                                    sample::zero_rated_invoice(),  sample::credit_note()};
  docs[1].status = invoicing::domain::DocStatus::cancelled;
  return docs;
}

std::string zip_entry(const fs::path& zip, const std::string& name) {
  int err = 0;
  zip_t* z = zip_open(zip.c_str(), ZIP_RDONLY, &err);
  REQUIRE(z);
  zip_stat_t st;
  REQUIRE(zip_stat(z, name.c_str(), 0, &st) == 0);
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  REQUIRE(f);
  std::string bytes(st.size, '\0');
  REQUIRE(zip_fread(f, bytes.data(), st.size) == static_cast<zip_int64_t>(st.size));
  zip_fclose(f);
  zip_close(z);
  return bytes;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename());
  return out;
}

}  // namespace

TEST_CASE("ZIP: every document once, as pdf and xml, named by type, year and number", "[outputs][zip]") {
  TempDir dir;
  const fs::path target = dir / "2026-Q1.zip";
  std::map<std::string, std::string> written;
  {
    ZipWriter zip(target);
    for (const DocumentData& d : period()) {
      const std::string pdf = write_pdf(d, Layout{});
      const std::string xml = write_ubl(d, {pdf_attachment(d, pdf)});
      written[zip_entry_name(d, "pdf")] = pdf;
      written[zip_entry_name(d, "xml")] = xml;
      zip.add(zip_entry_name(d, "pdf"), pdf);
      zip.add(zip_entry_name(d, "xml"), xml);
    }
    CHECK_FALSE(fs::exists(target));  // nothing under the final name before finish()
    CHECK_THROWS_WITH(zip.add("invoice-2026-0042.pdf", "again"), Catch::Contains("invoice-2026-0042.pdf"));
    zip.finish();
  }
  CHECK(files_in(dir.path()) == std::vector<fs::path>{"2026-Q1.zip"});  // no temp file left
  auto list = run_program("unzip", {"-Z1", target.string()}, dir.path());
  REQUIRE(list.rc == 0);
  std::vector<std::string> names = xbase::test::split(list.out, '\n');
  names.erase(std::remove(names.begin(), names.end(), ""), names.end());
  std::sort(names.begin(), names.end());
  std::vector<std::string> expected;
  for (const auto& [name, bytes] : written) expected.push_back(name);
  CHECK(names == expected);
  CHECK(std::count(names.begin(), names.end(), "invoice-2026-0042.pdf") == 1);
  CHECK(std::count(names.begin(), names.end(), "credit-note-2026-0007.xml") == 1);
  for (const auto& [name, bytes] : written) CHECK(zip_entry(target, name) == bytes);
  CHECK(run_program("unzip", {"-tq", target.string()}, dir.path()).rc == 0);
}

TEST_CASE("ZIP: abandoned before finish, it leaves the old file and no temp file", "[outputs][zip]") {
  TempDir dir;
  const fs::path target = dir / "export.zip";
  write_file(target, "the previous export");
  {
    ZipWriter zip(target);
    zip.add("a.xml", "<a/>");
  }  // no finish(): as if the program stopped here
  CHECK(read_file(target) == "the previous export");
  CHECK(files_in(dir.path()) == std::vector<fs::path>{"export.zip"});
  {
    ZipWriter zip(target);
    zip.finish();  // no entries: still a valid, empty ZIP
  }
  CHECK(run_program("unzip", {"-Z1", target.string()}, dir.path()).rc != 2);
  CHECK(read_file(target).substr(0, 4) == "PK\x05\x06");
}

TEST_CASE("XLSX: the overview opens in openpyxl with numbers, dates and totals", "[outputs][xlsx]") {
  TempDir dir;
  const auto docs = period();
  const fs::path xlsx = dir / "overview.xlsx";
  write_xlsx(overview_tables(docs, "nl"), xlsx);
  CHECK(files_in(dir.path()) == std::vector<fs::path>{"overview.xlsx"});
  // The reader prints, per sheet: name, rows, then per data row the types and values of
  // date, net, total; then the totals row's formula.
  const std::string script = R"(
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    rows = list(ws.iter_rows(values_only=True))
    print("sheet", ws.title, len(rows))
    for r in rows[1:-1]:
        print("row", r[0], type(r[1]).__name__, r[1].date().isoformat(), type(r[5]).__name__, "%.2f" % r[5], "%.2f" % r[7], r[8])
    print("totals", rows[-1][0], rows[-1][7])
)";
  // Debian's interpreter, which has Debian's python3-openpyxl (a python3 earlier on PATH may not).
  auto r = run_program("/usr/bin/python3", {"-c", script, xlsx.string()}, dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.rc == 0);
  CHECK_THAT(r.out, Catch::Contains("sheet Factuur 7\n"));  // header, 5 invoices, totals
  CHECK_THAT(r.out, Catch::Contains("sheet Creditnota 3\n"));
  const DocumentData& inv = docs[0];
  CHECK_THAT(r.out, Catch::Contains("row INV 2026/0042 datetime 2026-03-15 float " +
                                    inv.totals.total_excl.to_string(2) + " " + inv.totals.total_incl.to_string(2) +
                                    " definitief\n"));
  CHECK_THAT(r.out, Catch::Contains("row INV 2026/0043 datetime 2026-03-15 float"));
  CHECK_THAT(r.out, Catch::Contains("geannuleerd"));
  const DocumentData& cn = docs[5];
  CHECK_THAT(r.out, Catch::Contains("row CRN 2026/0007 datetime 2026-03-20 float -" +
                                    cn.totals.total_excl.to_string(2) + " -" + cn.totals.total_incl.to_string(2)));
  CHECK_THAT(r.out, Catch::Contains("totals Totaal =SUM(H2:H6)\n"));
}

TEST_CASE("CSV: BOM, semicolons, decimal comma, ISO dates, no formula injection", "[outputs][csv]") {
  auto docs = period();
  docs[0].buyer.name = "=HYPERLINK(\"http://x\";\"klik\")";
  docs[2].buyer.name = "@SUM(A1)";
  docs[3].buyer.name = "-5 + 3";
  docs[4].customer_reference = "+32 tel";
  const auto tables = overview_tables(docs, "fr");
  REQUIRE(tables.size() == 2);
  const std::string csv = write_csv(tables[0]);
  REQUIRE(csv.substr(0, 3) == "\xEF\xBB\xBF");
  const auto lines = xbase::test::split(csv.substr(3), '\n');
  CHECK(lines[0] == "Numéro;Date;Échéance;Client;N° TVA;Base;TVA;Total;Statut;Référence;Communication\r");
  std::string expected_total = docs[0].totals.total_incl.to_string(2);
  std::replace(expected_total.begin(), expected_total.end(), '.', ',');
  CHECK_THAT(lines[1], Catch::StartsWith("INV 2026/0042;2026-03-15;2026-04-14;\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\";BE0428759497;"));
  CHECK_THAT(lines[1], Catch::Contains(";" + expected_total + ";définitif;"));
  CHECK_THAT(csv, Catch::Contains(";'@SUM(A1);"));
  CHECK_THAT(csv, Catch::Contains(";'-5 + 3;"));
  CHECK_THAT(csv, Catch::Contains(";'+32 tel;"));
  CHECK(lines.size() == 1 + 5 + 1 + 1);  // header, 5 rows, totals, "" after the last CRLF
  CHECK_THAT(lines[6], Catch::StartsWith("Total;;;;;"));
  // Credit notes count negative, as numbers (no apostrophe in front of the minus).
  const std::string credit = write_csv(tables[1]);
  std::string minus = "-" + docs[5].totals.total_incl.to_string(2);
  std::replace(minus.begin(), minus.end(), '.', ',');
  CHECK_THAT(credit, Catch::Contains(";" + minus + ";"));
}

// The import takes one apostrophe off a cell that starts with apostrophes and a formula
// character; a text that already started so ("'=x") lost its own apostrophe on the way back
// until the export guarded it as well.
TEST_CASE("Regression: CSV text starting with an apostrophe and a formula character is guarded too",
          "[outputs][csv]") {
  Table t;
  t.columns = {{"A", CellType::text}};
  t.rows = {{std::string("'=x")}, {std::string("''+y")}, {std::string("'t Fonteintje")}, {std::string("'")}};
  const auto lines = xbase::test::split(write_csv(t).substr(3), '\n');
  REQUIRE(lines.size() == 6);
  CHECK(lines[1] == "''=x\r");
  CHECK(lines[2] == "'''+y\r");
  CHECK(lines[3] == "'t Fonteintje\r");
  CHECK(lines[4] == "'\r");
}

TEST_CASE("Tables: sheet names follow Excel's rules", "[outputs][xlsx]") {
  CHECK(sheet_name("Facturen [Q1] 2026/03", {}) == "Facturen Q1 202603");
  CHECK(sheet_name(std::string(40, 'a'), {}) == std::string(31, 'a'));
  CHECK(sheet_name("Factuur", {"Factuur"}) == "Factuur (2)");
  CHECK(sheet_name("", {}) == "Sheet");
}

TEST_CASE("Overview: a withdrawn document has its status word (regression: read past the word table)", "[outputs][xlsx]") {
  std::vector<DocumentData> docs = {sample::be_domestic_invoice()};
  docs[0].type = invoicing::domain::DocType::quote;
  docs[0].status = invoicing::domain::DocStatus::withdrawn;
  for (const auto& [lang, word] : std::map<std::string, std::string>{{"nl", "ingetrokken"}, {"fr", "retiré"}, {"en", "withdrawn"}}) {
    const auto tables = overview_tables(docs, lang);
    REQUIRE(tables.size() == 1);
    CHECK(std::get<std::string>(tables[0].rows[0][8]) == word);
  }
}

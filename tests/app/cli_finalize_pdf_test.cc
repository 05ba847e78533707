// A workstation with a PDF folder (invoicing pdf-dir) gets the PDF of every document it
// finalizes there, named by type, fiscal year and number; an existing file is never
// replaced: the new PDF gets a suffix.
#include <catch2/catch.hpp>
#include <filesystem>

#include "small_company.h"

using namespace xbase::test;
using invoicing::test::SmallCompany;
namespace fs = std::filesystem;

namespace {

std::string text_of(const fs::path& pdf, const fs::path& scratch) {
  auto r = run_program("pdftotext", {pdf.string(), "-"}, scratch);
  REQUIRE(r.rc == 0);
  return r.out;
}

}  // namespace

TEST_CASE("finalize: the PDF appears in the workstation's pdf_dir, an existing file is kept", "[app][outputs]") {
  SmallCompany co;
  const fs::path pdfs = co / "pdf";
  // Without a PDF folder nothing is written.
  const int first = co.invoice("DUPONT", "LAMP");
  CHECK(!fs::exists(pdfs));
  REQUIRE(co.run({"pdf-dir", pdfs.string()}).rc == 0);
  CHECK(co.run({"pdf-dir"}).out == fs::absolute(pdfs).lexically_normal().string() + "\n");
  // The local settings hold it, the shared data folder does not.
  CHECK_THAT(read_file(co / "config/xbase-invoicing/local.ini"), Catch::Contains("pdf_dir="));

  const int second = co.invoice("BAKKER", "LAMP", "3");
  auto show = co.run({"doc", "show", std::to_string(second), "--json"});
  const std::string year = show.out.substr(show.out.find("\"fiscal_year\":") + 14, 4);
  const fs::path pdf = pdfs / ("invoice-" + year + "-0002.pdf");
  REQUIRE(fs::exists(pdf));
  CHECK_THAT(text_of(pdf, co.dir().path()), Catch::Contains(co.label(second)) && Catch::Contains("Factuur"));
  CHECK(!fs::exists(pdfs / ("invoice-" + year + "-0001.pdf")));  // finalized before the folder was set
  (void)first;

  // A file under the next name (a restored folder, another company): kept, the new PDF gets -2.
  const fs::path taken = pdfs / ("invoice-" + year + "-0003.pdf");
  write_file(taken, "not ours");
  auto made = co.run({"doc", "new", "--type", "invoice", "--party", "DUPONT", "--json"});
  const std::string id = std::to_string(invoicing::test::json_id(made.out));
  REQUIRE(co.run({"doc", "add-line", id, "--article", "LAMP"}).rc == 0);
  auto fin = co.run({"doc", "finalize", id});
  REQUIRE(fin.rc == 0);
  CHECK(read_file(taken) == "not ours");
  const fs::path renamed = pdfs / ("invoice-" + year + "-0003-2.pdf");
  REQUIRE(fs::exists(renamed));
  CHECK_THAT(fin.out, Catch::Contains(renamed.string()));
  CHECK_THAT(text_of(renamed, co.dir().path()), Catch::Contains(co.label(std::stoi(id))));

  // A credit note made and finalized in one step gets its PDF too.
  REQUIRE(co.run({"doc", "convert", std::to_string(second), "--to", "credit-note", "--finalize"}).rc == 0);
  CHECK(fs::exists(pdfs / ("credit-note-" + year + "-0001.pdf")));

  REQUIRE(co.run({"pdf-dir", "--off"}).rc == 0);
  co.invoice("DUPONT", "LAMP");
  CHECK(!fs::exists(pdfs / ("invoice-" + year + "-0004.pdf")));
}

TEST_CASE("finalize: a PDF folder that cannot be written leaves the document final and says so", "[app][outputs]") {
  SmallCompany co;
  REQUIRE(co.run({"pdf-dir", (co / "pdf").string()}).rc == 0);
  fs::remove_all(co / "pdf");
  write_file(co / "pdf", "a file, not a folder");
  auto made = co.run({"doc", "new", "--type", "invoice", "--party", "DUPONT", "--json"});
  const std::string id = std::to_string(invoicing::test::json_id(made.out));
  REQUIRE(co.run({"doc", "add-line", id, "--article", "LAMP"}).rc == 0);
  auto fin = co.run({"doc", "finalize", id});
  CHECK(fin.rc == 1);
  CHECK_THAT(fin.err, Catch::Contains("is final, but its PDF could not be written"));
  CHECK_THAT(co.run({"doc", "show", id, "--json"}).out, Catch::Contains("\"status\":\"final\""));
}

// The company's own data on its documents (invoicing company show|set) and the PDF layout
// files (invoicing layout show|reset): values checked before anything is saved, a refused
// value changes nothing, the logo copied into the data folder's layouts/ and printed.
#include <cairo.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "small_company.h"
#include "store/documents.h"
#include "store/storage.h"

using namespace xbase::test;
using invoicing::test::SmallCompany;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A PNG logo drawn with cairo: a red block, 200 x 80 pixels.
void write_png_logo(const fs::path& p) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 200, 80);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
  cairo_paint(cr);
  cairo_destroy(cr);
  REQUIRE(cairo_surface_write_to_png(s, p.c_str()) == CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(s);
}

int image_count(const fs::path& pdf, const fs::path& scratch) {
  auto r = run_program("pdfimages", {"-list", pdf.string()}, scratch);
  REQUIRE(r.rc == 0);
  return int(split(r.out, '\n').size()) - 3;  // two header lines, the empty rest
}

}  // namespace

TEST_CASE("company set: values are checked and normalized, a refused value changes nothing", "[app][outputs]") {
  SmallCompany co;
  auto before = co.run({"company", "show", "--json"});
  REQUIRE(before.rc == 0);
  auto bad = co.run({"company", "set", "--iban", "BE68 5390 0754 7035", "--vat", "BE0477472702", "--city", "Gent"});
  CHECK(bad.rc == 1);
  CHECK_THAT(bad.err, Catch::Contains("IBAN BE68 5390 0754 7035: the check digits do not match"));
  CHECK_THAT(bad.err, Catch::Contains("VAT number BE0477472702"));
  CHECK(co.run({"company", "show", "--json"}).out == before.out);  // not even the city changed

  CHECK(co.run({"company", "set", "--enterprise-no", "0477.472.702"}).rc == 1);
  CHECK(co.run({"company", "set", "--bic", "GKCC"}).rc == 1);
  CHECK(co.run({"company", "set", "--country", "XX"}).rc == 1);
  CHECK(co.run({"company", "set", "--peppol-id", "208:0477472701"}).rc == 1);
  CHECK(co.run({"company", "set", "--name", ""}).rc == 1);
  CHECK(co.run({"company", "set"}).rc == 2);

  auto ok = co.run({"company", "set", "--iban", "be71 0961 2345 6769", "--bic", "gkccbebb", "--phone", "+32 2 555 01 02",
                    "--email", "factures@lumiere.example", "--json"});
  INFO(ok.err);
  REQUIRE(ok.rc == 0);
  const json p = json::parse(ok.out);
  CHECK(p["iban"] == "BE71096123456769");
  CHECK(p["bic"] == "GKCCBEBB");
  CHECK(p["enterprise-no"] == "0477472701");
  CHECK(p["name"] == "Atelier Lumière BV");
  CHECK(p["e_invoice_problems"].empty());

  // What is missing for e-invoices is shown, not refused.
  REQUIRE(co.run({"company", "set", "--city", ""}).rc == 0);
  auto show = co.run({"company", "show"});
  CHECK_THAT(show.out, Catch::Contains("e-invoices need:") && Catch::Contains("seller.city: missing"));
}

TEST_CASE("company set --logo: the logo is copied into layouts/ and printed, a bad file is refused", "[app][outputs]") {
  SmallCompany co;
  const int id = co.invoice("DUPONT", "LAMP");
  REQUIRE(co.run({"doc", "pdf", std::to_string(id), "--out", (co / "plain.pdf").string()}).rc == 0);

  write_file(co / "not-a-logo.png", "hello");
  auto bad = co.run({"company", "set", "--logo", (co / "not-a-logo.png").string()});
  CHECK(bad.rc == 1);
  CHECK_THAT(bad.err, Catch::Contains("not-a-logo.png"));
  CHECK(!fs::exists(co.data() / "layouts" / "logo.png"));

  write_png_logo(co / "mine.png");
  REQUIRE(co.run({"company", "set", "--logo", (co / "mine.png").string()}).rc == 0);
  CHECK(read_file(co.data() / "layouts" / "logo.png") == read_file(co / "mine.png"));
  fs::remove(co / "mine.png");  // the data folder has its own copy
  REQUIRE(co.run({"doc", "pdf", std::to_string(id), "--out", (co / "logo.pdf").string()}).rc == 0);
  CHECK(image_count(co / "logo.pdf", co.dir().path()) == image_count(co / "plain.pdf", co.dir().path()) + 1);

  REQUIRE(co.run({"company", "set", "--no-logo"}).rc == 0);
  REQUIRE(co.run({"doc", "pdf", std::to_string(id), "--out", (co / "again.pdf").string()}).rc == 0);
  CHECK(image_count(co / "again.pdf", co.dir().path()) == image_count(co / "plain.pdf", co.dir().path()));
}

TEST_CASE("layout show prints a complete layout file, reset keeps the old file beside", "[app][outputs]") {
  SmallCompany co;
  auto shown = co.run({"layout", "show", "invoice"});
  REQUIRE(shown.rc == 0);
  CHECK_THAT(shown.out, Catch::Contains("[page]") && Catch::Contains("margin_top = 14") &&
                            Catch::Contains("show = code description quantity unit unit_price discount vat_rate net"));
  // A delivery note's built-in columns leave out the prices.
  CHECK_THAT(co.run({"layout", "show", "delivery-note"}).out, Catch::Contains("show = code description quantity unit\n"));

  // What `show` prints is a layout file: edited and put in place, it is read back.
  std::string text = shown.out;
  text.replace(text.find("margin_top = 14"), 15, "margin_top = 30");
  fs::create_directories(co.data() / "layouts");
  write_file(co.data() / "layouts" / "invoice.ini", text);
  auto again = co.run({"layout", "show", "invoice"});
  REQUIRE(again.rc == 0);
  CHECK_THAT(again.out, Catch::Contains("margin_top = 30") && Catch::Contains("invoice.ini"));

  // A bad file is named with its line.
  write_file(co.data() / "layouts" / "invoice.ini", "[page]\nmargin_top = lots\n");
  auto bad = co.run({"layout", "show", "invoice"});
  CHECK(bad.rc == 1);
  CHECK_THAT(bad.err, Catch::Contains("invoice.ini:2: [page] margin_top"));
  const int id = co.invoice("DUPONT", "LAMP");
  auto pdf = co.run({"doc", "pdf", std::to_string(id)});
  CHECK(pdf.rc == 1);
  CHECK_THAT(pdf.err, Catch::Contains("invoice.ini:2: [page] margin_top"));

  auto reset = co.run({"layout", "reset", "invoice"});
  REQUIRE(reset.rc == 0);
  CHECK(!fs::exists(co.data() / "layouts" / "invoice.ini"));
  CHECK(read_file(co.data() / "layouts" / "invoice.ini.old") == "[page]\nmargin_top = lots\n");
  CHECK_THAT(co.run({"layout", "show", "invoice"}).out, Catch::Contains("margin_top = 14"));
  CHECK(co.run({"layout", "show", "letter"}).rc == 2);
}

TEST_CASE("verify --fix computes the open amounts kept on invoices again, which verify alone only reports", "[app]") {
  SmallCompany co;
  const int id = co.invoice("DUPONT", "LAMP");
  {
    namespace store = invoicing::store;
    store::OpenOptions o;
    o.who = {"test", "TEST"};
    auto c = store::Company::open(co.data(), o);
    store::Action a(c->storage());
    const auto row = store::Documents(*c).show(id).doc.row;
    c->storage().lock(store::Tbl::doc, row, std::chrono::seconds(5));
    c->storage().update(store::Tbl::doc, row,
                        store::Row().dec(store::fld::open_amount, *invoicing::domain::Decimal::parse("1")));
    a.commit();
  }
  auto found = co.run({"verify"});
  CHECK(found.rc == 1);
  CHECK(found.out.find("stored as 1.00 left to pay") != std::string::npos);
  auto fixed = co.run({"verify", "--fix"});
  INFO(fixed.out << fixed.err);
  CHECK(fixed.rc == 0);
  CHECK(fixed.out.find("1 stored open amount corrected") != std::string::npos);
  CHECK(co.run({"verify"}).rc == 0);
  CHECK(co.run({"verify", "--fix"}).out.find("0 stored open amounts corrected") != std::string::npos);
}

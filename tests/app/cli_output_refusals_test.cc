// What cannot leave the program is refused before anything is written, and the message names
// the document and the field: an e-invoice for a customer without a country, with a VAT
// number that fails its check, an exempt line without a reason, a seller without an IBAN;
// drafts have no PDF or e-invoice yet.
#include <catch2/catch.hpp>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "small_company.h"

using namespace xbase::test;
using invoicing::test::SmallCompany;
namespace fs = std::filesystem;

TEST_CASE("doc ubl: a customer without a country is refused naming the document and BT-55", "[app][outputs]") {
  SmallCompany co;
  const int id = co.invoice("DUPONT", "LAMP");
  REQUIRE(co.run({"doc", "ubl", std::to_string(id), "--out", (co / "ok.xml").string()}).rc == 0);
  co.corrupt_customer("DUPONT", "COUNTRY", "");
  auto r = co.run({"doc", "ubl", std::to_string(id), "--out", (co / "bad.xml").string()});
  CHECK(r.rc == 1);
  CHECK_THAT(r.err, Catch::Contains(co.label(id) + ": buyer.country: missing (BT-55)"));
  CHECK(!fs::exists(co / "bad.xml"));
}

TEST_CASE("doc ubl: a VAT number that fails its check is refused naming the field", "[app][outputs]") {
  SmallCompany co;
  const int id = co.invoice("DUPONT", "LAMP");
  co.corrupt_customer("DUPONT", "VAT", "BE0414445662");
  auto r = co.run({"doc", "ubl", std::to_string(id), "--out", (co / "bad.xml").string()});
  CHECK(r.rc == 1);
  CHECK_THAT(r.err, Catch::Contains(co.label(id) + ": buyer.vat_number: BE0414445662 is not a valid VAT number"));
  CHECK(!fs::exists(co / "bad.xml"));
  // Its PDF is still made: a paper invoice does not need what Peppol needs.
  CHECK(co.run({"doc", "pdf", std::to_string(id), "--out", (co / "ok.pdf").string()}).rc == 0);
}

namespace {

// An exempt line says why from the moment it is added (the store's rule); one that lost its
// reason (an older program's data) is still refused by the e-invoice.
int exempt_invoice(const SmallCompany& co, const std::string& customer) {
  auto made = co.run({"doc", "new", "--type", "invoice", "--party", customer, "--json"});
  REQUIRE(made.rc == 0);
  const std::string id = std::to_string(nlohmann::json::parse(made.out)["id"].get<int>());
  auto bare = co.run({"doc", "add-line", id, "--article", "VERZEK", "--qty", "1"});
  CHECK(bare.rc == 1);
  CHECK_THAT(bare.err, Catch::Contains("line 1: an exempt line (E) names its exemption"));
  REQUIRE(co.run({"doc", "add-line", id, "--article", "VERZEK", "--qty", "1", "--vat-cat", "E", "--vat-rate", "0",
                  "--vat-reason", "Exempt, art. 44 Belgian VAT Code"})
              .rc == 0);
  REQUIRE(co.run({"doc", "finalize", id}).rc == 0);
  return std::stoi(id);
}

}  // namespace

TEST_CASE("doc ubl: an exempt line without a reason is refused naming the line", "[app][outputs]") {
  SmallCompany co;
  const int id = exempt_invoice(co, "DUPONT");
  // With its reason the e-invoice carries it (BT-120).
  REQUIRE(co.run({"doc", "ubl", std::to_string(id), "--out", (co / "ok.xml").string()}).rc == 0);
  CHECK_THAT(read_file(co / "ok.xml"), Catch::Contains("Exempt, art. 44 Belgian VAT Code"));
  co.corrupt_line(id, 1, "EXREASON", "");
  auto r = co.run({"doc", "ubl", std::to_string(id), "--out", (co / "bad.xml").string()});
  CHECK(r.rc == 1);
  CHECK_THAT(r.err, Catch::Contains(co.label(id) + ": lines[1].exemption_reason: an exempt line must say why"));
  CHECK(!fs::exists(co / "bad.xml"));
}

TEST_CASE("export ubl: one document that cannot be an e-invoice stops the whole ZIP, all problems named",
          "[app][outputs]") {
  SmallCompany co;
  const int first = co.invoice("DUPONT", "LAMP");
  const int second = exempt_invoice(co, "BAKKER");
  const int third = co.invoice("DUPONT", "LAMP");
  co.corrupt_customer("DUPONT", "CITY", "");
  co.corrupt_line(second, 1, "EXREASON", "");
  const fs::path zip = co / "q.zip";
  auto r = co.run({"export", "--from", "2000-01-01", "--to", "2099-12-31", "--format", "pdf+ubl", "--zip", zip.string()});
  CHECK(r.rc == 1);
  CHECK_THAT(r.err, Catch::Contains("nothing was written"));
  CHECK_THAT(r.err, Catch::Contains(co.label(first) + ": buyer.city: missing"));
  CHECK_THAT(r.err, Catch::Contains(co.label(second) + ": lines[1].exemption_reason"));
  CHECK_THAT(r.err, Catch::Contains(co.label(third) + ": buyer.city: missing"));
  CHECK(!fs::exists(zip));
  for (const auto& e : fs::directory_iterator(co.dir().path()))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
  // PDFs alone can be made.
  CHECK(co.run({"export", "--from", "2000-01-01", "--to", "2099-12-31", "--format", "pdf", "--zip", zip.string()}).rc == 0);
}

TEST_CASE("doc ubl: a seller without an IBAN is refused naming BT-84", "[app][outputs]") {
  SmallCompany co;
  const int id = co.invoice("DUPONT", "LAMP");
  REQUIRE(co.run({"company", "set", "--iban", ""}).rc == 0);
  auto r = co.run({"doc", "ubl", std::to_string(id)});
  CHECK(r.rc == 1);
  CHECK_THAT(r.err, Catch::Contains("seller.iban: missing"));
}

TEST_CASE("doc pdf/ubl: a draft has no number yet and is refused", "[app][outputs]") {
  SmallCompany co;
  auto made = co.run({"doc", "new", "--type", "invoice", "--party", "DUPONT", "--json"});
  REQUIRE(made.rc == 0);
  const std::string id = std::to_string(invoicing::test::json_id(made.out));
  REQUIRE(co.run({"doc", "add-line", id, "--article", "LAMP"}).rc == 0);
  for (const char* what : {"pdf", "ubl"}) {
    auto r = co.run({"doc", what, id});
    CHECK(r.rc == 1);
    CHECK_THAT(r.err, Catch::Contains("is a draft: finalize it first"));
  }
  CHECK(co.run({"doc", "pdf", "999"}).rc == 1);
  CHECK(co.run({"doc", "pdf", "abc"}).rc == 2);
  CHECK(co.run({"doc", "pdf", id, "--lang", "de"}).rc == 2);
}

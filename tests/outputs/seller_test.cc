// The company as the seller: its profile normalized and checked field by field, and what an
// e-invoice still needs of it.
#include <catch2/catch.hpp>
#include <map>

#include "outputs/seller.h"
#include "outputs/ubl_rules.h"

using namespace invoicing::outputs;
using invoicing::store::CompanyProfile;

namespace {

CompanyProfile complete() {
  CompanyProfile p;
  p.name = "Atelier Vandenberghe BV";
  p.street = "Kortrijksesteenweg 112";
  p.postcode = "9000";
  p.city = "Gent";
  p.country = "be";
  p.vat = "be 0477.472.701";
  p.enterprise_no = "0477.472.701";
  p.iban = "be68 5390 0754 7034";
  p.bic = "gkccbebb";
  p.email = "facturen@vandenberghe.example";
  return p;
}

}  // namespace

TEST_CASE("Seller: the profile is normalized, and complete it makes e-invoices", "[outputs][seller]") {
  CompanyProfile p = complete();
  CHECK(normalize_profile(p).empty());
  CHECK(p.country == "BE");
  CHECK(p.vat == "BE0477472701");
  CHECK(p.enterprise_no == "0477472701");
  CHECK(p.iban == "BE68539007547034");
  CHECK(p.bic == "GKCCBEBB");
  const Party s = seller_party(p, "/data/layouts");
  CHECK(s.enterprise_number == "0477472701");
  CHECK(s.address_lines == std::vector<std::string>{"Kortrijksesteenweg 112"});
  CHECK(s.logo_path.empty());
  CHECK(check_seller(s, "company").empty());
  CHECK(peppol_endpoint(s)->scheme == "0208");
  p.logo = "logo.png";
  CHECK(seller_party(p, "/data/layouts").logo_path == "/data/layouts/logo.png");
}

TEST_CASE("Seller: each bad field is named with its value", "[outputs][seller]") {
  CompanyProfile p = complete();
  p.name = " ";
  p.country = "XX";
  p.vat = "BE0477472702";
  p.enterprise_no = "0477.472.702";
  p.iban = "BE68539007547035";
  p.bic = "GKCC";
  p.email = "nobody";
  p.peppol_id = "208:123";
  const auto problems = normalize_profile(p);
  std::map<std::string, std::string> by_key;
  for (const auto& pr : problems) by_key[std::string(pr.key)] = pr.message;
  CHECK(problems.size() == 8);
  CHECK_THAT(by_key["company"], Catch::Contains("name: missing"));
  CHECK_THAT(by_key["country"], Catch::Contains("XX"));
  CHECK_THAT(by_key["vat"], Catch::Contains("BE0477472702"));
  CHECK_THAT(by_key["enterprise_no"], Catch::Contains("0477.472.702"));
  CHECK_THAT(by_key["iban"], Catch::Contains("BE68539007547035"));
  CHECK_THAT(by_key["bic"], Catch::Contains("GKCC"));
  CHECK_THAT(by_key["email"], Catch::Contains("nobody"));
  CHECK_THAT(by_key["peppol_id"], Catch::Contains("208:123"));
}

TEST_CASE("Seller: a Dutch company's registration number is its KvK number", "[outputs][seller]") {
  CompanyProfile p = complete();
  p.country = "NL";
  p.vat = "NL004495445B01";
  p.enterprise_no = "1234 5678";
  CHECK(normalize_profile(p).empty());
  const Party s = seller_party(p, "/data/layouts");
  CHECK(s.kvk == "12345678");
  CHECK(s.enterprise_number.empty());
  CHECK(peppol_endpoint(s)->scheme == "0106");
  p.enterprise_no = "123";
  CHECK(normalize_profile(p).size() == 1);
}

TEST_CASE("Seller: what an e-invoice still needs is listed, not refused", "[outputs][seller]") {
  CompanyProfile p;
  p.name = "Nieuwe zaak";
  CHECK(normalize_profile(p).empty());
  std::string all;
  for (const auto& pr : check_seller(seller_party(p, "l"), "company")) all += pr.message + "\n";
  CHECK_THAT(all, Catch::Contains("seller.city: missing"));
  CHECK_THAT(all, Catch::Contains("seller.vat_number: missing"));
  CHECK_THAT(all, Catch::Contains("seller.iban: missing"));
  CHECK_THAT(all, Catch::Contains("seller.peppol_id"));
}

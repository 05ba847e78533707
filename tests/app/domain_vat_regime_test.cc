// VAT per customer and article for a Belgian supplier (issue 19: a Dutch business with a
// valid VAT number got 21 %; rates 7 % and 99 % were accepted as overrides).
#include <catch2/catch.hpp>

#include "domain/vat_regime.h"

using namespace invoicing::domain;

namespace {
Decimal n(int v) { return Decimal::from_integer(v); }
VatCustomer business(const char* country) { return {country, true, true, false, false}; }
VatCustomer person(const char* country) { return {country, false, false, false, false}; }
VatArticle goods(int rate = 21) { return {SupplyKind::goods, false, n(rate)}; }
VatArticle services(int rate = 21) { return {SupplyKind::services, false, n(rate)}; }
VatArticle construction(int rate = 21) { return {SupplyKind::services, true, n(rate)}; }
VatDecision ok(Checked<VatDecision> c) {
  INFO(c.verdict.reason);
  REQUIRE(c.verdict.ok);
  return *c.value;
}
}  // namespace

TEST_CASE("Regression: a Dutch business with a VAT number pays no Belgian VAT",
          "[app][domain][vat]") {
  VatDecision d = ok(derive_vat("BE", business("NL"), goods()));
  CHECK(d.category == VatCategory::intra_eu);
  CHECK(d.rate.is_zero());
  CHECK(d.exemption_code == "VATEX-EU-IC");
  CHECK(vat_mention(d, "nl").find("art. 39bis") != std::string::npos);
  d = ok(derive_vat("BE", business("nl"), services()));
  CHECK(d.category == VatCategory::reverse_charge);
  CHECK(d.rule == VatRule::intra_eu_services);
  CHECK(d.exemption_code == "VATEX-EU-AE");
  CHECK(d.exemption_reason == "Reverse charge");
  CHECK(vat_mention(d, "en").find("art. 196") != std::string::npos);
  CHECK(vat_mention(d, "fr").find("Autoliquidation") == 0);
  // Greece goes by EL in VAT numbers and GR in ISO 3166: both are the EU.
  CHECK(ok(derive_vat("BE", business("GR"), goods())).category == VatCategory::intra_eu);
}

TEST_CASE("Belgian customers pay Belgian VAT at the article's rate", "[app][domain][vat]") {
  for (int rate : {21, 12, 6}) {
    VatDecision d = ok(derive_vat("BE", business("BE"), goods(rate)));
    CHECK(d.category == VatCategory::standard);
    CHECK(d.rate == n(rate));
    CHECK(vat_mention(d, "nl").empty());
  }
  VatDecision d = ok(derive_vat("BE", person("BE"), goods(0)));
  CHECK(d.category == VatCategory::zero_rated);  // BR-S-05: S is above 0 %
  CHECK(d.exemption_code.empty());
  CHECK(d.exemption_reason.empty());  // BR-Z-10
  Checked<VatDecision> bad = derive_vat("BE", person("BE"), goods(7));
  REQUIRE_FALSE(bad.verdict.ok);
  CHECK(bad.verdict.reason ==
        "the article's VAT rate 7 % is not a Belgian rate (21, 12, 6 or 0 %)");
}

TEST_CASE("Private customers elsewhere in the EU pay Belgian VAT", "[app][domain][vat]") {
  VatDecision d = ok(derive_vat("BE", person("FR"), goods()));
  CHECK(d.category == VatCategory::standard);
  CHECK(d.rate == n(21));
  // A business without a valid VAT number is no intra-Community customer either.
  VatCustomer no_number = business("DE");
  no_number.valid_vat_number = false;
  d = ok(derive_vat("BE", no_number, goods()));
  CHECK(d.category == VatCategory::standard);
  CHECK_FALSE(d.note.empty());
}

TEST_CASE("Outside the EU: goods are exports, B2B services are not subject to Belgian VAT",
          "[app][domain][vat]") {
  VatDecision d = ok(derive_vat("BE", person("US"), goods()));
  CHECK(d.category == VatCategory::export_outside_eu);
  CHECK(d.exemption_code == "VATEX-EU-G");
  CHECK(vat_mention(d, "fr").find("art. 39") != std::string::npos);
  VatCustomer ch = business("CH");
  ch.valid_vat_number = false;
  d = ok(derive_vat("BE", ch, services()));
  CHECK(d.category == VatCategory::exempt);
  CHECK(d.rate.is_zero());
  CHECK(d.exemption_reason.find("art. 21, § 2") != std::string::npos);
  d = ok(derive_vat("BE", person("CH"), services()));
  CHECK(d.category == VatCategory::standard);
  CHECK(d.rate == n(21));
}

TEST_CASE(
    "Construction work: reverse charge for a Belgian contractor, 6 % only with the attestation",
    "[app][domain][vat]") {
  VatCustomer contractor = business("BE");
  contractor.periodic_vat_returns = true;
  VatDecision d = ok(derive_vat("BE", contractor, construction()));
  CHECK(d.category == VatCategory::reverse_charge);
  CHECK(d.rule == VatRule::construction_reverse_charge);
  CHECK(vat_mention(d, "nl").find("art. 20 KB nr. 1") != std::string::npos);
  // A business that files no periodic returns pays VAT itself.
  CHECK(ok(derive_vat("BE", business("BE"), construction())).category == VatCategory::standard);

  VatCustomer home = person("BE");
  d = ok(derive_vat("BE", home, construction(6)));
  CHECK(d.rate == n(21));  // no attestation: the normal rate
  CHECK_FALSE(d.note.empty());
  home.renovation_attestation = true;
  d = ok(derive_vat("BE", home, construction()));
  CHECK(d.rate == n(6));
  CHECK(d.rule == VatRule::renovation_6);
  CHECK(vat_mention(d, "fr").find("attestation") != std::string::npos);
}

TEST_CASE("Regression: overrides take Belgian rates only, and categories that fit the customer",
          "[app][domain][vat]") {
  for (int rate : {7, 99, 0}) {
    Checked<VatDecision> r =
        derive_vat("BE", person("BE"), goods(), VatOverride{VatCategory::standard, n(rate), {}});
    INFO(rate);
    CHECK_FALSE(r.verdict.ok);
  }
  CHECK(ok(derive_vat("BE", person("BE"), goods(), VatOverride{VatCategory::standard, n(12), {}}))
            .rate == n(12));
  CHECK_FALSE(
      derive_vat("BE", person("BE"), goods(), VatOverride{VatCategory::zero_rated, n(6), {}})
          .verdict.ok);
  CHECK_FALSE(
      derive_vat("BE", person("BE"), construction(), VatOverride{VatCategory::standard, n(6), {}})
          .verdict.ok);
  CHECK_FALSE(derive_vat("BE", person("NL"), goods(), VatOverride{VatCategory::intra_eu, {}, {}})
                  .verdict.ok);
  CHECK_FALSE(derive_vat("BE", business("BE"), goods(), VatOverride{VatCategory::intra_eu, {}, {}})
                  .verdict.ok);
  CHECK_FALSE(
      derive_vat("BE", business("NL"), services(), VatOverride{VatCategory::intra_eu, {}, {}})
          .verdict.ok);
  CHECK_FALSE(
      derive_vat("BE", person("NL"), services(), VatOverride{VatCategory::reverse_charge, {}, {}})
          .verdict.ok);
  CHECK_FALSE(
      derive_vat("BE", business("NL"), goods(), VatOverride{VatCategory::export_outside_eu, {}, {}})
          .verdict.ok);
  CHECK_FALSE(derive_vat("BE", person("BE"), services(), VatOverride{VatCategory::exempt, {}, {}})
                  .verdict.ok);
  VatDecision d =
      ok(derive_vat("BE", person("BE"), services(),
                    VatOverride{VatCategory::exempt, {}, "Exempt, art. 44 Belgian VAT Code"}));
  CHECK(d.exemption_reason == "Exempt, art. 44 Belgian VAT Code");
  CHECK(vat_mention(d, "nl") == "Exempt, art. 44 Belgian VAT Code");
}

TEST_CASE("Only Belgian suppliers and known customer countries", "[app][domain][vat]") {
  CHECK_FALSE(derive_vat("NL", person("NL"), goods()).verdict.ok);
  CHECK_FALSE(derive_vat("BE", person(""), goods()).verdict.ok);
  CHECK_FALSE(derive_vat("BE", person("B1"), goods()).verdict.ok);
  CHECK(eu_member("be"));
  CHECK_FALSE(eu_member("GB"));
  CHECK_FALSE(eu_member("CH"));
}

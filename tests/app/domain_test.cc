// Decimal (exact money arithmetic), VAT categories, rates and legal mentions.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "domain/money.h"
#include "domain/vat.h"

using invoicing::domain::apply_percent;
using invoicing::domain::Decimal;
using invoicing::domain::DecimalOverflow;
using invoicing::domain::VatCategory;

namespace {

Decimal d(const char* text) {
  std::optional<Decimal> v = Decimal::parse(text);
  REQUIRE(v.has_value());
  return *v;
}

}  // namespace

TEST_CASE("Decimal::parse accepts plain decimal notation", "[app][domain][decimal]") {
  CHECK(d("12").mantissa() == 12);
  CHECK(d("12").scale() == 0);
  CHECK(d("-12.50").mantissa() == -1250);
  CHECK(d("-12.50").scale() == 2);
  CHECK(d("0.125").mantissa() == 125);
  CHECK(d("0.125").scale() == 3);
  CHECK(d("+3").mantissa() == 3);
  CHECK(d(".5").mantissa() == 5);
  CHECK(d(".5").scale() == 1);
  CHECK(d("-.5").mantissa() == -5);
  CHECK(d("007.10").to_string() == "7.10");
  CHECK(d("0.000000001").mantissa() == 1);
  CHECK(d("0.000000001").scale() == 9);
  CHECK(d("9223372036854775807").mantissa() == std::numeric_limits<int64_t>::max());
  CHECK(d("-9223372036854775808").mantissa() == std::numeric_limits<int64_t>::min());
  CHECK(d("-0").is_zero());
}

TEST_CASE("Decimal::parse rejects everything else", "[app][domain][decimal]") {
  for (const char* bad : {"",
                          "+",
                          "-",
                          ".",
                          "-.",
                          "abc",
                          "1e3",
                          "1E3",
                          "1,000",
                          "1 000",
                          "1,5",
                          "1.2.3",
                          " 1",
                          "1 ",
                          "--1",
                          "+-1",
                          "1-",
                          "12a",
                          "0x10",
                          "0.1234567891",          // 10 decimals
                          "9223372036854775808",   // int64 max + 1
                          "-9223372036854775809",  // int64 min - 1
                          "99999999999999999999999",
                          "1'000",
                          "€5",
                          "inf",
                          "nan"}) {
    INFO(bad);
    CHECK_FALSE(Decimal::parse(bad).has_value());
  }
}

TEST_CASE("Decimal::to_string keeps the scale", "[app][domain][decimal]") {
  CHECK(d("12.50").to_string() == "12.50");
  CHECK(d("12").to_string() == "12");
  CHECK(d("-0.05").to_string() == "-0.05");
  CHECK(d("0.5").to_string() == "0.5");
  CHECK(d(".5").to_string() == "0.5");
  CHECK(d("-0.00").to_string() == "0.00");
  CHECK(d("0.000000001").to_string() == "0.000000001");
  CHECK(Decimal::from_cents(-1).to_string() == "-0.01");
  CHECK(Decimal::from_cents(123456).to_string() == "1234.56");
  CHECK(Decimal::from_integer(-7).to_string() == "-7");
  CHECK(Decimal::from_mantissa(-123, 5).to_string() == "-0.00123");
  CHECK(Decimal().to_string() == "0");
  CHECK(d("-9223372036854775808").to_string() == "-9223372036854775808");
  CHECK(Decimal::from_mantissa(std::numeric_limits<int64_t>::min(), 9).to_string() ==
        "-9223372036.854775808");
  CHECK_THROWS_AS(Decimal::from_mantissa(1, 10), std::invalid_argument);
  CHECK_THROWS_AS(Decimal::from_mantissa(1, -1), std::invalid_argument);
}

TEST_CASE("Decimal rounds half away from zero for both signs", "[app][domain][decimal]") {
  CHECK(d("2.345").round(2).to_string() == "2.35");
  CHECK(d("-2.345").round(2).to_string() == "-2.35");
  CHECK(d("2.344").round(2).to_string() == "2.34");
  CHECK(d("-2.344").round(2).to_string() == "-2.34");
  CHECK(d("2.3449999").round(2).to_string() == "2.34");  // no double rounding
  CHECK(d("0.005").round(2).to_string() == "0.01");
  CHECK(d("-0.005").round(2).to_string() == "-0.01");
  CHECK(d("0.0049").round(2).to_string() == "0.00");
  CHECK(d("-0.0049").round(2).to_string() == "0.00");  // no "-0.00"
  CHECK(d("2.5").round(0).to_string() == "3");
  CHECK(d("-2.5").round(0).to_string() == "-3");
  CHECK(d("2.5").round(0).mantissa() == 3);          // banker's rounding would give 2
  CHECK(d("0.125").round(2).to_string() == "0.13");  // banker's would give 0.12
  CHECK(d("99.995").round(2).to_string() == "100.00");
  CHECK(d("-99.995").round(2).to_string() == "-100.00");
  // Rounding to more decimals pads, never changes the value.
  CHECK(d("2.3").round(2).to_string() == "2.30");
  CHECK(d("7").round(2).scale() == 2);
  CHECK(d("7").to_string(3) == "7.000");
  CHECK(d("-1.23456").to_string(4) == "-1.2346");
  CHECK(d("1.23456").to_string(0) == "1");
  CHECK_THROWS_AS(d("1.5").round(10), std::invalid_argument);
  CHECK_THROWS_AS(d("1.5").round(-1), std::invalid_argument);
  CHECK_THROWS_AS(d("9223372036854775807").round(2), DecimalOverflow);
}

TEST_CASE("Decimal arithmetic is exact", "[app][domain][decimal]") {
  // The classic binary floating point failure: 0.1 + 0.2 != 0.3.
  CHECK(d("0.1") + d("0.2") == d("0.3"));
  CHECK((d("0.1") + d("0.2")).to_string() == "0.3");
  CHECK((d("12.50") + d("0.125")).to_string() == "12.625");
  CHECK((d("12.50") - d("12.5")).to_string() == "0.00");
  CHECK((d("1") - d("1.01")).to_string() == "-0.01");
  // * adds the scales.
  CHECK((d("1.5") * d("1.25")).to_string() == "1.875");
  CHECK((d("3") * d("9.95")).to_string() == "29.85");
  CHECK((d("-2.000") * d("0.50")).to_string() == "-1.00000");
  CHECK((d("1.10") * d("1.10")).to_string() == "1.2100");
  // Scales above 9: trailing zeros first, then rounding half away from zero to 9.
  CHECK((d("0.100000") * d("0.1000")).to_string() == "0.010000000");
  CHECK((d("0.100000") * d("0.1000")).scale() == 9);
  CHECK((d("0.000000005") * d("0.5")).to_string() == "0.000000003");
  CHECK((d("-0.000000005") * d("0.5")).to_string() == "-0.000000003");
  Decimal acc = d("10.00");
  acc += d("0.05");
  acc -= d("0.10");
  acc *= d("2");
  CHECK(acc.to_string() == "19.90");
  CHECK((-d("3.20")).to_string() == "-3.20");
  CHECK(d("-3.20").abs().to_string() == "3.20");
  CHECK(d("3.20").abs().to_string() == "3.20");
  CHECK(d("-3.20").is_negative());
  CHECK(d("-3.20").sign() == -1);
  CHECK(d("0.00").sign() == 0);
  CHECK(d("0.00").is_zero());
  CHECK_FALSE(d("0.01").is_zero());
}

TEST_CASE("Decimal overflow is an error, never a wrap-around", "[app][domain][decimal]") {
  const Decimal max = Decimal::from_integer(std::numeric_limits<int64_t>::max());
  const Decimal min = Decimal::from_integer(std::numeric_limits<int64_t>::min());
  CHECK_THROWS_AS(max + Decimal::from_integer(1), DecimalOverflow);
  CHECK_THROWS_AS(min - Decimal::from_integer(1), DecimalOverflow);
  CHECK_THROWS_AS(max * Decimal::from_integer(2), DecimalOverflow);
  CHECK_THROWS_AS(-min, DecimalOverflow);
  CHECK_THROWS_AS(min.abs(), DecimalOverflow);
  // Aligning scales can overflow too: 10^17 at scale 2 is 10^19 cents.
  CHECK_THROWS_AS(d("100000000000000000") + d("0.01"), DecimalOverflow);
  // The message says what happened.
  try {
    (void)(max * max);
    FAIL("no exception");
  } catch (const DecimalOverflow& e) {
    CHECK(std::string(e.what()).find("overflow") != std::string::npos);
    CHECK(std::string(e.what()).find("multiplication") != std::string::npos);
  }
  // A product that does not fit in 64 bits but is reduced back into range is fine:
  // intermediate products use 128 bits.
  CHECK((d("0.000000010") * d("922337203685477580.7")).to_string() == "9223372036.854775807");
  CHECK((d("999999999.999999999") * d("0.000000001")).to_string() == "1.000000000");
  CHECK_THROWS_AS(d("999999999.999999999") * d("999999999.999999999"), DecimalOverflow);
  // Amounts an invoicing program meets are far inside the range.
  CHECK((d("9999999999.99") * d("100.000")).to_string() == "999999999999.00000");
}

TEST_CASE("Decimal compares by value", "[app][domain][decimal]") {
  CHECK(d("1.50") == d("1.5"));
  CHECK(d("0") == d("0.00"));
  CHECK(d("-0.00") == d("0"));
  CHECK(d("1.50") != d("1.51"));
  CHECK(d("1.499") < d("1.5"));
  CHECK(d("-1.5") < d("-1.499"));
  CHECK(d("2") > d("1.999999999"));
  CHECK(d("10") >= d("10.000"));
  CHECK(d("-9223372036854775808") < d("9223372036854775807"));
  CHECK(Decimal::from_mantissa(std::numeric_limits<int64_t>::max(), 0) >
        Decimal::from_mantissa(std::numeric_limits<int64_t>::max(), 9));
}

TEST_CASE("apply_percent is exact", "[app][domain][decimal]") {
  CHECK(apply_percent(d("100.00"), d("21")) == d("21"));
  CHECK(apply_percent(d("100.00"), d("21")).scale() == 4);
  CHECK(apply_percent(d("0.50"), d("21")).to_string() == "0.1050");
  CHECK(apply_percent(d("183.23"), d("6")).to_string() == "10.9938");
  CHECK(apply_percent(d("-0.50"), d("21")).to_string() == "-0.1050");
  CHECK(apply_percent(d("29.97"), d("12.5")).to_string() == "3.74625");
  CHECK(apply_percent(d("1"), d("0")).is_zero());
}

TEST_CASE("VAT category codes are UNCL5305", "[app][domain][vat]") {
  using invoicing::domain::code;
  using invoicing::domain::vat_category_from_code;
  CHECK(std::string(code(VatCategory::standard)) == "S");
  CHECK(std::string(code(VatCategory::zero_rated)) == "Z");
  CHECK(std::string(code(VatCategory::exempt)) == "E");
  CHECK(std::string(code(VatCategory::reverse_charge)) == "AE");
  CHECK(std::string(code(VatCategory::intra_eu)) == "K");
  CHECK(std::string(code(VatCategory::export_outside_eu)) == "G");
  for (VatCategory c :
       {VatCategory::standard, VatCategory::zero_rated, VatCategory::exempt,
        VatCategory::reverse_charge, VatCategory::intra_eu, VatCategory::export_outside_eu}) {
    CHECK(vat_category_from_code(code(c)) == c);
  }
  CHECK_FALSE(vat_category_from_code("O").has_value());  // not supported (outside scope)
  CHECK_FALSE(vat_category_from_code("s").has_value());
  CHECK_FALSE(vat_category_from_code("").has_value());
}

TEST_CASE("VAT rates per country", "[app][domain][vat]") {
  using invoicing::domain::vat_rates;
  auto be = vat_rates("BE");
  REQUIRE(be.size() == 4);
  CHECK(be[0] == d("21"));
  CHECK(be[1] == d("12"));
  CHECK(be[2] == d("6"));
  CHECK(be[3] == d("0"));
  auto nl = vat_rates("nl");
  REQUIRE(nl.size() == 3);
  CHECK(nl[0] == d("21"));
  CHECK(nl[1] == d("9"));
  CHECK(nl[2] == d("0"));
  CHECK(vat_rates("XX").empty());
  CHECK(vat_rates("").empty());
}

TEST_CASE("VAT legal mentions", "[app][domain][vat]") {
  using invoicing::domain::legal_mention;
  auto has = [](const std::string& text, const char* part) {
    INFO(text << " should contain " << part);
    return text.find(part) != std::string::npos;
  };
  for (const char* lang : {"nl", "fr", "en"}) {
    CHECK(legal_mention(VatCategory::standard, lang).empty());
    CHECK_FALSE(legal_mention(VatCategory::reverse_charge, lang).empty());
    CHECK_FALSE(legal_mention(VatCategory::intra_eu, lang).empty());
    CHECK_FALSE(legal_mention(VatCategory::exempt, lang).empty());
    CHECK_FALSE(legal_mention(VatCategory::export_outside_eu, lang).empty());
    CHECK_FALSE(legal_mention(VatCategory::zero_rated, lang).empty());
  }
  CHECK(has(legal_mention(VatCategory::reverse_charge, "nl"), "Verlegging van heffing"));
  CHECK(has(legal_mention(VatCategory::reverse_charge, "nl"), "art. 51, § 2 WBTW"));
  CHECK(has(legal_mention(VatCategory::reverse_charge, "fr"), "Autoliquidation"));
  CHECK(has(legal_mention(VatCategory::reverse_charge, "fr"), "art. 51, § 2 Code TVA"));
  CHECK(has(legal_mention(VatCategory::reverse_charge, "en"), "Reverse charge"));
  CHECK(legal_mention(VatCategory::intra_eu, "nl") ==
        "Vrijgestelde intracommunautaire levering, art. 39bis WBTW");
  CHECK(legal_mention(VatCategory::intra_eu, "FR") ==
        "Livraison intracommunautaire exonérée, art. 39bis Code TVA");
  CHECK(has(legal_mention(VatCategory::intra_eu, "en"), "intra-Community"));
  CHECK(has(legal_mention(VatCategory::export_outside_eu, "nl"), "art. 39 WBTW"));
  // Unknown languages get English.
  CHECK(legal_mention(VatCategory::reverse_charge, "de") ==
        legal_mention(VatCategory::reverse_charge, "en"));
  CHECK(legal_mention(VatCategory::reverse_charge, "nl") !=
        legal_mention(VatCategory::reverse_charge, "fr"));
}

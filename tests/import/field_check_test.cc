// Each field's check and canonical value.
#include "import/field_check.h"

#include <catch2/catch.hpp>

using namespace invoicing::import;

namespace {
const FieldDef& field(Target t, const char* name) {
  const auto& def = target_def(t);
  return def.fields[static_cast<size_t>(def.index(name))];
}
FieldResult check(Target t, const char* name, const std::string& text, FieldContext ctx = {}) {
  return check_field(field(t, name), Cell{CellKind::text, text}, ctx);
}
FieldResult check_number(Target t, const char* name, const std::string& value) {
  return check_field(field(t, name), Cell{CellKind::number, value}, {});
}
constexpr Target C = Target::customers;
constexpr Target A = Target::articles;
}  // namespace

TEST_CASE("Text: trimmed, length in characters, control characters", "[import][check]") {
  CHECK(check(C, "name", "  Café  ").value == "Café");
  std::string sixty(60, 'x');
  CHECK(check(C, "name", sixty).ok());
  CHECK_THAT(check(C, "name", sixty + "y").reason,
             Catch::Contains("longer than 60 characters (61)"));
  // 60 characters of two bytes each are 120 bytes, and fit.
  std::string accents;
  for (int i = 0; i < 60; ++i) accents += "\xC3\xA9";
  CHECK(check(C, "name", accents).ok());
  CHECK_THAT(check(C, "name",
                   "a\x01"
                   "b")
                 .reason,
             Catch::Contains("control character (0x01)"));
  CHECK_THAT(check(C, "name", "two\nlines").reason, Catch::Contains("line break"));
  CHECK_THAT(check(C, "city", "Li\xC2\x8Ege").reason, Catch::Contains("U+008E"));
  auto note = check(C, "note", "line one\r\nline two\r\n");
  CHECK(note.ok());
  CHECK(note.value == "line one\nline two");
  CHECK_THAT(check(C, "note", "tab\there").reason, Catch::Contains("0x09"));
  CHECK(check(C, "name", "   ").value.empty());
}

TEST_CASE("Countries: codes and names in four languages", "[import][check]") {
  CHECK(check(C, "country", "be").value == "BE");
  CHECK(check(C, "country", "België").value == "BE");
  CHECK(check(C, "country", "Belgique").value == "BE");
  CHECK(check(C, "country", "Nederland").value == "NL");
  CHECK(check(C, "country", "Pays-Bas").value == "NL");
  CHECK(check(C, "country", "Netherlands").value == "NL");
  CHECK(check(C, "country", "Duitsland").value == "DE");
  CHECK(check(C, "country", "Frankrijk").value == "FR");
  CHECK(check(C, "country", "Luxembourg").value == "LU");
  CHECK(check(C, "country", "NLD").value == "NL");
  CHECK_THAT(check(C, "country", "Atlantis").reason, Catch::Contains("not a country"));
}

TEST_CASE("VAT and enterprise numbers, in the light of the country", "[import][check]") {
  CHECK(check(C, "vat", "BE 0403.199.702").value == "BE0403199702");
  CHECK(check(C, "vat", "0403.199.702").value == "BE0403199702");  // shape of a Belgian one
  FieldContext nl;
  nl.row_country = "NL";
  CHECK_THAT(check(C, "vat", "0403.199.702", nl).reason, Catch::Contains("Dutch"));
  CHECK_THAT(check(C, "vat", "BE0403.199.703").reason, Catch::Contains("check digits"));
  CHECK(check(C, "enterprise_number", "0403.199.702").value == "0403199702");
  CHECK(check(C, "enterprise_number", "12345678", nl).value == "12345678");
  CHECK_FALSE(check(C, "enterprise_number", "0403.199.703").ok());
}

TEST_CASE("E-mail, phone, IBAN, BIC, terms, language", "[import][check]") {
  CHECK(check(C, "email", "info@dehoek.be").ok());
  CHECK(check(C, "email", "a@x.be; b@y.nl").value == "a@x.be; b@y.nl");
  for (const char* bad :
       {"info", "info@", "@x.be", "a@b", "a b@x.be", "a@@x.be", "a@x..be", "a@-x.be"}) {
    INFO(bad);
    CHECK_FALSE(check(C, "email", bad).ok());
  }
  CHECK(check(C, "phone", "+32 (0)9 123.45.67").ok());
  CHECK_FALSE(check(C, "phone", "bel me").ok());
  CHECK_FALSE(check(C, "phone", "123").ok());
  CHECK(check(C, "iban", "be68 5390 0754 7034").value == "BE68539007547034");
  CHECK_THAT(check(C, "iban", "BE68 5390 0754 7035").reason, Catch::Contains("check digits"));
  CHECK(check(C, "bic", "gkcc be bb").value == "GKCCBEBB");
  CHECK(check(C, "bic", "DEUTDEFF500").ok());
  CHECK_FALSE(check(C, "bic", "GKCC1EBB").ok());
  CHECK_THAT(check(C, "bic", "GKCCZZBB").reason, Catch::Contains("ZZ"));
  CHECK(check(C, "terms", "30").value == "30");
  CHECK(check(C, "terms", "30 dagen").value == "30");
  CHECK(check(C, "terms", "60 jours").value == "60");
  CHECK(check_number(C, "terms", "45").value == "45");
  CHECK(check_number(C, "terms", "365").ok());
  CHECK_FALSE(check_number(C, "terms", "366").ok());
  CHECK_FALSE(check(C, "terms", "-1").ok());
  CHECK_FALSE(check(C, "terms", "30,5").ok());
  CHECK(check(C, "lang", "Nederlands").value == "nl");
  CHECK(check(C, "lang", "Français").value == "fr");
  CHECK(check(C, "lang", "F").value == "fr");
  CHECK(check(C, "lang", "EN").value == "en");
  CHECK(check(C, "lang", "Deutsch").value == "de");
  CHECK_FALSE(check(C, "lang", "Klingon").ok());
}

TEST_CASE("Article numbers: price, VAT rate and category, stock", "[import][check]") {
  CHECK(check(A, "price", "1.234,5600").value == "1234.56");
  CHECK(check(A, "price", "0,1235").value == "0.1235");
  CHECK_THAT(check(A, "price", "0,12345").reason, Catch::Contains("more than 4 decimals"));
  CHECK_THAT(check(A, "price", "-1").reason, Catch::Contains("negative"));
  CHECK(check(A, "price", "9999999999,9999").ok());
  CHECK_THAT(check(A, "price", "10000000000").reason, Catch::Contains("10,000,000,000"));
  CHECK_FALSE(check(A, "price", "gratis").ok());
  CHECK(check_number(A, "price", "34.95").value == "34.95");
  CHECK(check(A, "stock", "-2,5").value == "-2.5");
  CHECK_FALSE(check(A, "stock", "1,2345").ok());
  CHECK_FALSE(check(A, "min_stock", "-1").ok());
  CHECK(check(A, "vat_rate", "21").value == "21");
  CHECK(check(A, "vat_rate", "6%").value == "6");
  CHECK(check(A, "vat_rate", "12,00 %").value == "12");
  CHECK(check_number(A, "vat_rate", "0.21").value == "21");  // a percentage cell
  CHECK(check(A, "vat_rate", "0").value == "0");
  CHECK_THAT(check(A, "vat_rate", "9").reason, Catch::Contains("BE") && Catch::Contains("21"));
  FieldContext nl;
  nl.supplier_country = "NL";
  CHECK(check(A, "vat_rate", "9", nl).value == "9");
  CHECK(check(A, "vat_category", "ae").value == "AE");
  CHECK_FALSE(check(A, "vat_category", "X").ok());
  CHECK(check(A, "stocked", "ja").value == "1");
  CHECK(check(A, "stocked", "non").value == "0");
  CHECK(check_field(field(A, "stocked"), Cell{CellKind::boolean, "1"}, {}).value == "1");
  CHECK_FALSE(check(A, "stocked", "misschien").ok());
  CHECK(check(A, "kind", "S").value == "S");
  CHECK(check(A, "kind", "dienst").value == "S");
  CHECK(check(A, "kind", "Biens").value == "G");
  CHECK_THAT(check(A, "kind", "X").reason, Catch::Contains("goods (G) or a service (S)"));
  CHECK(check(A, "construction", "oui").value == "1");
  CHECK(check(A, "archived", "nee").value == "0");
}

TEST_CASE("What the store keeps besides: flags, and lengths as the data dictionary has them", "[import][check]") {
  CHECK(check(C, "business", "ja").value == "1");
  CHECK(check(C, "renovation", "x").value == "1");
  CHECK(check(C, "contractor", "no").value == "0");
  CHECK(check(C, "archived", "yes").value == "1");
  // CUSTOMER.EMAIL is C(80) and PHONE C(30).
  std::string email = "info@" + std::string(40, 'a') + "." + std::string(40, 'b') + ".be";
  CHECK_THAT(check(C, "email", email).reason, Catch::Contains("longer than 80 characters"));
  CHECK(check(C, "phone", "+32 (0)9 123 45 67 / 0475 123").ok());
}

// VAT identification numbers: Belgian mod 97, both Dutch rules, VIES formats elsewhere.
#include <catch2/catch.hpp>
#include <string>

#include "domain/vat_number.h"

using invoicing::domain::check_vat_number;
using invoicing::domain::VatNumberCheck;

namespace {
bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("Belgian VAT numbers: normalisation and mod 97", "[app][domain][vat_number]") {
  // Check digits computed by hand: 97 − (first eight digits mod 97).
  //   01234567 mod 97 = 48 → 49;  04031997 mod 97 = 95 → 02;  08228942 mod 97 = 44 → 53
  //   10000000 mod 97 = 76 → 21 (numbers starting with 1, issued since 2023).
  VatNumberCheck r = check_vat_number("be 0123.456.749");
  CHECK(r.valid);
  CHECK(r.normalized == "BE0123456749");
  CHECK(r.country == "BE");
  CHECK(r.reason.empty());
  CHECK(check_vat_number("BE0403.199.702").valid);
  CHECK(check_vat_number("BE 0403-199-702").normalized == "BE0403199702");
  CHECK(check_vat_number("BE0822894253").valid);
  CHECK(check_vat_number("be1000000021").valid);

  r = check_vat_number("BE0123.456.748");  // last digit off by one
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "check digits do not match"));
  CHECK(r.normalized == "BE0123456748");
  CHECK_FALSE(check_vat_number("BE0403199720").valid);  // two digits swapped
  CHECK_FALSE(check_vat_number("BE0413199702").valid);  // one digit changed

  r = check_vat_number("BE123456749");  // 9 digits (old form without the leading 0)
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "Belgian numbers have 10 digits"));
  r = check_vat_number("BE01234567490");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "Belgian numbers have 10 digits"));
  r = check_vat_number("BE2123456749");  // starts with 2
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "start with 0 or 1"));
  CHECK_FALSE(check_vat_number("BE0000000097").valid);
  CHECK_FALSE(check_vat_number("BE0123A56749").valid);
}

TEST_CASE("Dutch VAT numbers: elfproef or mod 97", "[app][domain][vat_number]") {
  // Elfproef: NL820098395B01 is the supplier of EN 16931 example 1 (ubl-tc434-example1.xml);
  // 8·9+2·8+0·7+0·6+9·5+8·4+3·3+9·2 = 192 ≡ 5 (mod 11) = last digit. NL004495445B01 is
  // python-stdnum's example. Neither passes the mod 97 rule.
  VatNumberCheck r = check_vat_number("nl 8200.98.395.B.01");
  CHECK(r.valid);
  CHECK(r.normalized == "NL820098395B01");
  CHECK(r.country == "NL");
  CHECK(check_vat_number("NL004495445B01").valid);
  CHECK(check_vat_number("NL820098395B02").valid);  // the suffix is not part of the elfproef

  // Mod 97 (btw-id of sole proprietors since 2020): NL000099998B57 is the Belastingdienst's
  // published example; "NL000099998B57" with N=23, L=21, B=11 is ≡ 1 (mod 97), and
  // 000099998 fails the elfproef (126 − 8 = 118 ≡ 8).
  r = check_vat_number("NL000099998B57");
  CHECK(r.valid);
  r = check_vat_number("NL000099998B58");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "check digits do not match"));
  r = check_vat_number("NL123456789B01");  // fails both
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "check digits do not match"));
  CHECK_FALSE(check_vat_number("NL820098396B01").valid);

  r = check_vat_number("NL820098395B00");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "B00"));
  r = check_vat_number("NL820098395");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "9 digits, the letter B and 2 digits"));
  CHECK_FALSE(check_vat_number("NL820098395X01").valid);
  CHECK_FALSE(check_vat_number("NL000000000B01").valid);
}

TEST_CASE("Other EU VAT numbers: VIES formats", "[app][domain][vat_number]") {
  for (const char* ok :
       {"DE123456789", "FR40303265045", "FRK7399859412", "LU26375245",     "IT00743110157",
        "ESA12345674", "ESX1234567L",   "AT U 13585627", "PL5260250995",   "IE6388047V",
        "IE1234567FA", "IE8Z49289F",    "DK13585628",    "SE556188840401", "FI20774740",
        "PT501964843", "EL094259216",   "CZ25123891",    "CZ7103192745",   "SK2022749619",
        "HU12892312",  "SI50223054",    "HR33392005961", "RO18547290",     "RO12",
        "BG175074752", "BG1750747521",  "LT119511515",   "LT100001919017", "LV40003521600",
        "EE100931558", "CY10259033P",   "MT11679112",    "XI123456789",    "XIGD123"}) {
    INFO(ok);
    VatNumberCheck r = check_vat_number(ok);
    CHECK(r.valid);
    CHECK(r.reason.empty());
  }
  for (const char* bad :
       {"DE12345678", "DE1234567890", "FR4030326504", "LU2637524", "IT0074311015", "ATU1358562",
        "AT13585627", "PL526025099", "SE55618884040", "EL09425921", "CY102590331", "RO1",
        "RO12345678901", "LT1195115151", "ESA1234567", "DE12345678A"}) {
    INFO(bad);
    VatNumberCheck r = check_vat_number(bad);
    CHECK_FALSE(r.valid);
    CHECK_FALSE(r.reason.empty());
  }
  VatNumberCheck r = check_vat_number("de 123 456 78");
  CHECK(r.country == "DE");
  CHECK(r.reason == "German VAT numbers are 9 digits");
}

TEST_CASE("VAT numbers without a known EU prefix", "[app][domain][vat_number]") {
  VatNumberCheck r = check_vat_number("XX123456789");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "unknown country prefix XX"));
  CHECK(r.country.empty());
  r = check_vat_number("GB123456789");  // no longer in VIES
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "unknown country prefix GB"));
  r = check_vat_number("GR094259216");  // Greece is EL in VIES
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "EL"));
  r = check_vat_number("0123456749");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "country prefix"));
  r = check_vat_number("  ");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "empty"));
  r = check_vat_number("BE");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "no number"));
  CHECK_FALSE(check_vat_number("BE0123/456/749").valid);
}

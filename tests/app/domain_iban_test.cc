// IBANs (ISO 13616) and company registration numbers (KBO/BCE, KvK).
#include <catch2/catch.hpp>
#include <string>

#include "domain/enterprise_number.h"
#include "domain/iban.h"

using invoicing::domain::check_enterprise_number;
using invoicing::domain::check_iban;
using invoicing::domain::iban_length;

namespace {
bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// Recomputes the ISO 7064 check digits of an IBAN whose digits 3-4 are replaced, the long way
// (string of digits, division by hand): an independent derivation of what check_iban verifies.
std::string with_check_digits(std::string iban) {
  std::string moved = iban.substr(4) + iban.substr(0, 2) + "00";
  std::string digits;
  for (char c : moved)
    digits += (c >= 'A' && c <= 'Z') ? std::to_string(c - 'A' + 10) : std::string(1, c);
  int rest = 0;
  for (char d : digits) rest = (rest * 10 + (d - '0')) % 97;
  int check = 98 - rest;
  iban[2] = static_cast<char>('0' + check / 10);
  iban[3] = static_cast<char>('0' + check % 10);
  return iban;
}
}  // namespace

TEST_CASE("IBAN: published examples pass, with spaces and lower case", "[app][domain][iban]") {
  // The examples of the SWIFT IBAN registry.
  auto r = check_iban("be68 5390 0754 7034");
  CHECK(r.valid);
  CHECK(r.normalized == "BE68539007547034");
  CHECK(r.country == "BE");
  CHECK(check_iban("NL91ABNA0417164300").valid);
  CHECK(check_iban("DE89 3704 0044 0532 0130 00").valid);
  CHECK(check_iban("GB82WEST12345698765432").valid);
  CHECK(check_iban("FR1420041010050500013M02606").valid);
  CHECK(check_iban("IBAN LU280019400644750000").valid);
}

TEST_CASE("IBAN: wrong check digits, lengths and countries are named", "[app][domain][iban]") {
  auto r = check_iban("BE68539007547035");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "check digits"));
  r = check_iban("NL91ABNA041716430");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "NL IBANs have 18 characters, this one has 17"));
  r = check_iban("US12345678901234");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "US has no IBANs"));
  CHECK_FALSE(check_iban("").valid);
  CHECK_FALSE(check_iban("1234").valid);
  CHECK(contains(check_iban("BE68 5390 0754 703!").reason, "only letters and digits"));
  CHECK(iban_length("BE") == 16);
  CHECK(iban_length("NL") == 18);
  CHECK(iban_length("ZZ") == 0);
}

TEST_CASE("IBAN: the Belgian account number's own check digits", "[app][domain][iban]") {
  // 539007547034: 5390075470 mod 97 = 34. Change the account's check digits and give the IBAN
  // matching ISO check digits: only the national rule can refuse it.
  std::string bad = with_check_digits("BE00539007547035");
  CHECK(check_iban(with_check_digits("BE00539007547034")).valid);
  auto r = check_iban(bad);
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "Belgian account number"));
}

TEST_CASE("Enterprise numbers: KBO/BCE mod 97 and KvK length", "[app][domain][enterprise]") {
  // 04031997 mod 97 = 95 -> check digits 02 (as for the VAT number BE0403199702).
  auto r = check_enterprise_number("0403.199.702", "");
  CHECK(r.valid);
  CHECK(r.country == "BE");
  CHECK(r.normalized == "0403199702");
  CHECK(check_enterprise_number("403199702", "BE").normalized == "0403199702");
  CHECK(check_enterprise_number("BE 0403 199 702", "").valid);
  r = check_enterprise_number("0403.199.703", "BE");
  CHECK_FALSE(r.valid);
  CHECK(contains(r.reason, "check digits"));
  CHECK(contains(check_enterprise_number("2403199702", "BE").reason, "start with 0 or 1"));
  r = check_enterprise_number("12345678", "");
  CHECK(r.valid);
  CHECK(r.country == "NL");
  CHECK(contains(check_enterprise_number("1234567", "NL").reason, "8 digits"));
  CHECK_FALSE(check_enterprise_number("", "").valid);
}

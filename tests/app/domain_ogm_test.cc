// Belgian structured payment reference (OGM / VCS).
#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "domain/ogm.h"

using invoicing::domain::ogm_base;
using invoicing::domain::ogm_from_number;
using invoicing::domain::ogm_valid;

TEST_CASE("OGM from a number: known examples", "[app][domain][ogm]") {
  // 1234567890 mod 97 = 2 → check digits 02.
  CHECK(ogm_from_number(1234567890) == "+++123/4567/89002+++");
  // 1 mod 97 = 1.
  CHECK(ogm_from_number(1) == "+++000/0000/00101+++");
  // A multiple of 97 gets 97, never 00.
  CHECK(ogm_from_number(97) == "+++000/0000/09797+++");
  CHECK(ogm_from_number(194) == "+++000/0000/19497+++");
  CHECK(ogm_from_number(0) == "+++000/0000/00097+++");
  // 123456789 mod 97 = 39; 9999999999 mod 97 = 48.
  CHECK(ogm_from_number(123456789) == "+++012/3456/78939+++");
  CHECK(ogm_from_number(9999999999ULL) == "+++999/9999/99948+++");
  CHECK_THROWS_AS(ogm_from_number(10000000000ULL), std::invalid_argument);
  CHECK_THROWS_AS(ogm_from_number(UINT64_MAX), std::invalid_argument);
}

TEST_CASE("OGM round trip", "[app][domain][ogm]") {
  for (uint64_t base : {uint64_t{0}, uint64_t{1}, uint64_t{96}, uint64_t{97}, uint64_t{98},
                        uint64_t{2024000001}, uint64_t{1234567890}, uint64_t{9999999999}}) {
    INFO(base);
    const std::string ref = ogm_from_number(base);
    CHECK(ogm_valid(ref));
    REQUIRE(ogm_base(ref).has_value());
    CHECK(*ogm_base(ref) == base);
  }
  for (uint64_t base = 1000000000; base < 1000000000 + 500; ++base) {
    REQUIRE(ogm_base(ogm_from_number(base)) == base);
  }
}

TEST_CASE("OGM accepted forms", "[app][domain][ogm]") {
  CHECK(ogm_valid("+++123/4567/89002+++"));
  CHECK(ogm_valid("***123/4567/89002***"));
  CHECK(ogm_valid("123456789002"));
  CHECK(ogm_valid("+++ 123/4567/89002 +++"));
  CHECK(ogm_base("***123/4567/89002***") == uint64_t{1234567890});
  CHECK(ogm_base("123456789002") == uint64_t{1234567890});
}

TEST_CASE("OGM invalid references", "[app][domain][ogm]") {
  for (const char* bad : {
           "+++123/4567/89003+++",  // wrong check digits
           "+++123/4567/89000+++",  // 00 is never a check value
           "123456789003",          // wrong check digits, bare
           "+++000/0000/00000+++",  // base 0 has check 97
           "***123/4567/89002+++",  // mixed frames
           "++123/4567/89002++",    // short frames
           "+++1234/567/89002+++",  // slashes misplaced
           "+++123-4567-89002+++",  // other separators
           "+++123/4567/8900+++",   // 11 digits
           "12345678900",           // 11 digits, bare
           "1234567890022",         // 13 digits, bare
           "+++12a/4567/89002+++",  // not a digit
           "",
       }) {
    INFO(bad);
    CHECK_FALSE(ogm_valid(bad));
    CHECK_FALSE(ogm_base(bad).has_value());
  }
}

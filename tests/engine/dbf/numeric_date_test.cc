// Decimal text helpers (canonical_decimal, round_decimal) and the calendar (julian_day,
// from_julian_day, valid_date) that N/F, D and T fields rely on.
#include <catch2/catch.hpp>
#include <string>

#include "dbf/field_codec.h"
#include "xbase/value.h"

namespace {

std::string canon(std::string_view in) {
  std::string out;
  REQUIRE(xbase::canonical_decimal(in, out));
  return out;
}

bool rejects(std::string_view in) {
  std::string out;
  return !xbase::canonical_decimal(in, out);
}

}  // namespace

TEST_CASE("canonical_decimal normalises stored numeric text", "[engine][decimal]") {
  CHECK(canon("+007.50") == "7.50");
  CHECK(canon("-.5") == "-0.5");
  CHECK(canon("5.") == "5");
  CHECK(canon("   -12.50") == "-12.50");  // right-aligned as stored
  CHECK(canon("12   ") == "12");          // left-aligned (foreign writers)
  CHECK(canon("000") == "0");
  CHECK(canon("-0") == "0");  // no negative zero
  CHECK(canon("-0.00") == "0.00");
  CHECK(canon("-0.01") == "-0.01");
  CHECK(canon(std::string_view("\0\0"
                               "42\0",
                               5)) == "42");  // NUL padding (non-xBase writers)
  CHECK(canon("12345678901234567890") == "12345678901234567890");  // beyond double precision
  CHECK(canon("0.000000000000000000001") == "0.000000000000000000001");
}

TEST_CASE("canonical_decimal refuses text that is not a decimal", "[engine][decimal]") {
  CHECK(rejects(""));
  CHECK(rejects("   "));
  CHECK(rejects("-"));
  CHECK(rejects("1.2.3"));
  CHECK(rejects("1,5"));
  CHECK(rejects("12a"));
  CHECK(rejects("--1"));
  CHECK(rejects("*****"));
  CHECK(rejects("1 2"));
}

TEST_CASE("round_decimal rounds half away from zero and pads", "[engine][decimal]") {
  using xbase::dbf::round_decimal;
  CHECK(round_decimal("1.005", 2) == "1.01");  // exact decimal, no binary floating error
  CHECK(round_decimal("-1.005", 2) == "-1.01");
  CHECK(round_decimal("1.004", 2) == "1.00");
  CHECK(round_decimal("9.999", 2) == "10.00");
  CHECK(round_decimal("-9.999", 2) == "-10.00");
  CHECK(round_decimal("99.95", 1) == "100.0");
  CHECK(round_decimal("0.5", 0) == "1");
  CHECK(round_decimal("-0.5", 0) == "-1");
  CHECK(round_decimal("0.49", 0) == "0");
  CHECK(round_decimal("-0.004", 2) == "0.00");  // rounds to zero: no "-0.00"
  CHECK(round_decimal("5", 3) == "5.000");
  CHECK(round_decimal("123.456", 0) == "123");
  CHECK(round_decimal("-7.5", 2) == "-7.50");
  CHECK(round_decimal("0", 0) == "0");
}

TEST_CASE("julian_day matches known day numbers", "[engine][date]") {
  using xbase::Date;
  using xbase::julian_day;
  CHECK(julian_day(Date{2000, 1, 1}) == 2451545);
  CHECK(julian_day(Date{1970, 1, 1}) == 2440588);
  CHECK(julian_day(Date{1, 1, 1}) == 1721426);       // first day VFP datetimes allow
  CHECK(julian_day(Date{9999, 12, 31}) == 5373484);  // last one
  CHECK(julian_day(Date{1582, 10, 15}) == 2299161);  // first Gregorian day
  CHECK(julian_day(Date{2000, 3, 1}) - julian_day(Date{2000, 2, 28}) == 2);  // 2000 is leap
  CHECK(julian_day(Date{1900, 3, 1}) - julian_day(Date{1900, 2, 28}) == 1);  // 1900 is not
}

TEST_CASE("from_julian_day inverts julian_day", "[engine][date]") {
  using xbase::Date;
  CHECK(xbase::from_julian_day(2451545) == Date{2000, 1, 1});
  CHECK(xbase::from_julian_day(1721426) == Date{1, 1, 1});
  CHECK(xbase::from_julian_day(5373484) == Date{9999, 12, 31});
  // Every day of 1599..2401 survives the round trip and consecutive days are consecutive.
  int32_t first = xbase::julian_day(Date{1599, 1, 1});
  int32_t last = xbase::julian_day(Date{2401, 12, 31});
  Date prev = xbase::from_julian_day(first - 1);
  size_t bad = 0;
  for (int32_t j = first; j <= last; ++j) {
    Date d = xbase::from_julian_day(j);
    if (!xbase::valid_date(d) || xbase::julian_day(d) != j) ++bad;
    bool next_day = d.day == prev.day + 1 && d.month == prev.month && d.year == prev.year;
    bool next_month =
        d.day == 1 && (d.month == prev.month + 1 || (d.month == 1 && d.year == prev.year + 1));
    if (!next_day && !next_month) ++bad;
    prev = d;
  }
  CHECK(bad == 0);
}

TEST_CASE("valid_date knows month lengths and leap years", "[engine][date]") {
  using xbase::Date;
  using xbase::valid_date;
  CHECK(valid_date(Date{2024, 2, 29}));
  CHECK_FALSE(valid_date(Date{2023, 2, 29}));
  CHECK(valid_date(Date{2000, 2, 29}));
  CHECK_FALSE(valid_date(Date{1900, 2, 29}));
  CHECK_FALSE(valid_date(Date{2024, 4, 31}));
  CHECK(valid_date(Date{2024, 12, 31}));
  CHECK_FALSE(valid_date(Date{2024, 13, 1}));
  CHECK_FALSE(valid_date(Date{2024, 0, 1}));
  CHECK_FALSE(valid_date(Date{2024, 1, 0}));
  CHECK_FALSE(valid_date(Date{0, 1, 1}));
  CHECK_FALSE(valid_date(Date{10000, 1, 1}));
}

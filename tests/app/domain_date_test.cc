// Calendar arithmetic the rules rely on (due dates, ageing, fiscal years).
#include <catch2/catch.hpp>

#include "domain/date.h"

using namespace invoicing::domain;

TEST_CASE("Dates: validity, ISO text and day arithmetic", "[app][domain][date]") {
  CHECK(valid_date({2024, 2, 29}));
  CHECK_FALSE(valid_date({2025, 2, 29}));
  CHECK_FALSE(valid_date({1900, 2, 29}));
  CHECK(valid_date({2000, 2, 29}));
  CHECK_FALSE(valid_date({0, 1, 1}));
  CHECK(day_number({1970, 1, 1}) == 0);
  CHECK(day_number({2000, 3, 1}) - day_number({2000, 2, 28}) == 2);
  for (int64_t n : {-719162, -1, 0, 1, 20000, 2932896}) CHECK(day_number(from_day_number(n)) == n);
  CHECK(add_days({2026, 12, 20}, 30) == Date{2027, 1, 19});
  CHECK(days_between({2026, 1, 1}, {2027, 1, 1}) == 365);
  CHECK(end_of_month({2028, 2, 3}) == Date{2028, 2, 29});
  CHECK(add_months({2026, 1, 31}, 1) == Date{2026, 2, 28});
  CHECK(add_months({2026, 11, 15}, 3) == Date{2027, 2, 15});
  CHECK(add_months({2026, 3, 15}, -3) == Date{2025, 12, 15});
  CHECK(parse_iso_date("2026-03-31") == Date{2026, 3, 31});
  CHECK_FALSE(parse_iso_date("2026-02-30"));
  CHECK_FALSE(parse_iso_date("26-03-31"));
  CHECK_FALSE(parse_iso_date("2026/03/31"));
  CHECK(to_iso({25, 1, 1}) == "0025-01-01");
}

// Due dates from payment terms.
#include <catch2/catch.hpp>

#include "domain/payment_terms.h"

using namespace invoicing::domain;

TEST_CASE("Due date: days after the invoice date, or after the end of its month",
          "[app][domain][terms]") {
  CHECK(due_date({2026, 1, 15}, {false, 30}) == Date{2026, 2, 14});
  CHECK(due_date({2026, 1, 15}, {true, 30}) == Date{2026, 3, 2});
  CHECK(due_date({2026, 2, 10}, {true, 0}) == Date{2026, 2, 28});
  CHECK(due_date({2026, 12, 20}, {false, 0}) == Date{2026, 12, 20});
  CHECK_THROWS_AS(due_date({2026, 1, 1}, {false, -1}), std::invalid_argument);
}

TEST_CASE("Payment terms are read from text and refused when not understood",
          "[app][domain][terms]") {
  auto t = parse_payment_terms("30");
  REQUIRE(t.verdict.ok);
  CHECK_FALSE(t.value->end_of_month);
  CHECK(t.value->days == 30);
  t = parse_payment_terms("EOM + 60");
  REQUIRE(t.verdict.ok);
  CHECK(t.value->end_of_month);
  CHECK(t.value->days == 60);
  t = parse_payment_terms("end of month + 15 days");
  REQUIRE(t.verdict.ok);
  CHECK(describe(*t.value) == "end of month + 15 days");
  CHECK_FALSE(parse_payment_terms("").verdict.ok);
  CHECK_FALSE(parse_payment_terms("thirty").verdict.ok);
  CHECK_FALSE(parse_payment_terms("-5").verdict.ok);
  t = parse_payment_terms("400");
  REQUIRE_FALSE(t.verdict.ok);
  CHECK(t.verdict.reason == "payment terms are 0 to 365 days, not 400");
}

// Fiscal years and finalization dates (issue 19: numbers out of date order, dates such as
// 0025-01-01 and 9999-12-31 accepted).
#include <catch2/catch.hpp>

#include "domain/fiscal_year.h"

using namespace invoicing::domain;

namespace {
FinalizeDateInput at(Date date, Date today) { return {date, today, std::nullopt, {}, false}; }
}  // namespace

TEST_CASE("A fiscal year is labelled by the calendar year it starts in", "[app][domain][fiscal]") {
  FiscalSettings s;
  CHECK(fiscal_year_of({2026, 1, 1}, s) == 2026);
  CHECK(fiscal_year_of({2026, 12, 31}, s) == 2026);
  s.start_month = 4;
  CHECK(fiscal_year_of({2026, 3, 31}, s) == 2025);
  CHECK(fiscal_year_of({2026, 4, 1}, s) == 2026);
  CHECK(fiscal_year_start(2026, s) == Date{2026, 4, 1});
  CHECK(fiscal_year_end(2026, s) == Date{2027, 3, 31});
  s.start_month = 13;
  CHECK_THROWS_AS(validate(s), std::invalid_argument);
}

TEST_CASE("Regression: impossible and far-off dates are refused", "[app][domain][fiscal]") {
  const FiscalSettings s;
  const Date today{2026, 12, 2};
  Checked<FinalizeDate> r = check_finalize_date(at({25, 1, 1}, today), s);
  REQUIRE_FALSE(r.verdict.ok);
  CHECK(r.verdict.reason.find("before the previous fiscal year") != std::string::npos);
  r = check_finalize_date(at({9999, 12, 31}, today), s);
  REQUIRE_FALSE(r.verdict.ok);
  CHECK(r.verdict.reason == "the date 9999-12-31 is more than 30 days after today (2026-12-02)");
  CHECK(r.verdict.advice == "date it 2027-01-01 at the latest");
  CHECK_FALSE(check_finalize_date(at({2026, 2, 30}, today), s).verdict.ok);
  CHECK(check_finalize_date(at({2027, 1, 1}, today), s).verdict.ok);  // 30 days ahead: allowed
  CHECK_FALSE(check_finalize_date(at({2027, 1, 2}, today), s).verdict.ok);
}

TEST_CASE("Numbers follow date order within the series", "[app][domain][fiscal]") {
  const FiscalSettings s;
  FinalizeDateInput in = at({2026, 3, 5}, {2026, 3, 12});
  in.last_final = Date{2026, 3, 10};
  Checked<FinalizeDate> r = check_finalize_date(in, s);
  REQUIRE_FALSE(r.verdict.ok);
  CHECK(r.verdict.reason ==
        "numbers follow date order: the last final document of this series (2026) is dated "
        "2026-03-10, after 2026-03-05");
  CHECK(r.verdict.advice == "date it 2026-03-10 instead (confirm to do so)");
  in.move_to_last_final = true;
  r = check_finalize_date(in, s);
  REQUIRE(r.verdict.ok);
  CHECK(r.value->date == Date{2026, 3, 10});
  CHECK(r.value->moved);
  CHECK(r.value->fiscal_year == 2026);
  // Same day as the last one, or later: fine and not moved.
  in = at({2026, 3, 10}, {2026, 3, 12});
  in.last_final = Date{2026, 3, 10};
  r = check_finalize_date(in, s);
  REQUIRE(r.verdict.ok);
  CHECK_FALSE(r.value->moved);
}

TEST_CASE("The previous fiscal year takes documents during its grace period, unless closed",
          "[app][domain][fiscal]") {
  FiscalSettings s;
  // 31 days into 2027: 2027-01-31 is the last day that still takes 2026 documents.
  Checked<FinalizeDate> r = check_finalize_date(at({2026, 12, 30}, {2027, 1, 31}), s);
  REQUIRE(r.verdict.ok);
  CHECK(r.value->fiscal_year == 2026);
  r = check_finalize_date(at({2026, 12, 30}, {2027, 2, 1}), s);
  REQUIRE_FALSE(r.verdict.ok);
  CHECK(r.verdict.reason.find("took documents until 2027-01-31") != std::string::npos);
  FinalizeDateInput in = at({2026, 12, 30}, {2027, 1, 5});
  in.closed_years = {2026};
  r = check_finalize_date(in, s);
  REQUIRE_FALSE(r.verdict.ok);
  CHECK(r.verdict.reason.find("fiscal year 2026 is closed") == 0);
  // With a fiscal year starting in July: 2026-06-30 is fiscal 2025, grace until 2026-07-31.
  s.start_month = 7;
  r = check_finalize_date(at({2026, 6, 30}, {2026, 7, 20}), s);
  REQUIRE(r.verdict.ok);
  CHECK(r.value->fiscal_year == 2025);
  s.previous_year_grace_days = 0;
  CHECK_FALSE(check_finalize_date(at({2026, 6, 30}, {2026, 7, 1}), s).verdict.ok);
}

TEST_CASE("The fiscal year start is fixed once documents exist", "[app][domain][fiscal]") {
  CHECK(check_fiscal_start_change(1, 4, false).ok);
  CHECK(check_fiscal_start_change(4, 4, true).ok);
  CHECK_FALSE(check_fiscal_start_change(1, 4, true).ok);
  CHECK_FALSE(check_fiscal_start_change(1, 0, false).ok);
}

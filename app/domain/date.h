// Calendar dates for the rules (invoice dates, due dates, fiscal years, ageing): a plain
// proleptic Gregorian year-month-day with day arithmetic. The store converts its own date
// type to this one; nothing here reads a clock — "today" is always passed in.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace invoicing::domain {

struct Date {
  int year = 0, month = 0, day = 0;
  friend bool operator==(const Date&, const Date&) = default;
  friend std::strong_ordering operator<=>(const Date&, const Date&) = default;
};

// Days in the month (1..12) of the year; 0 for a month outside 1..12.
int days_in_month(int year, int month);
// Year 1..9999, month 1..12, day within the month.
bool valid_date(const Date& d);
// Days since 1970-01-01 (negative before); d must be valid.
int64_t day_number(const Date& d);
Date from_day_number(int64_t days);
Date add_days(const Date& d, int64_t days);
// b − a in days.
int64_t days_between(const Date& a, const Date& b);
// The last day of d's month.
Date end_of_month(const Date& d);
// Adds whole months, keeping the day where the month has it (31 Jan + 1 month = 28/29 Feb).
Date add_months(const Date& d, int months);

// "2026-03-31"; nullopt for anything else or an impossible date.
std::optional<Date> parse_iso_date(std::string_view text);
std::string to_iso(const Date& d);

}  // namespace invoicing::domain

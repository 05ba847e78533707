#include "store/clock.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

namespace invoicing::store {

namespace {

std::tm local_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

std::optional<xbase::Date>& fixed_today() {
  static std::optional<xbase::Date> d;
  return d;
}

}  // namespace

FixedToday::FixedToday(xbase::Date d) : before_(fixed_today()) { fixed_today() = d; }
FixedToday::~FixedToday() { fixed_today() = before_; }

xbase::Date today() {
  if (fixed_today()) return *fixed_today();
  if (const char* fixed = std::getenv("INVOICING_TODAY"); fixed && *fixed) {
    xbase::Date d;
    char end = 0;
    if (std::sscanf(fixed, "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &end) == 3 && xbase::valid_date(d)) return d;
  }
  std::tm tm = local_now();
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

xbase::DateTime now_datetime() {
  std::tm tm = local_now();
  return {xbase::julian_day(today()), ((tm.tm_hour * 60 + tm.tm_min) * 60 + tm.tm_sec) * 1000};
}

std::string datetime_text(const xbase::Value& v) {
  if (v.kind() != xbase::Value::Kind::datetime) return {};
  const auto t = v.as_datetime();
  const auto day = xbase::from_julian_day(t.julian_day);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", day.year, day.month, day.day, t.millis / 3600000,
                     t.millis / 60000 % 60, t.millis / 1000 % 60);
}

std::chrono::steady_clock::time_point steady_now() { return std::chrono::steady_clock::now(); }

void sleep_for(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

}  // namespace invoicing::store

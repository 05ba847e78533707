// The store's clock: today's date and the time of day for what it writes, and the steady
// clock and sleep its waits use. INVOICING_TODAY=YYYY-MM-DD fixes "today" (tests and
// demonstrations of date rules; never set on a workstation).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "xbase/value.h"

namespace invoicing::store {

xbase::Date today();

// Fixes "today" in this program while it lives: the demo company's year of documents, each
// made on its own day, is held to the date rules as it would have been then.
class FixedToday {
 public:
  explicit FixedToday(xbase::Date d);
  ~FixedToday();
  FixedToday(const FixedToday&) = delete;
  FixedToday& operator=(const FixedToday&) = delete;

 private:
  std::optional<xbase::Date> before_;
};
xbase::DateTime now_datetime();
// "YYYY-MM-DD HH:MM:SS" of a stored datetime value; empty for any other value (an empty field).
std::string datetime_text(const xbase::Value& v);
std::chrono::steady_clock::time_point steady_now();
void sleep_for(std::chrono::milliseconds d);

}  // namespace invoicing::store

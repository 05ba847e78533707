// The store's clock: today's date and the time of day for what it writes, and the steady
// clock and sleep its waits use. INVOICING_TODAY=YYYY-MM-DD fixes "today" (tests and
// demonstrations of date rules; never set on a workstation).
#pragma once

#include <chrono>

#include "xbase/value.h"

namespace invoicing::store {

xbase::Date today();
xbase::DateTime now_datetime();
std::chrono::steady_clock::time_point steady_now();
void sleep_for(std::chrono::milliseconds d);

}  // namespace invoicing::store

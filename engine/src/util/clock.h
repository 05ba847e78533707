// The local wall-clock time, for date stamps and backup folder names.
#pragma once

#include <ctime>

#include "xbase/value.h"

namespace xbase::util {

inline std::tm local_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
#ifdef _WIN32
  localtime_s(&tm, &t);
#else
  localtime_r(&t, &tm);
#endif
  return tm;
}

inline Date today() {
  std::tm tm = local_now();
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace xbase::util

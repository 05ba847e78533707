// The local wall-clock time, for date stamps and backup folder names.
#pragma once

#include <ctime>

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

}  // namespace xbase::util

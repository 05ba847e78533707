// The local date, from the file system's clock (FileSystem::local_time), for date stamps.
#pragma once

#include "xbase/file.h"
#include "xbase/value.h"

namespace xbase::util {

inline Date today(FileSystem& fs) {
  std::tm tm = fs.local_time();
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace xbase::util

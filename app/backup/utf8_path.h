// Paths and UTF-8 text: the program's strings are UTF-8, while on Windows a path's narrow
// string is in the ANSI codepage (which cannot hold every name) and its c_str() is wide.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "xbase/path_text.h"

namespace invoicing::backup {

// A path as UTF-8 (libzip takes file names as UTF-8 on Windows too).
inline std::string utf8_of(const std::filesystem::path& p) {
  return xbase::path_utf8(p);
}

// A name made of UTF-8 text (a company's name in a backup's file name) as a path.
inline std::filesystem::path path_of_utf8(std::string_view s) {
  return xbase::path_from_utf8(s);
}

}  // namespace invoicing::backup

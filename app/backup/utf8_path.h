// Paths and UTF-8 text: the program's strings are UTF-8, while on Windows a path's narrow
// string is in the ANSI codepage (which cannot hold every name) and its c_str() is wide.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace invoicing::backup {

// A path as UTF-8 (libzip takes file names as UTF-8 on Windows too).
inline std::string utf8_of(const std::filesystem::path& p) {
  const std::u8string u = p.u8string();
  return std::string(u.begin(), u.end());
}

// A name made of UTF-8 text (a company's name in a backup's file name) as a path.
inline std::filesystem::path path_of_utf8(std::string_view s) {
  return std::filesystem::path(std::u8string(s.begin(), s.end()));
}

}  // namespace invoicing::backup

// Paths as text are UTF-8 (File::path(), messages, journal entries, the programs' arguments),
// on every platform. std::filesystem's narrow strings are not: on Windows they are converted
// with the ANSI codepage, which cannot hold every name and does not round-trip with UTF-8.
// Every std::string that is a path becomes one through path_from_utf8, and back through path_utf8.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace xbase {

inline std::string path_utf8(const std::filesystem::path& p) {
  std::u8string u = p.u8string();
  return std::string(u.begin(), u.end());
}

inline std::filesystem::path path_from_utf8(std::string_view s) {
  return std::filesystem::path(std::u8string(s.begin(), s.end()));
}

}  // namespace xbase

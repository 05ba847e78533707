// Text helpers for fields read from the tables (C fields keep their trailing blanks) and for
// keys of UPPER() tags.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace invoicing::store {

inline std::string trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

inline std::string upper(std::string_view s) {
  std::string u(s);
  for (auto& c : u) c = char(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

}  // namespace invoicing::store

#include "domain/enterprise_number.h"

#include <cstdint>

namespace invoicing::domain {

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

EnterpriseNumberCheck check_enterprise_number(std::string_view input, std::string_view country) {
  EnterpriseNumberCheck r;
  std::string s;
  for (char c : input) {
    if (c == ' ' || c == '.' || c == '-' || c == '/') continue;
    s += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  std::string prefix;
  if (s.size() >= 2 && (s.compare(0, 2, "BE") == 0 || s.compare(0, 2, "NL") == 0)) {
    prefix = s.substr(0, 2);
    s.erase(0, 2);
  }
  r.country = std::string(country);
  if (r.country.empty()) r.country = prefix;
  bool digits = !s.empty();
  for (char c : s) digits = digits && is_digit(c);
  if (r.country.empty() && digits) {
    if (s.size() == 9 || s.size() == 10) r.country = "BE";
    if (s.size() == 8) r.country = "NL";
  }
  r.normalized = s;
  if (s.empty()) {
    r.reason = "no digits";
    return r;
  }
  if (r.country == "BE") {
    if (digits && s.size() == 9) s = "0" + s;  // written without its leading 0
    r.normalized = s;
    if (!digits || s.size() != 10) {
      r.reason = "Belgian enterprise numbers have 10 digits";
      return r;
    }
    if (s[0] != '0' && s[0] != '1') {
      r.reason = "Belgian enterprise numbers start with 0 or 1";
      return r;
    }
    int64_t first = std::stoll(s.substr(0, 8));
    int check = std::stoi(s.substr(8, 2));
    if (97 - first % 97 != check) {
      r.reason = "the check digits do not match (mistyped?)";
      return r;
    }
  } else if (r.country == "NL") {
    if (!digits || s.size() != 8) {
      r.reason = "Dutch KvK numbers have 8 digits";
      return r;
    }
  } else {
    if (s.size() > 20) {
      r.reason = "longer than 20 characters";
      return r;
    }
    for (char c : s) {
      if (!is_digit(c) && !(c >= 'A' && c <= 'Z')) {
        r.reason = "only digits and letters are expected";
        return r;
      }
    }
  }
  r.valid = true;
  return r;
}

}  // namespace invoicing::domain

#include "domain/ogm.h"

#include <fmt/format.h>

#include <stdexcept>

namespace invoicing::domain {

namespace {
constexpr uint64_t kLimit = 10'000'000'000ULL;  // 10^10

uint64_t check_of(uint64_t base) {
  uint64_t r = base % 97;
  return r == 0 ? 97 : r;
}

// The 12 digits of a reference in one of the accepted forms, or nullopt.
std::optional<std::string> digits_of(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c != ' ') s.push_back(c);
  }
  if (s.size() == 12) {
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    return s;
  }
  // ddd/dddd/ddddd framed by +++ or ***
  if (s.size() != 20) return std::nullopt;
  const char frame = s[0];
  if (frame != '+' && frame != '*') return std::nullopt;
  std::string digits;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool framing = i < 3 || i >= 17;
    const bool slash = i == 6 || i == 11;
    if (framing) {
      if (c != frame) return std::nullopt;
    } else if (slash) {
      if (c != '/') return std::nullopt;
    } else {
      if (c < '0' || c > '9') return std::nullopt;
      digits.push_back(c);
    }
  }
  return digits;
}
}  // namespace

std::string ogm_from_number(uint64_t base) {
  if (base >= kLimit) {
    throw std::invalid_argument(fmt::format("OGM base {} has more than 10 digits", base));
  }
  std::string d = fmt::format("{:010}{:02}", base, check_of(base));
  return fmt::format("+++{}/{}/{}+++", d.substr(0, 3), d.substr(3, 4), d.substr(7, 5));
}

std::optional<uint64_t> ogm_base(std::string_view text) {
  std::optional<std::string> d = digits_of(text);
  if (!d) return std::nullopt;
  uint64_t base = 0;
  for (size_t i = 0; i < 10; ++i) base = base * 10 + static_cast<uint64_t>((*d)[i] - '0');
  const uint64_t check = static_cast<uint64_t>(((*d)[10] - '0') * 10 + ((*d)[11] - '0'));
  if (check != check_of(base)) return std::nullopt;
  return base;
}

bool ogm_valid(std::string_view text) { return ogm_base(text).has_value(); }

}  // namespace invoicing::domain

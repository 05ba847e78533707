#include "domain/iban.h"

#include <fmt/format.h>

#include <cstring>

namespace invoicing::domain {

namespace {

struct CountryLength {
  char code[3];
  int length;
};

// The IBAN lengths of the SWIFT IBAN registry (countries that issue IBANs).
constexpr CountryLength kLengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
    {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// ISO 7064 mod 97-10 over the rearranged IBAN (country and check digits moved to the end,
// letters as 10..35), computed piecewise so that no big integer is needed.
int mod97(std::string_view iban) {
  int rest = 0;
  auto add = [&rest](int digit) { rest = (rest * 10 + digit) % 97; };
  for (size_t i = 0; i < iban.size(); ++i) {
    char c = iban[(i + 4) % iban.size()];
    if (is_digit(c)) {
      add(c - '0');
    } else {
      int v = c - 'A' + 10;
      add(v / 10);
      add(v % 10);
    }
  }
  return rest;
}

}  // namespace

int iban_length(std::string_view country) {
  for (const auto& l : kLengths) {
    if (country == l.code) return l.length;
  }
  return 0;
}

IbanCheck check_iban(std::string_view input) {
  IbanCheck r;
  std::string_view s = input;
  // "IBAN BE68 ..." as printed on statements.
  if (s.size() > 4 && (s.substr(0, 4) == "IBAN" || s.substr(0, 4) == "iban")) s.remove_prefix(4);
  for (char c : s) {
    if (c == ' ' || c == '-' || c == '\t' || c == '.') continue;
    r.normalized += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const std::string& n = r.normalized;
  if (n.size() < 2 || !is_upper(n[0]) || !is_upper(n[1])) {
    r.reason = "an IBAN starts with a two-letter country code";
    return r;
  }
  r.country = n.substr(0, 2);
  for (char c : n) {
    if (!is_digit(c) && !is_upper(c)) {
      r.reason = "an IBAN holds only letters and digits";
      return r;
    }
  }
  int length = iban_length(r.country);
  if (length == 0) {
    r.reason = fmt::format("{} has no IBANs", r.country);
    return r;
  }
  if (static_cast<int>(n.size()) != length) {
    r.reason =
        fmt::format("{} IBANs have {} characters, this one has {}", r.country, length, n.size());
    return r;
  }
  if (!is_digit(n[2]) || !is_digit(n[3])) {
    r.reason = "the check digits (characters 3 and 4) are not digits";
    return r;
  }
  if (mod97(n) != 1) {
    r.reason = "the check digits do not match (mistyped?)";
    return r;
  }
  if (r.country == "BE") {
    // The Belgian account number inside: 10 digits and 2 check digits (mod 97, 97 for 0).
    std::string_view bban = std::string_view(n).substr(4);
    for (char c : bban) {
      if (!is_digit(c)) {
        r.reason = "Belgian account numbers are digits only";
        return r;
      }
    }
    int64_t first = std::stoll(std::string(bban.substr(0, 10)));
    int check = std::stoi(std::string(bban.substr(10, 2)));
    int expect = static_cast<int>(first % 97);
    if (expect == 0) expect = 97;
    if (check != expect) {
      r.reason = "the Belgian account number's check digits do not match";
      return r;
    }
  }
  r.valid = true;
  return r;
}

}  // namespace invoicing::domain

#include "domain/vat_number.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <initializer_list>

namespace invoicing::domain {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Pattern characters: 'd' a digit, 'a' a letter, 'x' a digit or letter, 'p' a digit, letter,
// '+' or '*'; anything else stands for itself.
bool matches(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (pattern[i]) {
      case 'd':
        if (!is_digit(c)) return false;
        break;
      case 'a':
        if (!is_upper(c)) return false;
        break;
      case 'x':
        if (!is_digit(c) && !is_upper(c)) return false;
        break;
      case 'p':
        if (!is_digit(c) && !is_upper(c) && c != '+' && c != '*') return false;
        break;
      default:
        if (c != pattern[i]) return false;
    }
  }
  return true;
}

struct CountryFormat {
  const char* prefix;
  const char* name;
  std::initializer_list<const char*> patterns;
  const char* description;  // completes "<name> VAT numbers are ..."
};

// VIES number formats (the part after the prefix), as the European Commission's VIES FAQ
// lists them. BE and NL are checked further below.
const CountryFormat kFormats[] = {
    {"AT", "Austrian", {"Udddddddd"}, "U followed by 8 digits"},
    {"BE", "Belgian", {"dddddddddd"}, "10 digits"},
    {"BG", "Bulgarian", {"ddddddddd", "dddddddddd"}, "9 or 10 digits"},
    {"CY", "Cypriot", {"dddddddda"}, "8 digits and a letter"},
    {"CZ", "Czech", {"dddddddd", "ddddddddd", "dddddddddd"}, "8, 9 or 10 digits"},
    {"DE", "German", {"ddddddddd"}, "9 digits"},
    {"DK", "Danish", {"dddddddd"}, "8 digits"},
    {"EE", "Estonian", {"ddddddddd"}, "9 digits"},
    {"EL", "Greek", {"ddddddddd"}, "9 digits"},
    {"ES",
     "Spanish",
     {"xdddddddx"},
     "9 characters: a letter or digit, 7 digits, a letter or digit"},
    {"FI", "Finnish", {"dddddddd"}, "8 digits"},
    {"FR", "French", {"xxddddddddd"}, "2 letters or digits followed by 9 digits"},
    {"HR", "Croatian", {"ddddddddddd"}, "11 digits"},
    {"HU", "Hungarian", {"dddddddd"}, "8 digits"},
    {"IE",
     "Irish",
     {"dpddddda", "ddddddda", "dddddddaa"},
     "8 or 9 characters: 7 digits and 1 or 2 letters, or digit, letter/+/*, 5 digits, letter"},
    {"IT", "Italian", {"ddddddddddd"}, "11 digits"},
    {"LT", "Lithuanian", {"ddddddddd", "dddddddddddd"}, "9 or 12 digits"},
    {"LU", "Luxembourg", {"dddddddd"}, "8 digits"},
    {"LV", "Latvian", {"ddddddddddd"}, "11 digits"},
    {"MT", "Maltese", {"dddddddd"}, "8 digits"},
    {"NL", "Dutch", {"dddddddddBdd"}, "9 digits, the letter B and 2 digits"},
    {"PL", "Polish", {"dddddddddd"}, "10 digits"},
    {"PT", "Portuguese", {"ddddddddd"}, "9 digits"},
    {"RO",
     "Romanian",
     {"dd", "ddd", "dddd", "ddddd", "dddddd", "ddddddd", "dddddddd", "ddddddddd", "dddddddddd"},
     "2 to 10 digits"},
    {"SE", "Swedish", {"dddddddddddd"}, "12 digits"},
    {"SI", "Slovenian", {"dddddddd"}, "8 digits"},
    {"SK", "Slovak", {"dddddddddd"}, "10 digits"},
    {"XI",
     "Northern Ireland",
     {"ddddddddd", "dddddddddddd", "GDddd", "HAddd"},
     "9 or 12 digits, or GD/HA followed by 3 digits"},
};

// ISO 7064 mod 97-10 over digits and letters (A=10 … Z=35): valid when the remainder is 1.
bool mod97_10_valid(std::string_view s) {
  uint32_t r = 0;
  for (char c : s) {
    if (is_digit(c)) {
      r = (r * 10 + static_cast<uint32_t>(c - '0')) % 97;
    } else {
      uint32_t v = static_cast<uint32_t>(c - 'A') + 10;
      r = (r * 100 + v) % 97;
    }
  }
  return r == 1;
}

// The Dutch "elfproef" on 9 digits: Σ d[i]·(9−i) for i = 0..7, minus d[8], divisible by 11.
bool elfproef(std::string_view d) {
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (d[static_cast<size_t>(i)] - '0') * (9 - i);
  sum -= d[8] - '0';
  return sum % 11 == 0;
}

void check_belgium(std::string_view n, VatNumberCheck& r) {
  if (!all_digits(n)) {
    r.reason = "Belgian numbers have 10 digits and nothing else";
    return;
  }
  if (n.size() != 10) {
    r.reason = fmt::format("Belgian numbers have 10 digits, not {}", n.size());
    return;
  }
  if (n[0] != '0' && n[0] != '1') {
    r.reason = "Belgian numbers start with 0 or 1";
    return;
  }
  uint32_t first = 0;
  for (size_t i = 0; i < 8; ++i) first = first * 10 + static_cast<uint32_t>(n[i] - '0');
  uint32_t check = static_cast<uint32_t>((n[8] - '0') * 10 + (n[9] - '0'));
  if (first == 0) {
    r.reason = "Belgian number is all zeros";
    return;
  }
  if (97 - first % 97 != check) {
    r.reason = fmt::format("check digits do not match (expected {:02})", 97 - first % 97);
    return;
  }
  r.valid = true;
}

void check_netherlands(std::string_view n, VatNumberCheck& r) {
  if (!matches(n, "dddddddddBdd")) {
    r.reason = "Dutch numbers are 9 digits, the letter B and 2 digits";
    return;
  }
  if (n.substr(10) == "00") {
    r.reason = "Dutch numbers do not end in B00";
    return;
  }
  if (n.substr(0, 9) == "000000000") {
    r.reason = "Dutch number is all zeros";
    return;
  }
  std::string full = "NL" + std::string(n);
  if (!elfproef(n.substr(0, 9)) && !mod97_10_valid(full)) {
    r.reason = "check digits do not match (neither the elfproef nor the mod 97 rule)";
    return;
  }
  r.valid = true;
}

}  // namespace

VatNumberCheck check_vat_number(std::string_view input) {
  VatNumberCheck r;
  for (char c : input) {
    if (c == ' ' || c == '.' || c == '-' || c == '\t') continue;
    r.normalized.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (r.normalized.empty()) {
    r.reason = "empty VAT number";
    return r;
  }
  if (r.normalized.size() < 2 || !is_upper(r.normalized[0]) || !is_upper(r.normalized[1])) {
    r.reason = "missing country prefix (two letters, like BE or NL)";
    return r;
  }
  std::string_view prefix = std::string_view(r.normalized).substr(0, 2);
  std::string_view number = std::string_view(r.normalized).substr(2);
  if (prefix == "GR") {
    r.reason = "Greek VAT numbers use the prefix EL, not GR";
    return r;
  }
  const CountryFormat* format = nullptr;
  for (const CountryFormat& f : kFormats) {
    if (prefix == f.prefix) format = &f;
  }
  if (format == nullptr) {
    r.reason = fmt::format("unknown country prefix {} (not an EU member state in VIES)",
                           std::string(prefix));
    return r;
  }
  r.country = std::string(prefix);
  if (number.empty()) {
    r.reason = "no number after the country prefix";
    return r;
  }
  for (char c : number) {
    if (!is_digit(c) && !is_upper(c) && c != '+' && c != '*') {
      r.reason = fmt::format("unexpected character '{}'", c);
      return r;
    }
  }
  if (prefix == "BE") {
    check_belgium(number, r);
    return r;
  }
  if (prefix == "NL") {
    check_netherlands(number, r);
    return r;
  }
  for (const char* p : format->patterns) {
    if (matches(number, p)) {
      r.valid = true;
      return r;
    }
  }
  r.reason = fmt::format("{} VAT numbers are {}", format->name, format->description);
  return r;
}

}  // namespace invoicing::domain

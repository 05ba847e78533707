#include "import/values.h"

#include <fmt/format.h>

#include <cstdint>

namespace invoicing::import {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2));
}

bool valid_date(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = days[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

// Removes what surrounds a number in exports: spaces (also no-break and narrow no-break
// spaces used as thousands separators), a euro sign or "EUR". Returns false for other bytes.
bool clean_number(std::string_view in, std::string& out, bool& negative) {
  out.clear();
  negative = false;
  in = trim(in);
  if (in.size() >= 3 && (in.substr(in.size() - 3) == "EUR" || in.substr(0, 3) == "EUR")) {
    in = trim(in.substr(0, 3) == "EUR" ? in.substr(3) : in.substr(0, in.size() - 3));
  }
  const std::string_view euro = "\xE2\x82\xAC";
  if (in.size() >= 3 && in.substr(0, 3) == euro) in = trim(in.substr(3));
  if (in.size() >= 3 && in.substr(in.size() - 3) == euro) in = trim(in.substr(0, in.size() - 3));
  if (!in.empty() && (in.front() == '-' || in.front() == '+')) {
    negative = in.front() == '-';
    in = trim(in.substr(1));
  } else if (!in.empty() && in.back() == '-') {
    negative = true;
    in = trim(in.substr(0, in.size() - 1));
  }
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (is_digit(c) || c == '.' || c == ',') {
      out += c;
    } else if (c == ' ' || c == '\'') {
      continue;
    } else if (in.compare(i, 2, "\xC2\xA0") == 0) {
      ++i;
    } else if (in.compare(i, 3, "\xE2\x80\xAF") == 0) {
      i += 2;
    } else {
      return false;
    }
  }
  return !out.empty();
}

// Splits a cleaned number at its decimal mark; `grouping` is the thousands separator (0 for
// none). Checks that groups are of three digits.
std::optional<std::string> assemble(const std::string& s, char mark, char grouping, bool negative) {
  std::string integer, fraction;
  size_t mark_pos = mark ? s.find(mark) : std::string::npos;
  std::string_view int_part(s.data(), mark_pos == std::string::npos ? s.size() : mark_pos);
  if (mark_pos != std::string::npos) {
    fraction = s.substr(mark_pos + 1);
    for (char c : fraction) {
      if (!is_digit(c)) return std::nullopt;
    }
  }
  // Groups: the first of 1..3 digits, the others of exactly 3.
  size_t group = 0;
  bool first = true;
  for (size_t i = 0; i <= int_part.size(); ++i) {
    if (i == int_part.size() || int_part[i] == grouping) {
      if (grouping && int_part.find(grouping) != std::string_view::npos) {
        if (first ? (group < 1 || group > 3) : group != 3) return std::nullopt;
      }
      first = false;
      group = 0;
      continue;
    }
    if (!is_digit(int_part[i])) return std::nullopt;
    integer += int_part[i];
    ++group;
  }
  if (integer.empty() && fraction.empty()) return std::nullopt;
  size_t nz = integer.find_first_not_of('0');
  integer = nz == std::string::npos ? "0" : integer.substr(nz);
  std::string out;
  bool zero = integer == "0" && fraction.find_first_not_of('0') == std::string::npos;
  if (negative && !zero) out += '-';
  out += integer;
  if (!fraction.empty()) out += '.' + fraction;
  return out;
}

}  // namespace

std::string_view trim(std::string_view t) {
  for (;;) {
    if (!t.empty() && (t.front() == ' ' || t.front() == '\t')) {
      t.remove_prefix(1);
    } else if (t.size() >= 2 && t.substr(0, 2) == "\xC2\xA0") {
      t.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!t.empty() && (t.back() == ' ' || t.back() == '\t')) {
      t.remove_suffix(1);
    } else if (t.size() >= 2 && t.substr(t.size() - 2) == "\xC2\xA0") {
      t.remove_suffix(2);
    } else {
      break;
    }
  }
  return t;
}

std::optional<std::string> without_formula_guard(std::string_view text) {
  size_t quotes = text.find_first_not_of('\'');
  if (quotes == 0 || quotes == std::string_view::npos) return std::nullopt;
  if (std::string_view("=+-@\t\r").find(text[quotes]) == std::string_view::npos)
    return std::nullopt;
  return std::string(text.substr(1));
}

std::optional<std::string> normalize_number(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;
  int64_t point = 0;  // the value is 0.<digits> x 10^point
  bool seen_point = false, any = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (is_digit(c)) {
      any = true;
      if (digits.empty() && c == '0') {
        if (seen_point) --point;  // leading zeros of the fraction shift the point
        continue;
      }
      digits += c;
      if (!seen_point) ++point;
      if (digits.size() > 400) return std::nullopt;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
    ++i;
    bool eneg = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) eneg = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    int64_t e = 0;
    for (; i < text.size(); ++i) {
      if (!is_digit(text[i])) return std::nullopt;
      e = e * 10 + (text[i] - '0');
      if (e > 400) return std::nullopt;
    }
    point += eneg ? -e : e;
  }
  if (digits.empty()) return std::string("0");
  if (point > 400 || point < -400) return std::nullopt;
  if (digits.size() > 15) {
    bool up = digits[15] >= '5';
    digits.resize(15);
    for (int k = 14; up && k >= 0; --k) {
      if (digits[k] == '9') {
        digits[k] = '0';
      } else {
        ++digits[k];
        up = false;
      }
    }
    if (up) {
      digits.insert(digits.begin(), '1');
      digits.pop_back();
      ++point;
    }
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (digits.empty()) return std::string("0");
  std::string out = negative ? "-" : "";
  auto len = static_cast<int64_t>(digits.size());
  if (point <= 0) {
    out += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (point >= len) {
    out += digits + std::string(static_cast<size_t>(point - len), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(point)) + "." +
           digits.substr(static_cast<size_t>(point));
  }
  return out;
}

std::string number_from_double(double value) {
  auto n = normalize_number(fmt::format("{:.15g}", value));
  return n ? *n : "0";
}

std::optional<std::string> date_from_serial(std::string_view text, bool date1904, bool time_only) {
  auto n = normalize_number(text);
  if (!n || (*n)[0] == '-') return std::nullopt;
  size_t dot = n->find('.');
  std::string int_part = n->substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : n->substr(dot + 1);
  if (int_part.size() > 7) return std::nullopt;
  int64_t days = std::stoll(int_part);
  if (frac.size() > 12) frac.resize(12);
  uint64_t f = frac.empty() ? 0 : std::stoull(frac);
  uint64_t scale = 1;
  for (size_t k = 0; k < frac.size(); ++k) scale *= 10;
  uint64_t seconds = (f * 86400 + scale / 2) / scale;
  if (seconds >= 86400) {
    seconds -= 86400;
    ++days;
  }
  std::string time =
      fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (time_only) return time;
  int64_t epoch;  // days since 1970-01-01 of serial 0
  if (date1904) {
    epoch = days_from_civil(1904, 1, 1);
  } else if (days >= 61) {
    epoch = days_from_civil(1899, 12, 30);
  } else if (days >= 1 && days < 60) {
    epoch = days_from_civil(1899, 12, 31);
  } else {
    return std::nullopt;  // serial 0 ("1900-01-00") and the phantom 1900-02-29
  }
  int y, m, d;
  civil_from_days(epoch + days, y, m, d);
  if (y > 9999) return std::nullopt;
  std::string out = fmt::format("{:04}-{:02}-{:02}", y, m, d);
  if (seconds != 0) out += " " + time;
  return out;
}

std::optional<std::string> parse_decimal_text(std::string_view text, char mark) {
  std::string s;
  bool negative;
  if (!clean_number(text, s, negative)) return std::nullopt;
  size_t dots = 0, commas = 0;
  for (char c : s) {
    dots += c == '.';
    commas += c == ',';
  }
  if (dots && commas) {
    char m = s.rfind('.') > s.rfind(',') ? '.' : ',';
    char g = m == '.' ? ',' : '.';
    if ((m == '.' ? dots : commas) != 1) return std::nullopt;
    return assemble(s, m, g, negative);
  }
  if (!dots && !commas) return assemble(s, 0, 0, negative);
  char c = dots ? '.' : ',';
  char other = c == '.' ? ',' : '.';
  if (dots + commas > 1) return assemble(s, 0, c, negative);  // "1.234.567": grouping only
  size_t pos = s.find(c);
  size_t after = s.size() - pos - 1;
  std::string_view before(s.data(), pos);
  bool ambiguous = after == 3 && !before.empty() && before.size() <= 3 && before != "0";
  if (!ambiguous || mark == c || (mark != other)) return assemble(s, c, 0, negative);
  return assemble(s, 0, c, negative);
}

char decimal_mark_evidence(std::string_view text) {
  std::string s;
  bool negative;
  if (!clean_number(text, s, negative)) return 0;
  size_t dots = 0, commas = 0;
  for (char c : s) {
    dots += c == '.';
    commas += c == ',';
  }
  if (dots && commas) return s.rfind('.') > s.rfind(',') ? '.' : ',';
  if (dots + commas == 0) return 0;
  char c = dots ? '.' : ',';
  if (dots + commas > 1) return c == '.' ? ',' : '.';  // c groups thousands
  size_t pos = s.find(c);
  size_t after = s.size() - pos - 1;
  std::string_view before(s.data(), pos);
  bool ambiguous = after == 3 && !before.empty() && before.size() <= 3 && before != "0";
  return ambiguous ? 0 : c;
}

std::optional<std::string> parse_date_text(std::string_view text) {
  text = trim(text);
  // Reads up to `max` digits at i.
  auto number = [&](size_t& i, size_t min, size_t max, int& out) {
    size_t start = i;
    out = 0;
    while (i < text.size() && is_digit(text[i]) && i - start < max)
      out = out * 10 + (text[i++] - '0');
    return i - start >= min;
  };
  size_t i = 0;
  int a, b, c;
  if (!number(i, 1, 4, a)) return std::nullopt;
  size_t first_len = i;
  if (i >= text.size()) return std::nullopt;
  char sep = text[i];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  ++i;
  if (!number(i, 1, 2, b) || i >= text.size() || text[i] != sep) return std::nullopt;
  ++i;
  int y, m, d;
  if (first_len == 4) {  // yyyy-mm-dd
    if (!number(i, 1, 2, c)) return std::nullopt;
    y = a, m = b, d = c;
  } else {
    if (first_len > 2) return std::nullopt;
    size_t ys = i;
    if (!number(i, 4, 4, c) || i - ys != 4) return std::nullopt;
    y = c, m = b, d = a;
  }
  // A time may follow ("2024-03-01 00:00:00", "01/03/2024 14:30", ISO "T").
  if (i < text.size() && text[i] != ' ' && text[i] != 'T') return std::nullopt;
  if (!valid_date(y, m, d)) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::optional<bool> parse_boolean_text(std::string_view text) {
  text = trim(text);
  std::string t;
  for (char c : text) t += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (const char* yes : {"ja", "j", "oui", "o", "yes", "y", "1", "x", "true", "waar", "vrai"}) {
    if (t == yes) return true;
  }
  for (const char* no : {"nee", "n", "non", "no", "0", "false", "onwaar", "faux"}) {
    if (t == no) return false;
  }
  return std::nullopt;
}

}  // namespace invoicing::import

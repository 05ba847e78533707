#include "expr/functions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dbf/field_codec.h"
#include "xbase/value.h"

namespace xbase::expr {

int64_t Call::count(size_t i) const { return std::max<int64_t>(0, int64_t(num(i))); }

int32_t Call::day(size_t i) const {
  const XValue& v = av[i];
  if (v.type != Type::date && v.type != Type::datetime) ev.need(*n.args[i], v, Type::date);
  return v.jdn;
}

namespace {

// The decimal text of a double to 15 significant digits (what a double really carries), so
// that 1.005 is 1.005 and rounds up as xBase users expect, not 1.00499999999999989...
std::string decimal_of(double v) {
  std::string e = fmt::format("{:.14e}", v);  // -d.dddddddddddddde+XX
  bool neg = e[0] == '-';
  if (neg) e.erase(0, 1);
  size_t epos = e.find('e');
  int exp = std::stoi(e.substr(epos + 1));
  std::string digits = e.substr(0, 1) + e.substr(2, epos - 2);
  int point = 1 + exp;
  std::string out;
  if (point <= 0) out = "0." + std::string(size_t(-point), '0') + digits;
  else if (size_t(point) >= digits.size()) out = digits + std::string(size_t(point) - digits.size(), '0');
  else out = digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
  std::string c;
  canonical_decimal((neg ? "-" : "") + out, c);
  return c;
}

// STR(): right-aligned in `len` characters, as many decimals as fit up to `dec`, all '*' when
// even the integer part does not fit.
std::string str_number(double v, int len, int dec) {
  if (len < 1) len = 10;
  if (dec < 0) dec = 0;
  if (!std::isfinite(v)) return std::string(size_t(len), '*');
  std::string exact = decimal_of(v);
  for (int d = std::min(dec, len); d >= 0; --d) {
    std::string s = dbf::round_decimal(exact, d);
    if (int(s.size()) <= len) return std::string(size_t(len) - s.size(), ' ') + s;
  }
  return std::string(size_t(len), '*');
}

std::string dtos(int32_t jdn) {
  if (jdn == 0) return std::string(8, ' ');
  Date d = from_julian_day(jdn);
  return fmt::format("{:04}{:02}{:02}", d.year, d.month, d.day);
}

XValue chars(std::string s) { return XValue::chars(std::move(s)); }

XValue trimmed(const std::string& in, bool left, bool right) {
  std::string s = in;
  if (right) {
    size_t e = s.find_last_not_of(' ');
    s = e == std::string::npos ? "" : s.substr(0, e + 1);
  }
  if (left) {
    size_t b = s.find_first_not_of(' ');
    s = b == std::string::npos ? "" : s.substr(b);
  }
  return chars(std::move(s));
}

enum class Pad { left, right, centre };

XValue padded(const Call& c, Pad side) {
  const XValue& v = c.av[0];
  std::string s = v.type == Type::character ? v.s
                  : v.type == Type::number  ? fmt::format("{}", v.n)
                  : v.type == Type::date    ? dtos(v.jdn)
                                            : std::string();
  size_t w = size_t(c.count(1));
  char pad = c.argc() > 2 ? (c.chars(2) + " ")[0] : ' ';
  if (s.size() >= w) return chars(side == Pad::left ? s.substr(s.size() - w) : s.substr(0, w));
  size_t fill = w - s.size();
  switch (side) {
    case Pad::left: return chars(std::string(fill, pad) + s);
    case Pad::right: return chars(s + std::string(fill, pad));
    case Pad::centre: break;
  }
  return chars(std::string(fill / 2, pad) + s + std::string(fill - fill / 2, pad));
}

// MIN()/MAX(): the first argument that no later one beats.
XValue extreme(const Call& c, Op beats) {
  XValue best = c.av[0];
  for (size_t i = 1; i < c.argc(); ++i)
    if (c.ev.compare(c.n, beats, c.av[i], best)) best = c.av[i];
  return best;
}

enum class Part { year, month, day };

XValue date_part(const Call& c, Part part) {
  int32_t jdn = c.day(0);
  if (jdn == 0) return XValue::number(0);
  Date d = from_julian_day(jdn);
  return XValue::number(part == Part::year ? d.year : part == Part::month ? d.month : d.day);
}

XValue empty(Call& c) {
  XValue v = c.arg(0);
  switch (v.type) {
    case Type::character: return XValue::logical(v.s.find_first_not_of(" \t\r\n") == std::string::npos);
    case Type::number: return XValue::logical(v.n == 0);
    case Type::date:
    case Type::datetime: return XValue::logical(v.jdn == 0);
    case Type::logical: return XValue::logical(!v.b);
    case Type::null: break;
  }
  return XValue::logical(false);
}

XValue substr(Call& c) {
  const std::string& s = c.chars(0);
  int64_t start = int64_t(c.num(1));
  if (start < 1 || start > int64_t(s.size())) return chars("");
  size_t from = size_t(start - 1);
  size_t len = c.argc() > 2 ? size_t(c.count(2)) : s.size() - from;
  return chars(s.substr(from, len));
}

XValue dtoc(Call& c) {
  int32_t jdn = c.day(0);
  if (c.argc() > 1 && c.num(1) == 1) return chars(dtos(jdn));
  if (jdn == 0) return chars("  /  /  ");
  Date d = from_julian_day(jdn);  // SET DATE AMERICAN, SET CENTURY OFF
  return chars(fmt::format("{:02}/{:02}/{:02}", d.month, d.day, d.year % 100));
}

XValue ctod(Call& c) {
  int m = 0, d = 0, y = 0;
  if (std::sscanf(c.chars(0).c_str(), "%d/%d/%d", &m, &d, &y) != 3) return XValue::date(0);
  if (y < 100) y += y < 50 ? 2000 : 1900;
  Date dt{y, m, d};
  return XValue::date(valid_date(dt) ? julian_day(dt) : 0);
}

XValue ttoc(Call& c) {
  const XValue& v = c.typed(0, Type::datetime);
  if (v.jdn == 0) return chars(c.argc() > 1 ? std::string(14, ' ') : "");
  Date d = from_julian_day(v.jdn);
  int s = v.ms / 1000;
  if (c.argc() > 1 && c.num(1) == 1)
    return chars(fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", d.year, d.month, d.day, s / 3600, s / 60 % 60, s % 60));
  int h = s / 3600 % 12;
  return chars(fmt::format("{:02}/{:02}/{:02} {:02}:{:02}:{:02} {}", d.month, d.day, d.year % 100, h ? h : 12,
                           s / 60 % 60, s % 60, s / 3600 < 12 ? "AM" : "PM"));
}

// BINTOC(): the integer big-endian with its sign bit flipped, so that the bytes sort as the numbers.
XValue bintoc(Call& c) {
  int64_t v = int64_t(c.num(0));
  int size = c.argc() > 1 ? int(c.num(1)) : 4;
  if (size != 1 && size != 2 && size != 4) c.ev.bad(c.n, "BINTOC() size must be 1, 2 or 4");
  uint64_t u = uint64_t(v) ^ (uint64_t(1) << (8 * size - 1));
  std::string out(size_t(size), '\0');
  for (int i = 0; i < size; ++i) out[size_t(i)] = char(u >> (8 * (size - 1 - i)));
  return chars(std::move(out));
}

XValue replicate(Call& c) {
  const std::string& s = c.chars(0);
  std::string out;
  for (int64_t i = 0, k = c.count(1); i < k; ++i) out += s;
  return chars(std::move(out));
}

constexpr uint8_t many = 99;

const Function kFunctions[] = {
    // Record state.
    {"DELETED", 0, 0, false, [](Call& c) { return XValue::logical(c.ev.rc.bytes && c.ev.rc.bytes[0] == '*'); }},
    {"RECNO", 0, 0, false, [](Call& c) { return XValue::number(c.ev.rc.recno); }},
    // Logic and nulls: these see their arguments' nulls.
    {"ISNULL", 1, 1, false, [](Call& c) { return XValue::logical(c.arg(0).type == Type::null); }},
    {"NVL", 2, 2, false, [](Call& c) {
       XValue a = c.arg(0);
       return a.type == Type::null ? c.arg(1) : a;
     }},
    {"IIF", 3, 3, false, [](Call& c) {
       XValue cond = c.arg(0);
       c.ev.need(*c.n.args[0], cond, Type::logical);
       return cond.b ? c.arg(1) : c.arg(2);
     }},
    {"EMPTY", 1, 1, false, empty},
    {"MIN", 2, many, true, [](Call& c) { return extreme(c, Op::lt); }},
    {"MAX", 2, many, true, [](Call& c) { return extreme(c, Op::gt); }},
    // Text.
    {"UPPER", 1, 1, true, [](Call& c) { return chars(c.ev.codepage().upper(c.chars(0))); }},
    {"LOWER", 1, 1, true, [](Call& c) { return chars(c.ev.codepage().lower(c.chars(0))); }},
    {"LEFT", 2, 2, true, [](Call& c) {
       const std::string& s = c.chars(0);
       return chars(s.substr(0, size_t(std::min<int64_t>(c.count(1), int64_t(s.size())))));
     }},
    {"RIGHT", 2, 2, true, [](Call& c) {
       const std::string& s = c.chars(0);
       return chars(s.substr(s.size() - size_t(std::min<int64_t>(c.count(1), int64_t(s.size())))));
     }},
    {"SUBSTR", 2, 3, true, substr},
    {"ALLTRIM", 1, 1, true, [](Call& c) { return trimmed(c.chars(0), true, true); }},
    {"LTRIM", 1, 1, true, [](Call& c) { return trimmed(c.chars(0), true, false); }},
    {"RTRIM", 1, 1, true, [](Call& c) { return trimmed(c.chars(0), false, true); }},
    {"TRIM", 1, 1, true, [](Call& c) { return trimmed(c.chars(0), false, true); }},
    {"PADL", 2, 3, true, [](Call& c) { return padded(c, Pad::left); }},
    {"PADR", 2, 3, true, [](Call& c) { return padded(c, Pad::right); }},
    {"PADC", 2, 3, true, [](Call& c) { return padded(c, Pad::centre); }},
    {"LEN", 1, 1, true, [](Call& c) { return XValue::number(double(c.chars(0).size())); }},
    {"SPACE", 1, 1, true, [](Call& c) { return chars(std::string(size_t(c.count(0)), ' ')); }},
    {"REPLICATE", 2, 2, true, replicate},
    {"CHR", 1, 1, true, [](Call& c) { return chars(std::string(1, char(int(c.num(0)) & 0xFF))); }},
    {"ASC", 1, 1, true, [](Call& c) {
       const std::string& s = c.chars(0);
       return XValue::number(s.empty() ? 0 : static_cast<unsigned char>(s[0]));
     }},
    // Numbers.
    {"STR", 1, 3, true, [](Call& c) {
       int len = c.argc() > 1 ? int(c.num(1)) : 10;
       int dec = c.argc() > 2 ? int(c.num(2)) : 0;
       return chars(str_number(c.num(0), len, dec));
     }},
    {"VAL", 1, 1, true, [](Call& c) { return XValue::number(std::strtod(c.chars(0).c_str(), nullptr)); }},
    {"INT", 1, 1, true, [](Call& c) { return XValue::number(std::trunc(c.num(0))); }},
    {"ABS", 1, 1, true, [](Call& c) { return XValue::number(std::fabs(c.num(0))); }},
    {"ROUND", 2, 2, true, [](Call& c) {
       double p = std::pow(10.0, c.num(1));
       return XValue::number(std::round(c.num(0) * p) / p);
     }},
    {"BINTOC", 1, 2, true, bintoc},
    // Dates.
    {"DTOS", 1, 1, true, [](Call& c) { return chars(dtos(c.day(0))); }},
    {"DTOC", 1, 2, true, dtoc},
    {"CTOD", 1, 1, true, ctod},
    {"TTOC", 1, 2, true, ttoc},
    {"TTOD", 1, 1, true, [](Call& c) { return XValue::date(c.typed(0, Type::datetime).jdn); }},
    {"YEAR", 1, 1, true, [](Call& c) { return date_part(c, Part::year); }},
    {"MONTH", 1, 1, true, [](Call& c) { return date_part(c, Part::month); }},
    {"DAY", 1, 1, true, [](Call& c) { return date_part(c, Part::day); }},
};

}  // namespace

const Function* find_function(std::string_view name) {
  for (const Function& f : kFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace xbase::expr

#include "xbase/value.h"

#include <charconv>
#include <string>

#include "xbase/error.h"

namespace xbase {

// Julian day number of a proleptic Gregorian date (2000-01-01 = 2451545).
int32_t julian_day(const Date& d) {
  int a = (14 - d.month) / 12;
  int64_t y = int64_t(d.year) + 4800 - a;
  int64_t m = d.month + 12 * a - 3;
  return int32_t(d.day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045);
}

Date from_julian_day(int32_t jdn) {
  int64_t a = int64_t(jdn) + 32044;
  int64_t b = (4 * a + 3) / 146097;
  int64_t c = a - 146097 * b / 4;
  int64_t d = (4 * c + 3) / 1461;
  int64_t e = c - 1461 * d / 4;
  int64_t m = (5 * e + 2) / 153;
  Date r;
  r.day = int(e - (153 * m + 2) / 5 + 1);
  r.month = int(m + 3 - 12 * (m / 10));
  r.year = int(100 * b + d - 4800 + m / 10);
  return r;
}

bool valid_date(const Date& d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int max = days[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  return d.day <= max;
}

Value Value::text(std::string s) {
  Value v(Kind::text);
  v.s_ = std::move(s);
  return v;
}
Value Value::binary(std::string s) {
  Value v(Kind::binary);
  v.s_ = std::move(s);
  return v;
}
Value Value::number(std::string s) {
  Value v(Kind::number);
  v.s_ = std::move(s);
  return v;
}
Value Value::integer(int64_t i) {
  Value v(Kind::integer);
  v.i_ = i;
  return v;
}
Value Value::currency(int64_t scaled) {
  Value v(Kind::currency);
  v.i_ = scaled;
  return v;
}
Value Value::real(double d) {
  Value v(Kind::real);
  v.d_ = d;
  return v;
}
Value Value::date(Date d) {
  Value v(Kind::date);
  v.date_ = d;
  return v;
}
Value Value::datetime(DateTime t) {
  Value v(Kind::datetime);
  v.dt_ = t;
  return v;
}
Value Value::logical(bool b) {
  Value v(Kind::logical);
  v.i_ = b ? 1 : 0;
  return v;
}

static Error wrong_kind(Value::Kind have, const char* want) {
  return Error(Errc::usage, {}, std::string("value of kind ") + kind_name(have) + " used as " + want);
}

const std::string& Value::str() const {
  if (kind_ != Kind::text && kind_ != Kind::binary && kind_ != Kind::number)
    throw wrong_kind(kind_, "string");
  return s_;
}
int64_t Value::as_integer() const {
  if (kind_ != Kind::integer && kind_ != Kind::currency) throw wrong_kind(kind_, "integer");
  return i_;
}
double Value::as_real() const {
  switch (kind_) {
    case Kind::real: return d_;
    case Kind::integer: return double(i_);
    case Kind::currency: return double(i_) / 10000.0;
    case Kind::number: {
      // Not std::stod: it throws std::out_of_range, and a number read tolerantly (exponent
      // notation) can lie beyond the double range. Too small rounds to zero; too large is an
      // overflow error.
      double d = 0;
      auto r = std::from_chars(s_.data(), s_.data() + s_.size(), d);
      const bool neg = !s_.empty() && s_[0] == '-';
      if (r.ec == std::errc::result_out_of_range) {
        if (s_.compare(neg ? 1 : 0, 2, "0.") == 0) return neg ? -0.0 : 0.0;
        throw Error(Errc::overflow, {},
                    "number " + s_.substr(0, 20) + "... (" + std::to_string(s_.size()) +
                        " characters) is beyond the range of a double");
      }
      if (r.ec != std::errc() || r.ptr != s_.data() + s_.size())
        throw Error(Errc::usage, {}, "\"" + s_.substr(0, 40) + "\" is not a decimal number");
      return d;
    }
    default: throw wrong_kind(kind_, "number");
  }
}
Date Value::as_date() const {
  if (kind_ != Kind::date) throw wrong_kind(kind_, "date");
  return date_;
}
DateTime Value::as_datetime() const {
  if (kind_ != Kind::datetime) throw wrong_kind(kind_, "datetime");
  return dt_;
}
bool Value::as_logical() const {
  if (kind_ != Kind::logical) throw wrong_kind(kind_, "logical");
  return i_ != 0;
}

bool Value::operator==(const Value& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::null:
    case Kind::empty: return true;
    case Kind::text:
    case Kind::binary:
    case Kind::number: return s_ == o.s_;
    case Kind::integer:
    case Kind::currency:
    case Kind::logical: return i_ == o.i_;
    case Kind::real: return d_ == o.d_ || (d_ != d_ && o.d_ != o.d_);
    case Kind::date: return date_ == o.date_;
    case Kind::datetime: return dt_ == o.dt_;
  }
  return false;
}

const char* kind_name(Value::Kind k) {
  switch (k) {
    case Value::Kind::null: return "null";
    case Value::Kind::empty: return "empty";
    case Value::Kind::text: return "text";
    case Value::Kind::binary: return "binary";
    case Value::Kind::number: return "number";
    case Value::Kind::integer: return "integer";
    case Value::Kind::currency: return "currency";
    case Value::Kind::real: return "real";
    case Value::Kind::date: return "date";
    case Value::Kind::datetime: return "datetime";
    case Value::Kind::logical: return "logical";
  }
  return "?";
}

bool canonical_decimal(std::string_view in, std::string& out) {
  size_t i = 0, n = in.size();
  while (i < n && (in[i] == ' ' || in[i] == '\0')) ++i;
  while (n > i && (in[n - 1] == ' ' || in[n - 1] == '\0')) --n;
  bool neg = false;
  if (i < n && (in[i] == '-' || in[i] == '+')) {
    neg = in[i] == '-';
    ++i;
  }
  std::string intpart, frac;
  bool dot = false;
  for (; i < n; ++i) {
    char c = in[i];
    if (c >= '0' && c <= '9') {
      (dot ? frac : intpart) += c;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  if (intpart.empty() && frac.empty()) return false;
  size_t z = 0;
  while (z + 1 < intpart.size() && intpart[z] == '0') ++z;
  intpart.erase(0, z);
  if (intpart.empty()) intpart.push_back('0');  // not = "0": GCC 12 -Wrestrict false positive
  out.clear();
  bool zero = intpart == "0" && frac.find_first_not_of('0') == std::string::npos;
  if (neg && !zero) out += '-';
  out += intpart;
  if (!frac.empty()) {
    out += '.';
    out += frac;
  }
  return true;
}

}  // namespace xbase

// xbase::Value: one field value, independent of how it is stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace xbase {

struct Date {
  int year = 0, month = 0, day = 0;
  bool operator==(const Date&) const = default;
};

// Visual FoxPro datetime: Julian day number and milliseconds since midnight.
struct DateTime {
  int32_t julian_day = 0;
  int32_t millis = 0;
  bool operator==(const DateTime&) const = default;
};

int32_t julian_day(const Date& d);
Date from_julian_day(int32_t jdn);
bool valid_date(const Date& d);

class Value {
 public:
  enum class Kind {
    null,      // SQL-style NULL (VFP nullable field with its null bit set)
    empty,     // a blank date/datetime/logical/number: stored, but no value
    text,      // UTF-8 text (C, V, M)
    binary,    // raw bytes (Q, W, G, binary memos, NOCPTRANS fields)
    number,    // decimal digits exactly as stored (N, F): "-12.50"
    integer,   // I
    currency,  // Y, scaled by 10,000
    real,      // B (double)
    date,      // D
    datetime,  // T
    logical,   // L
  };

  Value() = default;  // null
  static Value null() { return Value(); }
  static Value empty() { return Value(Kind::empty); }
  static Value text(std::string utf8);
  static Value binary(std::string bytes);
  static Value number(std::string digits);  // must already be a canonical decimal
  static Value integer(int64_t v);
  static Value currency(int64_t scaled);
  static Value real(double v);
  static Value date(Date d);
  static Value datetime(DateTime t);
  static Value logical(bool v);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_empty() const { return kind_ == Kind::empty; }

  // text, binary, number: the string; other kinds: throws usage error.
  const std::string& str() const;
  int64_t as_integer() const;  // integer, currency (scaled)
  double as_real() const;      // real, integer, currency, number
  Date as_date() const;
  DateTime as_datetime() const;
  bool as_logical() const;

  bool operator==(const Value& o) const;

 private:
  explicit Value(Kind k) : kind_(k) {}
  Kind kind_ = Kind::null;
  std::string s_;
  int64_t i_ = 0;
  double d_ = 0;
  Date date_{};
  DateTime dt_{};
};

const char* kind_name(Value::Kind k);

// Canonical decimal text for a number given as text ("+007.50" -> "7.50", "-.5" -> "-0.5",
// "5." -> "5"). Returns false when the text is not a decimal number.
bool canonical_decimal(std::string_view in, std::string& out);

}  // namespace xbase

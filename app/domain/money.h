// Exact decimal amounts for money, quantities, prices and percentages. No binary floating
// point anywhere: a value is a signed 64-bit mantissa and a scale (the number of decimals,
// 0..9), so 12.50 is {1250, 2}. Intermediate products use 128-bit integers.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace invoicing::domain {

// Thrown when a result does not fit the 64-bit mantissa (about 9.2e18 units of the scale).
class DecimalOverflow : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

class Decimal {
 public:
  static constexpr int max_scale = 9;

  constexpr Decimal() = default;  // 0, scale 0

  static Decimal from_integer(int64_t value);
  static Decimal from_cents(int64_t cents);  // scale 2
  // mantissa × 10^-scale; throws std::invalid_argument when scale is outside 0..9.
  static Decimal from_mantissa(int64_t mantissa, int scale);

  // Accepts an optional sign, digits, an optional '.' and up to 9 decimals:
  // "12", "-12.50", "0.125", "+3", ".5", "5.". Rejects empty strings, spaces, exponents,
  // thousands separators, ',' as decimal mark, more than 9 decimals and out-of-range values.
  static std::optional<Decimal> parse(std::string_view text);

  // Keeps the scale: parse("12.50").to_string() == "12.50"; "-0.05"; "3".
  std::string to_string() const;
  // Rounded half away from zero (or padded with zeros) to exactly `scale` decimals.
  std::string to_string(int scale) const;

  // Rounded half away from zero to exactly `scale` decimals (padded when the value has
  // fewer): 2.345 → 2.35, -2.345 → -2.35, 2.3 → 2.30. Throws std::invalid_argument for a
  // scale outside 0..9 and DecimalOverflow when padding does not fit.
  Decimal round(int scale) const;

  int scale() const { return scale_; }
  int64_t mantissa() const { return mantissa_; }
  bool is_zero() const { return mantissa_ == 0; }
  bool is_negative() const { return mantissa_ < 0; }
  int sign() const { return mantissa_ < 0 ? -1 : (mantissa_ > 0 ? 1 : 0); }
  Decimal abs() const;

  Decimal operator-() const;
  // + and - are exact at the larger of the two scales. * is exact with the scales added;
  // when that exceeds 9 decimals, trailing zeros are dropped first and only then is the
  // product rounded half away from zero to 9 decimals. All throw DecimalOverflow when the
  // result does not fit.
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  friend Decimal operator*(const Decimal& a, const Decimal& b);
  Decimal& operator+=(const Decimal& other) { return *this = *this + other; }
  Decimal& operator-=(const Decimal& other) { return *this = *this - other; }
  Decimal& operator*=(const Decimal& other) { return *this = *this * other; }

  // By value: 1.50 == 1.5, 0 == 0.00.
  friend bool operator==(const Decimal& a, const Decimal& b);
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

 private:
  constexpr Decimal(int64_t mantissa, int scale) : mantissa_(mantissa), scale_(scale) {}
  friend struct DecimalAccess;

  int64_t mantissa_ = 0;
  int scale_ = 0;
};

// amount × percent / 100, exact (scale of amount + scale of percent + 2, reduced like *).
// apply_percent(100.00, 21) == 21.0000; round to cents yourself where the rules say so.
Decimal apply_percent(const Decimal& amount, const Decimal& percent);

}  // namespace invoicing::domain

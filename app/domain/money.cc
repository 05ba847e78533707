#include "domain/money.h"

#include <fmt/format.h>

#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

namespace invoicing::domain {

namespace {
__extension__ typedef __int128 i128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

i128 pow10(int n) {
  i128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

void check_scale(int scale, const char* what) {
  if (scale < 0 || scale > Decimal::max_scale) {
    throw std::invalid_argument(
        fmt::format("{}: scale {} is outside 0..{}", what, scale, Decimal::max_scale));
  }
}

// m / d rounded half away from zero (d > 0).
i128 div_round(i128 m, i128 d) {
  i128 q = m / d;
  i128 r = m % d;  // same sign as m
  if (r < 0) r = -r;
  if (r * 2 >= d) q += (m < 0) ? -1 : 1;
  return q;
}

// Decimal digits of |v| (v may be the most negative 128-bit value of our range; we never
// reach that, our inputs are products of two int64 at most).
std::string abs_digits(i128 v) {
  if (v < 0) v = -v;
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

std::string describe(i128 m, int scale) {
  std::string digits = abs_digits(m);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  if (m < 0) digits.insert(0, 1, '-');
  return digits;
}

}  // namespace

struct DecimalAccess {
  // Builds a Decimal from a 128-bit mantissa: scales above 9 are reduced (trailing zeros
  // first, then rounding half away from zero); the mantissa must then fit 64 bits.
  static Decimal make(i128 m, int scale, const char* what) {
    while (scale > Decimal::max_scale && m % 10 == 0) {
      m /= 10;
      --scale;
    }
    if (scale > Decimal::max_scale) {
      m = div_round(m, pow10(scale - Decimal::max_scale));
      scale = Decimal::max_scale;
    }
    if (m > kMax || m < kMin) {
      throw DecimalOverflow(
          fmt::format("decimal overflow in {}: {} does not fit 64 bits at scale {}", what,
                      describe(m, scale), scale));
    }
    return Decimal(static_cast<int64_t>(m), scale);
  }
};

Decimal Decimal::from_integer(int64_t value) { return Decimal(value, 0); }

Decimal Decimal::from_cents(int64_t cents) { return Decimal(cents, 2); }

Decimal Decimal::from_mantissa(int64_t mantissa, int scale) {
  check_scale(scale, "Decimal::from_mantissa");
  return Decimal(mantissa, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  i128 m = 0;
  int digits = 0;
  int scale = 0;
  bool point = false;
  const i128 limit = static_cast<i128>(kMax) + 1;  // |kMin|
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    m = m * 10 + (c - '0');
    if (m > limit) return std::nullopt;
    ++digits;
    if (point && ++scale > max_scale) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  if (negative) m = -m;
  if (m > kMax || m < kMin) return std::nullopt;
  return Decimal(static_cast<int64_t>(m), scale);
}

std::string Decimal::to_string() const { return describe(mantissa_, scale_); }

std::string Decimal::to_string(int scale) const { return round(scale).to_string(); }

Decimal Decimal::round(int scale) const {
  check_scale(scale, "Decimal::round");
  if (scale >= scale_) {
    return DecimalAccess::make(static_cast<i128>(mantissa_) * pow10(scale - scale_), scale,
                               "round");
  }
  return Decimal(static_cast<int64_t>(div_round(mantissa_, pow10(scale_ - scale))), scale);
}

Decimal Decimal::abs() const { return mantissa_ < 0 ? -*this : *this; }

Decimal Decimal::operator-() const {
  return DecimalAccess::make(-static_cast<i128>(mantissa_), scale_, "negation");
}

namespace {
struct Aligned {
  i128 a;
  i128 b;
  int scale;
};
Aligned align(const Decimal& a, const Decimal& b) {
  int s = a.scale() > b.scale() ? a.scale() : b.scale();
  return {static_cast<i128>(a.mantissa()) * pow10(s - a.scale()),
          static_cast<i128>(b.mantissa()) * pow10(s - b.scale()), s};
}
}  // namespace

Decimal operator+(const Decimal& a, const Decimal& b) {
  Aligned x = align(a, b);
  return DecimalAccess::make(x.a + x.b, x.scale, "addition");
}

Decimal operator-(const Decimal& a, const Decimal& b) {
  Aligned x = align(a, b);
  return DecimalAccess::make(x.a - x.b, x.scale, "subtraction");
}

Decimal operator*(const Decimal& a, const Decimal& b) {
  return DecimalAccess::make(static_cast<i128>(a.mantissa_) * b.mantissa_, a.scale_ + b.scale_,
                             "multiplication");
}

bool operator==(const Decimal& a, const Decimal& b) {
  Aligned x = align(a, b);
  return x.a == x.b;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  Aligned x = align(a, b);
  return x.a < x.b ? std::strong_ordering::less
                   : (x.a > x.b ? std::strong_ordering::greater : std::strong_ordering::equal);
}

Decimal apply_percent(const Decimal& amount, const Decimal& percent) {
  // amount × percent has scale s1 + s2; dividing by 100 adds two decimals, exactly.
  return DecimalAccess::make(static_cast<i128>(amount.mantissa()) * percent.mantissa(),
                             amount.scale() + percent.scale() + 2, "apply_percent");
}

}  // namespace invoicing::domain

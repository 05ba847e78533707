#include "dbf/field_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "memo/memo_file.h"
#include "util/coding.h"

namespace xbase::dbf {

using namespace coding;

namespace {

Location at(const Field& f, const CodecContext& ctx) {
  Location l = ctx.where;
  l.field = f.name;
  if (l.record) l.offset = ctx.record_offset + f.offset;
  return l;
}

[[noreturn]] void bad(const Field& f, const CodecContext& ctx, const std::string& msg) {
  throw Error(Errc::bad_value, at(f, ctx), msg);
}

[[noreturn]] void mismatch(const Field& f, const CodecContext& ctx, const Value& v) {
  throw Error(Errc::usage, at(f, ctx),
              fmt::format("cannot store a {} value in a field of type {}", kind_name(v.kind()),
                          char(f.type)));
}

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F) out += char(c);
    else out += fmt::format("\\x{:02X}", c);
  }
  return out;
}

bool is_text_type(FieldType t) {
  return t == FieldType::character || t == FieldType::varchar || t == FieldType::memo;
}

// Text to store: encoded in the table codepage unless the field is binary.
std::string stored_bytes(const Field& f, const Value& v, const CodecContext& ctx) {
  if (v.kind() == Value::Kind::binary) return v.str();
  if (v.kind() == Value::Kind::text) {
    if (f.binary || !is_text_type(f.type)) return v.str();
    try {
      return ctx.cp->encode(v.str());
    } catch (const Error& e) {
      throw Error(Errc::codepage, at(f, ctx), e.detail());
    }
  }
  mismatch(f, ctx, v);
}

// Canonical decimal text of a numeric value, for N/F fields.
std::string decimal_text(const Field& f, const Value& v, const CodecContext& ctx) {
  switch (v.kind()) {
    case Value::Kind::number: return v.str();
    case Value::Kind::integer: return std::to_string(v.as_integer());
    case Value::Kind::currency: {
      int64_t s = v.as_integer();
      uint64_t a = s < 0 ? uint64_t(0) - uint64_t(s) : uint64_t(s);
      return fmt::format("{}{}.{:04}", s < 0 ? "-" : "", a / 10000, a % 10000);
    }
    case Value::Kind::real: {
      double d = v.as_real();
      if (!std::isfinite(d)) bad(f, ctx, "a numeric field cannot hold NaN or infinity");
      // The shortest decimal that reads back as d, rounded by round_decimal afterwards: 2.5
      // stores as 3 and 0.125 as 0.13 in N(.,2), half away from zero as xBase rounds.
      // (Formatting straight to f.decimals would round the binary value half to even: 2.)
      char buf[400];
      auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
      std::string c;
      canonical_decimal(std::string_view(buf, size_t(r.ptr - buf)), c);
      return c;
    }
    case Value::Kind::text: {
      std::string c;
      if (!canonical_decimal(v.str(), c)) bad(f, ctx, fmt::format("\"{}\" is not a number", v.str()));
      return c;
    }
    default: mismatch(f, ctx, v);
  }
}

// Numeric text from other writers that canonical_decimal refuses. Sets `out` to the canonical
// decimal, or leaves it empty for a blank value; returns false for anything else.
//  - CodeBase: blanks between the digits and the point, or after it ("0   . " in N(6,2)).
//  - A lone "." (reference 2.3): blank.
//  - Exponent notation ("1.3945052E+02", ArcView/shapelib F fields): the point is moved exactly,
//    in decimal, so no binary rounding creeps in.
bool foreign_decimal(std::string_view raw, std::string& out) {
  auto is_pad = [](char c) { return c == ' ' || c == '\0'; };
  auto trim = [&](std::string_view s) {
    while (!s.empty() && is_pad(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_pad(s.back())) s.remove_suffix(1);
    return s;
  };
  std::string_view t = trim(raw);
  out.clear();
  if (auto e = t.find_first_of("Ee"); e != std::string_view::npos) {
    std::string mant;
    if (!canonical_decimal(t.substr(0, e), mant)) return false;
    std::string_view es = t.substr(e + 1);
    bool eneg = !es.empty() && es[0] == '-';
    if (!es.empty() && (es[0] == '-' || es[0] == '+')) es.remove_prefix(1);
    if (es.empty() || es.size() > 3 || es.find_first_not_of("0123456789") != std::string_view::npos)
      return false;
    int exp = std::stoi(std::string(es)) * (eneg ? -1 : 1);
    bool neg = mant[0] == '-';
    if (neg) mant.erase(0, 1);
    auto dot = mant.find('.');
    std::string digits = mant;
    long point = long(mant.size());
    if (dot != std::string::npos) {
      digits.erase(dot, 1);
      point = long(dot);
    }
    point += exp;
    std::string moved;
    if (point <= 0)
      moved = "0." + std::string(size_t(-point), '0') + digits;
    else if (size_t(point) >= digits.size())
      moved = digits + std::string(size_t(point) - digits.size(), '0');
    else
      moved = digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
    return canonical_decimal((neg ? "-" : "") + moved, out);
  }
  auto dot = t.find('.');
  if (dot == std::string_view::npos) return false;
  std::string_view ip = trim(t.substr(0, dot)), fp = trim(t.substr(dot + 1));
  if (ip.empty() && fp.empty()) return true;  // a lone point: blank
  if (fp.find_first_not_of("0123456789") != std::string_view::npos) return false;
  return canonical_decimal(std::string(ip) + "." + std::string(fp), out);
}

bool parse_int64(std::string_view s, int64_t& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

std::string round_decimal(const std::string& c, int decimals) {
  bool neg = !c.empty() && c[0] == '-';
  // Already exactly `decimals` digits after the point (the common case): nothing changes.
  if (!neg && decimals > 0) {
    size_t dot = c.find('.');
    if (dot != std::string::npos && dot > 0 && c.size() - dot - 1 == size_t(decimals)) return c;
  }
  std::string body = neg ? c.substr(1) : c;
  auto dot = body.find('.');
  std::string ip = body.substr(0, dot);
  std::string fp = dot == std::string::npos ? "" : body.substr(dot + 1);
  if (int(fp.size()) > decimals) {
    bool up = fp[size_t(decimals)] >= '5';
    fp.resize(size_t(decimals));
    if (up) {
      std::string digits = ip + fp;
      int i = int(digits.size()) - 1;
      for (; i >= 0; --i) {
        if (digits[size_t(i)] == '9') {
          digits[size_t(i)] = '0';
        } else {
          ++digits[size_t(i)];
          break;
        }
      }
      if (i < 0) digits.insert(digits.begin(), '1');
      ip = digits.substr(0, digits.size() - fp.size());
      fp = digits.substr(digits.size() - fp.size());
    }
  }
  fp.resize(size_t(decimals), '0');
  bool zero = ip.find_first_not_of('0') == std::string::npos &&
              fp.find_first_not_of('0') == std::string::npos;
  std::string out = (neg && !zero) ? "-" : "";
  out += ip.empty() ? "0" : ip;
  if (decimals) out += "." + fp;
  return out;
}

bool get_bit(const uint8_t* rec, const Field& nf, int bit) {
  return (rec[nf.offset + size_t(bit) / 8] >> (bit % 8)) & 1;
}

void set_bit(uint8_t* rec, const Field& nf, int bit, bool on) {
  uint8_t& b = rec[nf.offset + size_t(bit) / 8];
  uint8_t m = uint8_t(1u << (bit % 8));
  b = on ? uint8_t(b | m) : uint8_t(b & ~m);
}

uint32_t memo_pointer(const Field& f, const uint8_t* rec, const CodecContext& ctx) {
  const uint8_t* p = rec + f.offset;
  if (f.length == 4) return get_le32(p);
  // 10 ASCII digits, right-aligned. Leading NUL (Access/Jet) or all blanks = no memo.
  if (p[0] == 0 || all_blank(p, f.length)) return 0;
  uint64_t v = 0;
  size_t i = 0;
  while (i < f.length && p[i] == ' ') ++i;
  size_t digits = 0;
  for (; i < f.length && p[i] >= '0' && p[i] <= '9'; ++i, ++digits) v = v * 10 + (p[i] - '0');
  for (; i < f.length; ++i)
    if (p[i] != ' ' && p[i] != 0) digits = 0;
  if (digits == 0 || v > 0xFFFFFFFFull)
    bad(f, ctx,
        fmt::format("memo pointer \"{}\" is not a block number",
                    printable(std::string_view(reinterpret_cast<const char*>(p), f.length))));
  return uint32_t(v);
}

void set_memo_pointer(const Field& f, uint8_t* rec, uint32_t block) {
  uint8_t* p = rec + f.offset;
  if (f.length == 4) {
    put_le32(p, block);
    return;
  }
  std::memset(p, ' ', f.length);
  if (block) {
    std::string s = std::to_string(block);
    std::memcpy(p + f.length - s.size(), s.data(), s.size());
  }
}

bool all_blank(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i] != ' ' && p[i] != 0) return false;
  return true;
}

size_t varchar_length(const Field& f, const uint8_t* rec, const Field* nullflags) {
  if (f.length_bit >= 0 && nullflags && get_bit(rec, *nullflags, f.length_bit))
    return std::min<size_t>(rec[f.offset + f.length - 1], f.length);
  return f.length;
}

bool date_digits(const uint8_t* p, Date& d) {
  for (size_t i = 0; i < 8; ++i)
    if (p[i] < '0' || p[i] > '9') return false;
  d.year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
  d.month = (p[4] - '0') * 10 + (p[5] - '0');
  d.day = (p[6] - '0') * 10 + (p[7] - '0');
  return true;
}

Logical logical_byte(uint8_t b) {
  switch (b) {
    case 'T': case 't': case 'Y': case 'y': return Logical::yes;
    case 'F': case 'f': case 'N': case 'n': return Logical::no;
    default: return Logical::unset;
  }
}

double lenient_number(const uint8_t* p, size_t n) {
  char buf[32];
  size_t k = std::min<size_t>(n, sizeof buf - 1);
  std::memcpy(buf, p, k);
  buf[k] = 0;
  return std::strtod(buf, nullptr);
}

Value decode_field(const Field& f, const uint8_t* rec, const CodecContext& ctx) {
  if (f.null_bit >= 0 && ctx.nullflags && get_bit(rec, *ctx.nullflags, f.null_bit))
    return Value::null();
  const uint8_t* p = rec + f.offset;
  const size_t n = f.length;
  std::string_view raw(reinterpret_cast<const char*>(p), n);
  switch (f.type) {
    case FieldType::character: {
      if (f.binary) return Value::binary(std::string(raw));
      size_t e = n;
      while (e > 0 && (p[e - 1] == ' ' || p[e - 1] == 0)) --e;
      return Value::text(ctx.cp->decode(raw.substr(0, e)));
    }
    case FieldType::varchar:
    case FieldType::varbinary: {
      std::string_view s = raw.substr(0, varchar_length(f, rec, ctx.nullflags));
      if (f.type == FieldType::varbinary || f.binary) return Value::binary(std::string(s));
      return Value::text(ctx.cp->decode(s));
    }
    case FieldType::numeric:
    case FieldType::floating: {
      if (all_blank(p, n)) return Value::empty();
      if (raw.find_first_not_of('*') == std::string_view::npos)
        bad(f, ctx, "numeric field is filled with '*' (the value overflowed when written)");
      std::string c;
      if (!canonical_decimal(raw, c)) {
        if (!foreign_decimal(raw, c))
          bad(f, ctx, fmt::format("\"{}\" is not a number", printable(raw)));
        if (c.empty()) return Value::empty();
      }
      return Value::number(std::move(c));
    }
    case FieldType::date: {
      if (all_blank(p, n) || raw == "00000000") return Value::empty();
      Date d;
      if (!date_digits(p, d)) bad(f, ctx, fmt::format("\"{}\" is not a date (YYYYMMDD)", printable(raw)));
      if (!valid_date(d)) bad(f, ctx, fmt::format("\"{}\" is not a valid date", printable(raw)));
      return Value::date(d);
    }
    case FieldType::logical:
      switch (logical_byte(p[0])) {
        case Logical::yes: return Value::logical(true);
        case Logical::no: return Value::logical(false);
        case Logical::unset: break;
      }
      return Value::empty();
    case FieldType::integer:
      return Value::integer(int32_t(get_le32(p)));
    case FieldType::currency:
      return Value::currency(int64_t(get_le64(p)));
    case FieldType::datetime: {
      if (all_blank(p, n)) return Value::empty();
      int32_t jdn = int32_t(get_le32(p));
      int32_t ms = int32_t(get_le32(p + 4));
      if (jdn == 0 && ms == 0) return Value::empty();
      if (jdn < 1721426 || jdn > 5373484 || ms < 0 || ms >= 86400000)
        bad(f, ctx, fmt::format("datetime (day {}, {} ms) is out of range", jdn, ms));
      return Value::datetime({jdn, ms});
    }
    case FieldType::double_:
      if (ctx.format == Format::vfp) return Value::real(get_le_double(p));
      [[fallthrough]];  // dBASE 'B': binary memo pointer
    case FieldType::memo:
    case FieldType::general:
    case FieldType::picture:
    case FieldType::blob: {
      bool binary = f.binary || f.type != FieldType::memo;
      uint32_t block = memo_pointer(f, rec, ctx);
      if (block == 0) return binary ? Value::binary("") : Value::text("");
      if (!ctx.memo)
        throw Error(Errc::not_found, at(f, ctx),
                    fmt::format("memo block {} cannot be read: the memo file is missing", block));
      Location where = at(f, ctx);
      memo::Block b = ctx.memo->read(block, where);
      if (binary) return Value::binary(std::move(b.data));
      return Value::text(ctx.cp->decode(b.data));
    }
    case FieldType::nullflags:
    default:
      return Value::binary(std::string(raw));
  }
}

void blank_field(const Field& f, uint8_t* rec, const CodecContext& ctx) {
  uint8_t* p = rec + f.offset;
  const size_t n = f.length;
  switch (f.type) {
    case FieldType::integer:
    case FieldType::currency:
    case FieldType::datetime:
    case FieldType::double_:
      std::memset(p, ctx.format == Format::vfp ? 0 : ' ', n);
      break;
    case FieldType::varchar:
    case FieldType::varbinary:
      std::memset(p, 0, n);
      if (f.length_bit >= 0 && ctx.nullflags) set_bit(rec, *ctx.nullflags, f.length_bit, true);
      break;
    case FieldType::memo:
    case FieldType::general:
    case FieldType::picture:
    case FieldType::blob:
      if (n == 4) std::memset(p, 0, n);
      else std::memset(p, ' ', n);
      break;
    case FieldType::nullflags: break;
    default: std::memset(p, ' ', n); break;
  }
  if (f.null_bit >= 0 && ctx.nullflags) set_bit(rec, *ctx.nullflags, f.null_bit, false);
}

void encode_field(const Field& f, const Value& v, uint8_t* rec, const CodecContext& ctx) {
  uint8_t* p = rec + f.offset;
  const size_t n = f.length;
  if (v.is_null() || v.is_empty()) {
    if (f.is_memo() || (f.type == FieldType::double_ && ctx.format != Format::vfp)) {
      // The old memo blocks become dead space, as in FoxPro; PACK reclaims them.
      set_memo_pointer(f, rec, 0);
    }
    blank_field(f, rec, ctx);
    if (v.is_null() && f.null_bit >= 0 && ctx.nullflags) set_bit(rec, *ctx.nullflags, f.null_bit, true);
    return;
  }
  if (f.null_bit >= 0 && ctx.nullflags) set_bit(rec, *ctx.nullflags, f.null_bit, false);
  auto too_long = [&](size_t have) {
    throw Error(Errc::overflow, at(f, ctx),
                fmt::format("value needs {} bytes but the field holds {}", have, n));
  };
  switch (f.type) {
    case FieldType::character: {
      if (v.kind() == Value::Kind::text && ctx.cp && ctx.cp->ascii_identity()) {
        // Printable ASCII text is stored as it is: no conversion, no copy.
        const std::string& t = v.str();
        bool plain = true;
        for (char c : t) plain = plain && c >= 0x20 && c < 0x7F;
        if (plain && t.size() <= n) {
          std::memcpy(p, t.data(), t.size());
          std::memset(p + t.size(), ' ', n - t.size());
          return;
        }
      }
      std::string b = stored_bytes(f, v, ctx);
      if (b.size() > n) {
        // Trailing blanks beyond the width are padding anyway.
        size_t e = b.find_last_not_of(' ');
        if (e == std::string::npos || e + 1 <= n) b.resize(n);
        else too_long(b.size());
      }
      std::memcpy(p, b.data(), b.size());
      std::memset(p + b.size(), ' ', n - b.size());
      return;
    }
    case FieldType::varchar:
    case FieldType::varbinary: {
      std::string b = stored_bytes(f, v, ctx);
      if (b.size() > n) too_long(b.size());
      std::memset(p, 0, n);
      std::memcpy(p, b.data(), b.size());
      bool shorter = b.size() < n;
      if (shorter) p[n - 1] = uint8_t(b.size());
      if (f.length_bit >= 0 && ctx.nullflags) set_bit(rec, *ctx.nullflags, f.length_bit, shorter);
      return;
    }
    case FieldType::numeric:
    case FieldType::floating: {
      std::string s = round_decimal(decimal_text(f, v, ctx), f.decimals);
      if (s.size() > n) too_long(s.size());
      std::memset(p, ' ', n - s.size());
      std::memcpy(p + n - s.size(), s.data(), s.size());
      return;
    }
    case FieldType::date: {
      if (v.kind() != Value::Kind::date) mismatch(f, ctx, v);
      Date d = v.as_date();
      if (!valid_date(d)) bad(f, ctx, "invalid date");
      // YYYYMMDD (valid dates have years 1..9999).
      auto put = [](uint8_t* o, int x, int width) {
        for (int k = width - 1; k >= 0; --k, x /= 10) o[k] = uint8_t('0' + x % 10);
      };
      put(p, d.year, 4);
      put(p + 4, d.month, 2);
      put(p + 6, d.day, 2);
      return;
    }
    case FieldType::logical:
      if (v.kind() != Value::Kind::logical) mismatch(f, ctx, v);
      p[0] = v.as_logical() ? 'T' : 'F';
      return;
    case FieldType::integer: {
      int64_t i;
      if (v.kind() == Value::Kind::integer) {
        i = v.as_integer();
      } else if (v.kind() == Value::Kind::number || v.kind() == Value::Kind::text) {
        if (!parse_int64(v.str(), i)) bad(f, ctx, fmt::format("\"{}\" is not an integer", v.str()));
      } else {
        mismatch(f, ctx, v);
      }
      if (i < INT32_MIN || i > INT32_MAX)
        throw Error(Errc::overflow, at(f, ctx), fmt::format("{} does not fit a 4-byte integer", i));
      put_le32(p, uint32_t(int32_t(i)));
      return;
    }
    case FieldType::currency: {
      int64_t scaled;
      if (v.kind() == Value::Kind::currency) {
        scaled = v.as_integer();
      } else {
        std::string s = round_decimal(decimal_text(f, v, ctx), 4);
        s.erase(s.find('.'), 1);
        if (!parse_int64(s, scaled))
          throw Error(Errc::overflow, at(f, ctx), "currency value out of range");
      }
      put_le64(p, uint64_t(scaled));
      return;
    }
    case FieldType::datetime: {
      DateTime t;
      if (v.kind() == Value::Kind::datetime) t = v.as_datetime();
      else if (v.kind() == Value::Kind::date) t = {julian_day(v.as_date()), 0};
      else mismatch(f, ctx, v);
      if (t.millis < 0 || t.millis >= 86400000) bad(f, ctx, "time of day out of range");
      put_le32(p, uint32_t(t.julian_day));
      put_le32(p + 4, uint32_t(t.millis));
      return;
    }
    case FieldType::double_:
      if (ctx.format == Format::vfp) {
        double d;
        switch (v.kind()) {
          case Value::Kind::real:
          case Value::Kind::integer:
          case Value::Kind::currency: d = v.as_real(); break;
          case Value::Kind::number:
          case Value::Kind::text: {
            const std::string& s = v.str();
            auto r = std::from_chars(s.data(), s.data() + s.size(), d);
            if (r.ec != std::errc() || r.ptr != s.data() + s.size())
              bad(f, ctx, fmt::format("\"{}\" is not a number", s));
            break;
          }
          default: mismatch(f, ctx, v);
        }
        put_le_double(p, d);
        return;
      }
      [[fallthrough]];
    case FieldType::memo:
    case FieldType::general:
    case FieldType::picture:
    case FieldType::blob: {
      std::string b = stored_bytes(f, v, ctx);
      if (!ctx.memo)
        throw Error(Errc::not_found, at(f, ctx), "cannot write a memo: the memo file is missing");
      uint32_t old = 0;
      try {
        old = memo_pointer(f, rec, ctx);
      } catch (const Error&) {
        old = 0;  // a garbled pointer is simply replaced
      }
      uint32_t type = f.type == FieldType::general   ? memo::kObject
                      : f.type == FieldType::picture ? memo::kPicture
                                                     : memo::kText;
      uint32_t block = ctx.memo->write(old, type, b);
      set_memo_pointer(f, rec, block);
      return;
    }
    default:
      throw Error(Errc::unsupported, at(f, ctx),
                  fmt::format("cannot write fields of unknown type '{}'", char(f.type)));
  }
}

}  // namespace xbase::dbf

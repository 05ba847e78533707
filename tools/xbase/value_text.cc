#include "value_text.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace xbase::tool {

namespace {

[[noreturn]] void bad(const Field& f, const std::string& msg) {
  throw std::runtime_error(fmt::format("field {} ({}): {}", f.name, char(f.type), msg));
}

bool binary_field(const Field& f) {
  switch (f.type) {
    case FieldType::varbinary:
    case FieldType::blob:
    case FieldType::general:
    case FieldType::picture: return true;
    case FieldType::character:
    case FieldType::varchar:
    case FieldType::memo: return f.binary;
    default: return false;
  }
}

bool parse_date(std::string_view s, Date& d) {
  auto num = [&](size_t at, size_t n, int& out) {
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  if (s.size() == 10 && s[4] == '-' && s[7] == '-')
    return num(0, 4, d.year) && num(5, 2, d.month) && num(8, 2, d.day) && valid_date(d);
  if (s.size() == 8) return num(0, 4, d.year) && num(4, 2, d.month) && num(6, 2, d.day) && valid_date(d);
  return false;
}

bool parse_datetime(std::string_view s, DateTime& t) {
  Date d;
  if (s.size() < 10 || !parse_date(s.substr(0, 10), d)) return false;
  int h = 0, m = 0, sec = 0, ms = 0;
  std::string_view rest = s.substr(10);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return false;
    rest.remove_prefix(1);
    auto two = [&](size_t at, int& out) {
      if (at + 2 > rest.size() || !isdigit(rest[at]) || !isdigit(rest[at + 1])) return false;
      out = (rest[at] - '0') * 10 + (rest[at + 1] - '0');
      return true;
    };
    if (!two(0, h) || rest.size() < 5 || rest[2] != ':' || !two(3, m)) return false;
    if (rest.size() > 5) {
      if (rest[5] != ':' || !two(6, sec)) return false;
      if (rest.size() > 8) {
        if (rest[8] != '.' || rest.size() != 12) return false;
        for (size_t i = 9; i < 12; ++i) {
          if (!isdigit(rest[i])) return false;
          ms = ms * 10 + (rest[i] - '0');
        }
      }
    }
    if (h > 23 || m > 59 || sec > 59) return false;
  }
  t.julian_day = julian_day(d);
  t.millis = ((h * 60 + m) * 60 + sec) * 1000 + ms;
  return true;
}

// A value from its text, for every field type (CSV cells, JSON strings).
Value from_text(const Field& f, std::string_view s, bool json_string) {
  if (binary_field(f)) {
    std::string out;
    if (s.substr(0, 7) == "base64:") {
      if (!base64_decode(s.substr(7), out)) bad(f, "invalid base64");
      return Value::binary(out);
    }
    return Value::binary(std::string(s));
  }
  switch (f.type) {
    case FieldType::character:
    case FieldType::varchar:
    case FieldType::memo: return Value::text(std::string(s));
    default: break;
  }
  if (s.empty() && !json_string) return Value::null();
  switch (f.type) {
    case FieldType::numeric:
    case FieldType::floating:
    case FieldType::currency: {
      std::string c;
      if (!canonical_decimal(s, c)) bad(f, fmt::format("\"{}\" is not a number", s));
      return Value::number(c);
    }
    case FieldType::integer: {
      int64_t i;
      auto r = std::from_chars(s.data(), s.data() + s.size(), i);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size())
        bad(f, fmt::format("\"{}\" is not an integer", s));
      return Value::integer(i);
    }
    case FieldType::double_: {
      if (s == "NaN") return Value::real(NAN);
      if (s == "Infinity") return Value::real(INFINITY);
      if (s == "-Infinity") return Value::real(-INFINITY);
      double d;
      auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size())
        bad(f, fmt::format("\"{}\" is not a number", s));
      return Value::real(d);
    }
    case FieldType::date: {
      Date d;
      if (!parse_date(s, d)) bad(f, fmt::format("\"{}\" is not a date (YYYY-MM-DD)", s));
      return Value::date(d);
    }
    case FieldType::datetime: {
      DateTime t;
      if (!parse_datetime(s, t))
        bad(f, fmt::format("\"{}\" is not a datetime (YYYY-MM-DDTHH:MM:SS.mmm)", s));
      return Value::datetime(t);
    }
    case FieldType::logical:
      if (s == "true" || s == "T" || s == "t" || s == ".T.") return Value::logical(true);
      if (s == "false" || s == "F" || s == "f" || s == ".F.") return Value::logical(false);
      bad(f, fmt::format("\"{}\" is not a logical (true/false)", s));
    default: bad(f, "this field type cannot be loaded");
  }
}

}  // namespace

std::string date_text(const Date& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

std::string datetime_text(const DateTime& t) {
  Date d = from_julian_day(t.julian_day);
  int ms = t.millis;
  return fmt::format("{}T{:02}:{:02}:{:02}.{:03}", date_text(d), ms / 3600000, ms / 60000 % 60,
                     ms / 1000 % 60, ms % 1000);
}

static std::string real_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
  return std::string(buf, r.ptr);
}

static std::string currency_text(int64_t s) {
  uint64_t a = s < 0 ? uint64_t(0) - uint64_t(s) : uint64_t(s);
  return fmt::format("{}{}.{:04}", s < 0 ? "-" : "", a / 10000, a % 10000);
}

void append_json_value(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null:
    case Value::Kind::empty: out += "null"; return;
    case Value::Kind::text: json::append_string(out, v.str()); return;
    case Value::Kind::binary:
      out += "{\"base64\":\"";
      out += base64_encode(v.str());
      out += "\"}";
      return;
    case Value::Kind::number: out += v.str(); return;
    case Value::Kind::integer: out += std::to_string(v.as_integer()); return;
    case Value::Kind::currency: json::append_string(out, currency_text(v.as_integer())); return;
    case Value::Kind::real: {
      double d = v.as_real();
      if (std::isfinite(d)) out += real_text(d);
      else json::append_string(out, real_text(d));
      return;
    }
    case Value::Kind::date: json::append_string(out, date_text(v.as_date())); return;
    case Value::Kind::datetime: json::append_string(out, datetime_text(v.as_datetime())); return;
    case Value::Kind::logical: out += v.as_logical() ? "true" : "false"; return;
  }
}

std::string csv_text(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null:
    case Value::Kind::empty: return "";
    case Value::Kind::text:
    case Value::Kind::number: return v.str();
    case Value::Kind::binary: return "base64:" + base64_encode(v.str());
    case Value::Kind::integer: return std::to_string(v.as_integer());
    case Value::Kind::currency: return currency_text(v.as_integer());
    case Value::Kind::real: return real_text(v.as_real());
    case Value::Kind::date: return date_text(v.as_date());
    case Value::Kind::datetime: return datetime_text(v.as_datetime());
    case Value::Kind::logical: return v.as_logical() ? "true" : "false";
  }
  return "";
}

void append_csv_cell(std::string& out, std::string_view t) {
  if (t.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += t;
    return;
  }
  out += '"';
  for (char c : t) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

Value value_from_json(const Field& f, const json::Node& n) {
  using T = json::Node::Type;
  switch (n.type) {
    case T::null: return Value::null();
    case T::boolean:
      if (f.type != FieldType::logical) bad(f, "true/false given for a field that is not logical");
      return Value::logical(n.b);
    case T::number:
      if (binary_field(f) || f.type == FieldType::date || f.type == FieldType::datetime ||
          f.type == FieldType::logical)
        bad(f, fmt::format("number {} given for a field of this type", n.s));
      if (f.type == FieldType::character || f.type == FieldType::varchar || f.type == FieldType::memo)
        return Value::text(n.s);
      return from_text(f, n.s, false);
    case T::string: return from_text(f, n.s, true);
    case T::object: {
      const json::Node* b = n.find("base64");
      if (!b || b->type != T::string || n.keys.size() != 1) bad(f, "objects must be {\"base64\": \"...\"}");
      std::string out;
      if (!base64_decode(b->s, out)) bad(f, "invalid base64");
      return Value::binary(out);
    }
    case T::array: bad(f, "arrays are not field values");
  }
  bad(f, "unexpected value");
}

Value value_from_csv(const Field& f, std::string_view cell) { return from_text(f, cell, false); }

static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool base64_decode(std::string_view in, std::string& out) {
  out.clear();
  if (in.size() % 4 != 0) return false;
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (size_t i = 0; i < in.size(); i += 4) {
    int a = val(in[i]), b = val(in[i + 1]);
    if (a < 0 || b < 0) return false;
    bool last = i + 4 == in.size();
    int c = in[i + 2] == '=' && last ? -2 : val(in[i + 2]);
    int d = in[i + 3] == '=' && last ? -2 : val(in[i + 3]);
    if (c == -1 || d == -1 || (c == -2 && d != -2)) return false;
    out += char((a << 2) | (b >> 4));
    if (c >= 0) out += char(((b & 15) << 4) | (c >> 2));
    if (d >= 0) out += char(((c & 3) << 6) | d);
  }
  return true;
}

}  // namespace xbase::tool

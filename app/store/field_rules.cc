#include "store/field_rules.h"

#include <fmt/format.h>

#include "domain/line_rules.h"
#include "store/errors.h"
#include "xbase/codepage.h"
#include "xbase/error.h"

namespace invoicing::store {

namespace {

// The data folder's tables are Windows-1252 (folder_schema.cc creates them so).
const xbase::Codepage& table_codepage() {
  static const xbase::Codepage& cp = xbase::Codepage::get(1252);
  return cp;
}

const xbase::Field& field_or_throw(Tbl t, std::string_view field) {
  const xbase::Field* f = field_def(t, field);
  if (!f) throw std::logic_error(fmt::format("{} has no field {}", table_def(t).name, field));
  return *f;
}

// Code points of UTF-8 text; nullopt when it is not valid UTF-8.
std::optional<std::vector<char32_t>> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!n || i + n > s.size()) return std::nullopt;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) return std::nullopt;
    out.push_back(cp);
    i += size_t(n);
  }
  return out;
}

std::string utf8_of(char32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += char(cp);
  } else if (cp < 0x800) {
    s += char(0xC0 | (cp >> 6));
    s += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += char(0xE0 | (cp >> 12));
    s += char(0x80 | ((cp >> 6) & 0x3F));
    s += char(0x80 | (cp & 0x3F));
  } else {
    s += char(0xF0 | (cp >> 18));
    s += char(0x80 | ((cp >> 12) & 0x3F));
    s += char(0x80 | ((cp >> 6) & 0x3F));
    s += char(0x80 | (cp & 0x3F));
  }
  return s;
}

bool encodable(char32_t cp) {
  if (cp < 0x80) return true;  // ASCII is in every codepage (and is most of what is checked)
  try {
    table_codepage().encode(utf8_of(cp));
    return true;
  } catch (const xbase::Error&) {
    return false;
  }
}

}  // namespace

size_t text_limit(Tbl t, std::string_view field) {
  const auto& f = field_or_throw(t, field);
  return f.is_memo() ? 0 : f.length;
}

std::string checked_text(Tbl t, std::string_view field, const std::string& text, std::string_view label) {
  const auto& f = field_or_throw(t, field);
  auto cps = code_points(text);
  if (!cps) throw UserError(fmt::format("{} is not valid UTF-8 text", label));
  for (char32_t cp : *cps) {
    bool line_break = cp == '\n' || cp == '\r';
    if ((cp < 0x20 && !(line_break && f.is_memo())) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
      throw UserError(fmt::format("{} contains a control character (U+{:04X}){}", label, uint32_t(cp),
                                  line_break ? ": it is one line" : ""));
    if (!encodable(cp))
      throw UserError(fmt::format("{} contains \"{}\", which the data files (Windows-1252) cannot hold", label,
                                  utf8_of(cp)));
  }
  if (!f.is_memo() && cps->size() > f.length)
    throw UserError(fmt::format("{} has at most {} characters ({} given)", label, f.length, cps->size()));
  return text;
}

domain::Decimal checked_decimal(Tbl t, std::string_view field, const domain::Decimal& d, std::string_view label) {
  const auto& f = field_or_throw(t, field);
  // One rule for the size of a number, the line rules' (domain/line_rules.h), so that a value
  // typed on the command line and a document line are refused in the same words. Trailing
  // zeros beyond the field's places are no loss ("1.500" in a 2-decimal field).
  const std::string name(label);
  auto v = domain::check_field(d, {name.c_str(), int(f.decimals), int(f.length)});
  if (!v) throw UserError(v.reason);
  return d.round(f.decimals);
}

domain::Decimal parse_decimal(Tbl t, std::string_view field, const std::string& text, std::string_view label) {
  std::string s = text;
  if (s.find(',') != std::string::npos && s.find('.') == std::string::npos) s[s.find(',')] = '.';
  auto d = domain::Decimal::parse(s);
  if (!d) throw UserError(fmt::format("{} \"{}\" is not a number (digits with a decimal point or comma)", label, text));
  return checked_decimal(t, field, *d, label);
}

std::string fitted_text(Tbl t, std::string_view field, const std::string& text) {
  const auto& f = field_or_throw(t, field);
  auto cps = code_points(text);
  std::string out;
  size_t n = 0;
  if (!cps) {
    cps.emplace();
    for (unsigned char c : text) cps->push_back(c < 0x80 ? c : 0xFFFD);
  }
  for (char32_t cp : *cps) {
    if (!f.is_memo() && n >= f.length) break;
    out += cp >= 0x20 && cp != 0x7F && encodable(cp) ? utf8_of(cp) : "?";
    ++n;
  }
  return out;
}

}  // namespace invoicing::store

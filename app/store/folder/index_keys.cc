#include "store/folder/index_keys.h"

#include <fmt/format.h>

#include <stdexcept>

#include "domain/money.h"
#include "store/row.h"
#include "xbase/codepage.h"

namespace invoicing::store::folder {

namespace {

using xbase::FieldType;
using xbase::Value;

const xbase::Field& field_of(const TableDef& t, std::string_view name) {
  const xbase::Field* f = field_def(t.id, name);
  if (!f) throw std::logic_error(fmt::format("index on {}: no field {}", t.name, name));
  return *f;
}

bool numeric(FieldType t) { return t == FieldType::numeric || t == FieldType::floating; }

size_t utf8_chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string decimal_of(const Value& v) {
  if (v.kind() == Value::Kind::integer) return std::to_string(v.as_integer());
  if (v.kind() == Value::Kind::number) return v.str();
  if (v.is_null() || v.is_empty()) return "0";
  throw std::invalid_argument(fmt::format("a {} value where a number is needed", xbase::kind_name(v.kind())));
}

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The text form of one part of a key of several fields.
std::string part_text(const xbase::Table& t, const xbase::Field& f, const IndexPart& p, const Value& v) {
  switch (f.type) {
    case FieldType::character: {
      std::string s = v.kind() == Value::Kind::text ? trimmed(v.str()) : "";
      if (p.upper) s = upper_as_table(t, s);
      size_t n = utf8_chars(s);
      return n < f.length ? s + std::string(f.length - n, ' ') : s;
    }
    case FieldType::integer: return fmt::format("{:>11}", decimal_of(v));
    case FieldType::numeric:
    case FieldType::floating: {
      auto d = domain::Decimal::parse(decimal_of(v));
      if (!d) throw std::invalid_argument("not a decimal number: " + decimal_of(v));
      return fmt::format("{:>{}}", d->to_string(f.decimals), f.length);
    }
    case FieldType::date: {
      if (v.kind() != Value::Kind::date) return std::string(8, ' ');
      auto d = v.as_date();
      return fmt::format("{:04}{:02}{:02}", d.year, d.month, d.day);
    }
    default: throw std::logic_error("an index part of an unsupported type: " + f.name);
  }
}

}  // namespace

std::string upper_as_table(const xbase::Table& t, const std::string& utf8) {
  const auto& cp = xbase::Codepage::get(t.info().codepage ? t.info().codepage : 1252);
  try {
    return cp.decode(cp.upper(cp.encode(utf8)));
  } catch (const xbase::Error&) {
    return utf8;
  }
}

xbase::TagSpec tag_spec(const TableDef& t, const IndexDef& ix) {
  xbase::TagSpec s;
  s.name = ix.name;
  s.candidate = ix.unique;
  const bool single = ix.parts.size() == 1;
  for (const auto& p : ix.parts) {
    const auto& f = field_of(t, p.field);
    std::string e;
    if (f.type == FieldType::character) e = p.upper ? fmt::format("UPPER({})", f.name) : f.name;
    else if (single) e = f.name;
    else if (f.type == FieldType::integer) e = fmt::format("STR({},11)", f.name);
    else if (numeric(f.type))
      e = f.decimals ? fmt::format("STR({},{},{})", f.name, f.length, f.decimals) : fmt::format("STR({},{})", f.name, f.length);
    else if (f.type == FieldType::date) e = fmt::format("DTOS({})", f.name);
    else throw std::logic_error(fmt::format("index {} of {}: field {} cannot be a key part", ix.name, t.name, f.name));
    s.key += (s.key.empty() ? "" : "+") + e;
  }
  if (ix.skip_zero) {
    const auto& f = field_of(t, ix.parts.back().field);
    s.for_expr = f.type == FieldType::character ? fmt::format("!EMPTY({})", f.name) : fmt::format("{} > 0", f.name);
  }
  return s;
}

xbase::Value seek_value(const xbase::Table& t, const TableDef& def, const IndexDef& ix,
                        const std::vector<xbase::Value>& prefix) {
  if (prefix.size() > ix.parts.size())
    throw std::logic_error(fmt::format("index {} of {} has {} fields; {} values given", ix.name, def.name,
                                       ix.parts.size(), prefix.size()));
  if (ix.parts.size() == 1) {
    const auto& f = field_of(def, ix.parts[0].field);
    const Value& v = prefix[0];
    if (f.type == FieldType::character)
      return Value::text(ix.parts[0].upper ? upper_as_table(t, v.kind() == Value::Kind::text ? v.str() : "")
                                           : (v.kind() == Value::Kind::text ? v.str() : ""));
    if (f.type == FieldType::integer) return Value::integer(std::stoll(decimal_of(v)));
    if (numeric(f.type)) return Value::number(decimal_of(v));
    return v;
  }
  std::string key;
  for (size_t i = 0; i < prefix.size(); ++i) key += part_text(t, field_of(def, ix.parts[i].field), ix.parts[i], prefix[i]);
  return Value::text(key);
}

bool prefix_matches(const xbase::Table& t, const IndexDef& ix, const xbase::Record& r,
                    const std::vector<xbase::Value>& prefix) {
  for (size_t i = 0; i < prefix.size(); ++i) {
    const IndexPart& p = ix.parts[i];
    Value stored = r.get(p.field);
    const Value& want = prefix[i];
    if (stored.kind() == Value::Kind::text) {
      std::string a = trimmed(stored.str()), b = want.kind() == Value::Kind::text ? trimmed(want.str()) : "";
      if (p.upper) {
        a = upper_as_table(t, a);
        b = upper_as_table(t, b);
      }
      if (a != b) return false;
    } else if (stored.kind() == Value::Kind::date || want.kind() == Value::Kind::date) {
      if (!(stored == want)) return false;
    } else {
      auto a = domain::Decimal::parse(decimal_of(stored)), b = domain::Decimal::parse(decimal_of(want));
      if (!a || !b || *a != *b) return false;
    }
  }
  return true;
}

}  // namespace invoicing::store::folder

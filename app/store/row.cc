#include "store/row.h"

#include <fmt/format.h>

#include <stdexcept>

namespace invoicing::store {

namespace {
const xbase::Value kNull;
}

bool Row::has(std::string_view field) const {
  for (const auto& [n, v] : values_)
    if (n == field) return true;
  return false;
}

const xbase::Value& Row::get(std::string_view field) const {
  for (const auto& [n, v] : values_)
    if (n == field) return v;
  return kNull;
}

Row& Row::set(std::string_view field, xbase::Value v) {
  for (auto& [n, old] : values_)
    if (n == field) {
      old = std::move(v);
      return *this;
    }
  values_.emplace_back(std::string(field), std::move(v));
  return *this;
}

Row& Row::text(std::string_view field, std::string v) { return set(field, xbase::Value::text(std::move(v))); }
Row& Row::dec(std::string_view field, const domain::Decimal& v) { return set(field, xbase::Value::number(v.to_string())); }
Row& Row::integer(std::string_view field, int64_t v) { return set(field, xbase::Value::integer(v)); }
Row& Row::date(std::string_view field, std::optional<xbase::Date> v) {
  return set(field, v ? xbase::Value::date(*v) : xbase::Value::empty());
}
Row& Row::flag(std::string_view field, bool v) { return set(field, xbase::Value::logical(v)); }

std::string Row::text(std::string_view field) const {
  const auto& v = get(field);
  if (v.kind() != xbase::Value::Kind::text) return "";
  std::string s = v.str();
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

domain::Decimal Row::dec(std::string_view field) const {
  const auto& v = get(field);
  if (v.is_null() || v.is_empty()) return {};
  auto d = domain::Decimal::parse(decimal_text(v));
  if (!d) throw std::runtime_error(fmt::format("field {} holds \"{}\", not a decimal number", field, decimal_text(v)));
  return *d;
}

int64_t Row::integer(std::string_view field) const {
  const auto& v = get(field);
  switch (v.kind()) {
    case xbase::Value::Kind::integer: return v.as_integer();
    case xbase::Value::Kind::number: {
      domain::Decimal d = dec(field);
      if (d.scale() != 0 && d.round(0) != d)
        throw std::runtime_error(fmt::format("field {} holds {}, not a whole number", field, d.to_string()));
      return d.round(0).mantissa();
    }
    default: return 0;
  }
}

std::optional<xbase::Date> Row::date(std::string_view field) const {
  const auto& v = get(field);
  if (v.kind() != xbase::Value::Kind::date) return std::nullopt;
  return v.as_date();
}

bool Row::flag(std::string_view field) const {
  const auto& v = get(field);
  return v.kind() == xbase::Value::Kind::logical && v.as_logical();
}

std::string decimal_text(const xbase::Value& v) {
  if (v.kind() == xbase::Value::Kind::number) return v.str();
  if (v.kind() == xbase::Value::Kind::integer) return std::to_string(v.as_integer());
  return "0";
}

}  // namespace invoicing::store

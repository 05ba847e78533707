// A record of one table of the data dictionary as field name -> value, the form in which the
// store and its storage backends hand records to each other. Reading a field the row does not
// hold gives null (an older row, a field not asked for); typed readers turn blanks into 0, ""
// or nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/money.h"
#include "xbase/value.h"

namespace invoicing::store {

// Where a backend keeps a record (the folder's record number; a database's row id).
using RowId = uint64_t;

class Row {
 public:
  RowId id = 0;  // 0 for a row not stored yet

  bool has(std::string_view field) const;
  const xbase::Value& get(std::string_view field) const;
  Row& set(std::string_view field, xbase::Value v);
  // A field the row does not hold yet (a backend filling a row from a record's distinct
  // fields: no search for an earlier value, which made reading a record quadratic).
  Row& add(std::string field, xbase::Value v) {
    values_.emplace_back(std::move(field), std::move(v));
    return *this;
  }
  // Typed setters: text as given, decimals exactly, integers, dates, flags.
  Row& text(std::string_view field, std::string v);
  Row& dec(std::string_view field, const domain::Decimal& v);
  Row& integer(std::string_view field, int64_t v);
  Row& date(std::string_view field, std::optional<xbase::Date> v);
  Row& flag(std::string_view field, bool v);

  std::string text(std::string_view field) const;  // trailing blanks dropped
  domain::Decimal dec(std::string_view field) const;
  int64_t integer(std::string_view field) const;
  std::optional<xbase::Date> date(std::string_view field) const;
  bool flag(std::string_view field) const;

  const std::vector<std::pair<std::string, xbase::Value>>& values() const { return values_; }
  bool empty() const { return values_.empty(); }

 private:
  std::vector<std::pair<std::string, xbase::Value>> values_;
};

// The text of a stored decimal (N fields hold their digits; integers convert).
std::string decimal_text(const xbase::Value& v);

}  // namespace invoicing::store

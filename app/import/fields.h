// The targets of an import (customers, suppliers, articles) and their logical fields: type,
// length, whether required, and the column headers (Dutch, French, English) that map to
// each. One table, as data, so that lengths can follow the data dictionary.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invoicing::import {

enum class Target { customers, suppliers, articles };

const char* target_name(Target t);
std::optional<Target> target_from_name(std::string_view name);

enum class FieldKind {
  text,               // one line of text
  memo,               // text with line breaks
  code,               // the key: unique within the file
  country,            // ISO 3166 alpha-2 (names in nl/fr/en/de accepted)
  vat_number,         // checked with domain/vat_number.h
  enterprise_number,  // KBO/BCE or KvK
  email,
  phone,
  iban,
  bic,
  days,          // whole days, 0..max_value
  language,      // nl, fr, en, de
  decimal,       // at most `decimals` decimals, below 10^10
  vat_rate,      // one of the supplier country's rates
  vat_category,  // S, Z, E, AE, K, G
  article_kind,  // G goods, S a service
  boolean,
};

struct FieldDef {
  const char* name;
  FieldKind kind;
  int max_length;  // in characters; 0: no limit of its own
  bool required;
  int decimals;         // decimal: the most decimals allowed
  bool negative;        // decimal: may be below zero
  int max_value;        // days: the largest value
  const char* aliases;  // '|'-separated header names, folded (see text_fold.h)
};

struct TargetDef {
  Target target;
  const char* name;
  std::vector<FieldDef> fields;
  // The field codes are generated from when a row has none ("" when codes must be given).
  const char* code_source;

  // The index of a field by name, or -1.
  int index(std::string_view field) const;
};

const TargetDef& target_def(Target t);

}  // namespace invoicing::import

// One cell checked against the logical field it is mapped to, and turned into the field's
// canonical text: trimmed text, "1234.5" for decimals, "BE0403199702" for VAT numbers,
// "BE" for countries, "1"/"0" for booleans, "nl" for languages.
#pragma once

#include <string>

#include "import/fields.h"
#include "import/sheet.h"

namespace invoicing::import {

struct FieldContext {
  char decimal_mark = ',';              // for text numbers with one ambiguous separator
  std::string supplier_country = "BE";  // whose VAT rates articles may have
  std::string row_country;              // the row's country once checked ("" when none)
};

struct FieldResult {
  std::string value;   // canonical; empty when the cell is empty
  std::string reason;  // what is wrong; empty when the value is fine
  bool ok() const { return reason.empty(); }
};

FieldResult check_field(const FieldDef& field, const Cell& cell, const FieldContext& context);

}  // namespace invoicing::import

// What a document line and a document total may hold (issue 19: "a quantity of 1.0005 was
// stored as 1.001 and a 9-decimal price cut to 4, so the draft showed 121.06 and the final
// invoice 121.12"; "a negative invoice of −60.50 from a line with quantity −1").
//
// Input with more decimals (or digits) than its field stores is refused naming the limit,
// never rounded: what passes these checks is stored exactly, so a draft and the final
// document compute their totals from the same values. Zero quantities are refused; a
// document's total may not be negative (refunds are credit notes, which carry positive
// amounts themselves), except a purchase invoice's: a supplier's credit note is recorded as
// a purchase invoice with negative lines.
#pragma once

#include <string>
#include <vector>

#include "domain/document.h"
#include "domain/money.h"
#include "domain/totals.h"
#include "domain/verdict.h"

namespace invoicing::domain {

// One numeric field as stored: xBase N(width, decimals), sign and point included in width.
struct FieldLimit {
  const char* name;  // "a quantity", used in messages
  int decimals;
  int width;
};

// The document line fields (DOCLINE: QTY N(14,3), PRICE N(14,4), DISC N(6,2)).
struct LineLimits {
  FieldLimit quantity{"a quantity", 3, 14};
  FieldLimit unit_price{"a unit price", 4, 14};
  FieldLimit discount{"a discount", 2, 6};
};

// `value` fits the field exactly (no rounding needed, fits the width): "a quantity has at
// most 3 decimals: 1.0005"; "a unit price has at most 9 digits before the point: ...".
Verdict check_field(const Decimal& value, const FieldLimit& limit);

// Before a line is saved: each field fits, the quantity is not zero, the discount is
// 0..100 %. `line_no` (1-based) is named in the reason.
Verdict check_line(const LineInput& line, int line_no, const LineLimits& limits = {});

// Before a document is saved or finalized: every line passes check_line, there is at least
// one line, and the total (VAT included) is not negative.
Verdict check_document_lines(const DocRef& doc, const std::vector<LineInput>& lines,
                             const LineLimits& limits = {});

}  // namespace invoicing::domain

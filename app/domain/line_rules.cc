#include "domain/line_rules.h"

#include <fmt/format.h>

#include <cstdint>

#include "domain/document_label.h"

namespace invoicing::domain {

Verdict check_field(const Decimal& value, const FieldLimit& limit) {
  // Rounding to fewer decimals never overflows; only then is the value padded to the field.
  if (value.scale() > limit.decimals && value.round(limit.decimals) != value) {
    return Verdict::refuse(fmt::format("{} has at most {} decimals: {}", limit.name, limit.decimals,
                                       value.to_string()));
  }
  // Width counts a sign and the point: N(14,3) holds -999999999.999 .. 9999999999.999.
  size_t stored = 0;
  try {
    stored = value.to_string(limit.decimals).size();
  } catch (const DecimalOverflow&) {
    stored = SIZE_MAX;  // far too many digits
  }
  if (stored > static_cast<size_t>(limit.width)) {
    const int digits =
        limit.width - (limit.decimals > 0 ? limit.decimals + 1 : 0) - (value.is_negative() ? 1 : 0);
    return Verdict::refuse(fmt::format("{} has at most {} digits before the decimal point: {}",
                                       limit.name, digits, value.to_string()));
  }
  return Verdict::allow();
}

namespace {
Verdict on_line(Verdict v, int line_no) {
  if (!v) v.reason = fmt::format("line {}: {}", line_no, v.reason);
  return v;
}
}  // namespace

Verdict check_line(const LineInput& line, int line_no, const LineLimits& limits) {
  for (auto [value, limit] : {std::pair{&line.quantity, &limits.quantity},
                              std::pair{&line.unit_price, &limits.unit_price},
                              std::pair{&line.discount_percent, &limits.discount}}) {
    Verdict v = check_field(*value, *limit);
    if (!v) return on_line(v, line_no);
  }
  if (line.quantity.is_zero())
    return on_line(Verdict::refuse("the quantity is 0", "remove the line instead"), line_no);
  if (line.discount_percent.is_negative() || line.discount_percent > Decimal::from_integer(100))
    return on_line(Verdict::refuse(fmt::format("a discount is 0 to 100 %, not {}",
                                               line.discount_percent.to_string())),
                   line_no);
  return Verdict::allow();
}

Verdict check_document_lines(const DocRef& doc, const std::vector<LineInput>& lines,
                             const LineLimits& limits) {
  const std::string name = document_label(doc, "en");
  if (lines.empty()) return Verdict::refuse(fmt::format("{} has no lines", name));
  for (size_t i = 0; i < lines.size(); ++i) {
    Verdict v = check_line(lines[i], static_cast<int>(i) + 1, limits);
    if (!v) {
      v.reason = name + ", " + v.reason;
      return v;
    }
  }
  Totals t;
  try {
    t = compute_totals(lines);
  } catch (const std::invalid_argument& e) {
    return Verdict::refuse(fmt::format("{}: {}", name, e.what()));
  }
  // A purchase invoice records what a supplier sent: a supplier's credit note is one with
  // negative lines (the program has no purchase credit type; purchase/import makes them).
  if (t.total_incl.is_negative() && doc.type != DocType::purchase_invoice) {
    if (doc.type == DocType::credit_note)
      return Verdict::refuse(
          fmt::format("{} totals {}: a credit note's lines carry positive quantities", name,
                      t.total_incl.to_string(2)),
          "enter what is credited as positive quantities");
    return Verdict::refuse(
        fmt::format("{} totals {}: a document's total is not negative (refunds are credit notes)",
                    name, t.total_incl.to_string(2)),
        "make a credit note for the invoice being refunded: invoicing doc convert ID --to "
        "credit-note");
  }
  return Verdict::allow();
}

}  // namespace invoicing::domain

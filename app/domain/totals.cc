#include "domain/totals.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace invoicing::domain {

namespace {
void validate(const LineInput& line, size_t index) {
  const Decimal zero;
  if (line.vat_rate < zero) {
    throw std::invalid_argument(
        fmt::format("line {}: negative VAT rate {}", index + 1, line.vat_rate.to_string()));
  }
  if (line.category != VatCategory::standard && !line.vat_rate.is_zero()) {
    throw std::invalid_argument(
        fmt::format("line {}: VAT category {} requires rate 0, not {} (EN 16931)", index + 1,
                    code(line.category), line.vat_rate.to_string()));
  }
  if (line.discount_percent < zero || line.discount_percent > Decimal::from_integer(100)) {
    throw std::invalid_argument(fmt::format("line {}: discount {} % is outside 0..100", index + 1,
                                            line.discount_percent.to_string()));
  }
}
}  // namespace

Totals compute_totals(const std::vector<LineInput>& lines) {
  Totals t;
  t.total_excl = Decimal::from_cents(0);
  t.line_net.reserve(lines.size());
  t.line_discount.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const LineInput& line = lines[i];
    validate(line, i);
    Decimal gross = line.quantity * line.unit_price;
    Decimal discount = apply_percent(gross, line.discount_percent).round(2);
    Decimal net = (gross - discount).round(2);
    t.line_net.push_back(net);
    t.line_discount.push_back(discount);
    t.total_excl += net;

    auto group = std::find_if(t.breakdown.begin(), t.breakdown.end(), [&](const VatBreakdown& b) {
      return b.category == line.category && b.rate == line.vat_rate;
    });
    if (group == t.breakdown.end()) {
      t.breakdown.push_back({line.category, line.vat_rate, net, Decimal::from_cents(0)});
    } else {
      group->base += net;
    }
  }
  std::stable_sort(t.breakdown.begin(), t.breakdown.end(),
                   [](const VatBreakdown& a, const VatBreakdown& b) {
                     if (a.category != b.category) return a.category < b.category;
                     return a.rate > b.rate;
                   });
  t.total_vat = Decimal::from_cents(0);
  for (VatBreakdown& b : t.breakdown) {
    b.base = b.base.round(2);
    b.vat = apply_percent(b.base, b.rate).round(2);
    t.total_vat += b.vat;
  }
  t.total_excl = t.total_excl.round(2);
  t.total_vat = t.total_vat.round(2);
  t.total_incl = t.total_excl + t.total_vat;
  return t;
}

}  // namespace invoicing::domain

// Document totals as EN 16931 computes them: amounts rounded to cents per line, VAT
// computed and rounded once per VAT breakdown (category + rate), never per line.
#pragma once

#include <vector>

#include "domain/money.h"
#include "domain/vat.h"

namespace invoicing::domain {

struct LineInput {
  Decimal quantity;          // negative for returns; a credit note passes positive ones
  Decimal unit_price;        // net price per unit, excluding VAT (BT-146)
  Decimal discount_percent;  // 0..100, line allowance as a percentage of quantity × price
  VatCategory category = VatCategory::standard;
  Decimal vat_rate;  // percent (21 for 21 %); must be 0 unless category is standard
};

struct VatBreakdown {
  VatCategory category;
  Decimal rate;  // percent, as given on the first line of the group
  Decimal base;  // BT-116, scale 2
  Decimal vat;   // BT-117, scale 2
};

struct Totals {
  std::vector<Decimal> line_net;        // BT-131 per line, scale 2, same order as the input
  std::vector<VatBreakdown> breakdown;  // BG-23, by category then rate descending
  Decimal total_excl;                   // BT-109 (= BT-106 = BT-109: no document allowances)
  Decimal total_vat;                    // BT-110
  Decimal total_incl;                   // BT-112
  std::vector<Decimal> line_discount;   // BT-136 per line (line allowance), scale 2
};

// Per line:   gross = quantity × unit_price (exact)
//             discount (BT-136) = gross × discount_percent / 100, rounded to cents
//             net (BT-131) = gross − discount, rounded to cents
// Per group:  base (BT-116) = Σ net of the lines with that (category, rate)
//             vat (BT-117) = base × rate / 100, rounded to cents
// Document:   BT-109 = Σ net, BT-110 = Σ breakdown vat, BT-112 = BT-109 + BT-110.
// Rounding is half away from zero, so a credit note with negated quantities gives exactly
// the negated totals. Throws std::invalid_argument for a negative rate, a non-zero rate on
// a category other than standard (EN 16931 BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05),
// or a discount outside 0..100 %; DecimalOverflow when amounts do not fit.
Totals compute_totals(const std::vector<LineInput>& lines);

}  // namespace invoicing::domain

// VAT categories (EN 16931 BT-151 / BT-118, code list UNCL5305), the rates of the countries
// we invoice in, and the legal mention an invoice must carry for each category.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/money.h"

namespace invoicing::domain {

// Declaration order is the order of the VAT breakdown on an invoice.
enum class VatCategory {
  standard,           // S  standard or reduced rate (BE 21/12/6, NL 21/9)
  zero_rated,         // Z  zero-rated goods
  exempt,             // E  exempt from VAT
  reverse_charge,     // AE VAT reverse charge (the customer pays the VAT)
  intra_eu,           // K  VAT-exempt intra-community supply of goods
  export_outside_eu,  // G  free export item, VAT not charged
};

// UNCL5305 code used by EN 16931 / Peppol BIS 3.0: "S", "Z", "E", "AE", "K", "G".
char const* code(VatCategory category);
// Inverse of code(); case-sensitive as in the code list. Unknown → nullopt.
std::optional<VatCategory> vat_category_from_code(std::string_view code);

// Rates in force, highest first: "BE" → 21, 12, 6, 0; "NL" → 21, 9, 0. Country codes are
// ISO 3166 alpha-2, either case. Unknown country → empty.
std::vector<Decimal> vat_rates(std::string_view country);

// The mention an invoice must carry for the category, in "nl", "fr" or "en" (either case;
// anything else gets English). Empty for standard. Wording follows Belgian practice
// (Belgian VAT Code articles); see vat.cc for where it comes from.
std::string legal_mention(VatCategory category, std::string_view language);

// The VAT exemption reason code (BT-121, CEF VATEX list) EN 16931 expects for a category:
// K → "VATEX-EU-IC", G → "VATEX-EU-G", AE → "VATEX-EU-AE". Empty for S and Z (BR-Z-10
// forbids a reason on zero-rated lines) and for E, which carries a reason text (BT-120)
// naming the exemption instead (BR-E-10: code or text).
std::string vatex_code(VatCategory category);

}  // namespace invoicing::domain

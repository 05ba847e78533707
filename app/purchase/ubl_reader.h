// A supplier's e-invoice read: Peppol BIS Billing 3.0 / EN 16931 UBL 2.1 Invoice and
// CreditNote, read with pugixml into plain values. Refused before parsing: more than
// kMaxUblBytes, any DOCTYPE or ENTITY declaration (entity expansion and external entities
// come in that way; UBL never needs a DTD). Refused after: another root element, a
// CustomizationID outside EN 16931, and every element the import needs that is missing or
// malformed, each refusal naming the element. Business checks (buyer, supplier, totals
// against the lines) are purchase/import's.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "domain/money.h"

namespace invoicing::purchase {

// 20 MB: a UBL invoice with its embedded PDF is a few hundred kB; the CEN examples reach 3.3 MB.
inline constexpr size_t kMaxUblBytes = 20u * 1024 * 1024;

// The file is not an e-invoice the program can take; the message names the element or rule.
struct UblError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct UblParty {
  std::string name;                       // RegistrationName, else PartyName/Name
  std::string vat;                        // PartyTaxScheme/CompanyID with TaxScheme VAT
  std::string legal_id;                   // PartyLegalEntity/CompanyID (an enterprise number)
  std::string endpoint, endpoint_scheme;  // EndpointID and its schemeID
  std::string street, zip, city, country;
};

struct UblLine {
  std::string id;
  std::string name;          // Item/Name (or Description)
  domain::Decimal quantity;  // negated for a credit note
  domain::Decimal price;     // PriceAmount / BaseQuantity
  domain::Decimal net;       // LineExtensionAmount, negated for a credit note
  std::string category;      // ClassifiedTaxCategory/ID (S, Z, E, AE, K, G, O, L, M)
  domain::Decimal rate;      // its Percent (0 when absent)
  std::string exemption_reason;
  // One line allowance given as a percentage (MultiplierFactorNumeric, as our own UBL writes
  // a discount): the line's discount; else 0.
  domain::Decimal discount_percent;
  // Other line allowances/charges or a BaseQuantity: quantity × price is not the net by itself.
  bool adjusted = false;
};

// A document-level allowance (BG-20) or charge (BG-21): on the whole invoice, with its VAT.
struct UblAllowance {
  bool charge = false;       // ChargeIndicator true (BG-21) or false (BG-20)
  std::string reason;        // AllowanceChargeReason, else its code, else ""
  domain::Decimal amount;    // Amount (BT-92/BT-99), not negative, negated for a credit note
  std::string category;      // TaxCategory/ID
  domain::Decimal rate;      // its Percent (0 when absent)
  std::string exemption_reason;
};

// A row of the document's VAT breakdown (BG-23, TaxTotal/TaxSubtotal in the document currency).
struct UblVatRow {
  std::string category;    // TaxCategory/ID
  domain::Decimal rate;    // its Percent (0 when absent)
  domain::Decimal base;    // TaxableAmount (BT-116), negated for a credit note
  domain::Decimal vat;     // TaxAmount (BT-117), negated for a credit note
  size_t line = 0;         // where it is in the file, for messages
};

struct UblDocument {
  bool credit_note = false;
  std::string customization, profile;
  std::string number;  // cbc:ID
  domain::Date issue_date;
  std::optional<domain::Date> due_date;
  std::string currency;
  std::string buyer_reference;
  UblParty supplier, buyer;
  std::string iban;  // PaymentMeans/PayeeFinancialAccount/ID
  std::vector<UblLine> lines;
  // LegalMonetaryTotal, and the TaxTotal in the document currency (signs as written).
  domain::Decimal line_extension, tax_exclusive, tax, tax_inclusive, payable, prepaid, rounding;
  std::vector<UblAllowance> allowances;   // cac:AllowanceCharge at document level
  // AllowanceTotalAmount / ChargeTotalAmount (BT-107/BT-108), when the document gives them.
  std::optional<domain::Decimal> allowance_total, charge_total;
  std::vector<UblVatRow> vat_rows;
  std::string pdf;                       // the first embedded application/pdf, decoded ("" none)
  std::string pdf_name;
};

// Throws UblError; `name` (the file's name) starts each message.
UblDocument read_ubl(std::string_view bytes, const std::string& name);

}  // namespace invoicing::purchase

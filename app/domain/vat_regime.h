// Which VAT a line of a Belgian supplier's invoice carries, from the customer and the article
// (issue 19: "a Dutch business customer with a valid NL VAT number got Belgian 21 % VAT";
// overrides of 7 % and 99 % were accepted).
//
// Derivation, supplier in Belgium (the only supplier country these rules cover):
//   customer in BE:
//     construction work for a VAT-registered contractor filing periodic returns
//                                             → AE 0 %  (art. 20 Royal Decree no. 1)
//     construction work with the customer's renovation attestation → S 6 %
//                                               (Royal Decree no. 20, table A, heading XXXI)
//     otherwise the article's rate: S 21/12/6 %, or Z at 0 % (EN 16931 BR-S-05 wants S > 0)
//   customer in another EU member state with a valid VAT number:
//     goods    → K 0 %   intra-Community supply, art. 39bis WBTW (art. 138 VAT Directive)
//     services → AE 0 %  B2B general rule, art. 21 § 2 WBTW (art. 44 VAT Directive), the
//                        customer pays the VAT (art. 196 VAT Directive)
//   customer in another EU member state without one (private): Belgian VAT as at home
//     (goods: art. 14 WBTW without distance-selling OSS; services: art. 21bis § 1 WBTW)
//   customer outside the EU:
//     goods → G 0 %  export, art. 39 § 1 WBTW (art. 146 VAT Directive)
//     services to a business → E 0 %  not subject to Belgian VAT, art. 21 § 2 WBTW (we use E
//       with a reason text rather than O: EN 16931 BR-O-02 forbids a seller VAT number on an
//       invoice with O lines, and a Belgian supplier always has one)
//     services to a private customer → Belgian VAT (art. 21bis § 1 WBTW)
// Each decision carries the legal mention the invoice prints (vat_mention) and, for the
// categories EN 16931 asks it of, the VATEX code (BT-121) and the reason text (BT-120).
//
// A line may override category and rate; the override is checked: only Belgian rates (21,
// 12, 6 for S; 0 otherwise), 6 % on construction work only with the attestation, K and AE
// only for a customer with a valid VAT number (K: goods to another member state), G only
// outside the EU, E only with the exemption's reason.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/money.h"
#include "domain/vat.h"
#include "domain/verdict.h"

namespace invoicing::domain {

struct VatCustomer {
  std::string country;                  // ISO 3166 alpha-2; "GR" and "EL" both mean Greece
  bool business = false;                // acts as a taxable person (a company, a self-employed)
  bool valid_vat_number = false;        // vat_number.h check passed (EU customers)
  bool periodic_vat_returns = false;    // BE: files periodic VAT returns (a registered contractor)
  bool renovation_attestation = false;  // BE: signed the 6 % renovation statement
};

enum class SupplyKind { goods, services };

struct VatArticle {
  SupplyKind kind = SupplyKind::goods;
  bool construction_work = false;  // work on immovable property (art. 19 § 2 WBTW)
  Decimal default_rate = Decimal::from_integer(21);
};

struct VatOverride {
  VatCategory category = VatCategory::standard;
  Decimal rate;
  std::string exemption_reason;  // required for E: which exemption applies
};

// Why a line got its VAT, for mentions and for showing the user.
enum class VatRule {
  domestic,                     // S or Z at the article's (or overridden) rate
  renovation_6,                 // S 6 %, renovation attestation
  construction_reverse_charge,  // AE, art. 20 RD no. 1
  intra_eu_goods,               // K
  intra_eu_services,            // AE, art. 21 § 2 WBTW / art. 196 Directive
  export_goods,                 // G
  services_outside_eu,          // E, not subject to Belgian VAT
  exempt,                       // E by override, reason given
};

struct VatDecision {
  VatCategory category = VatCategory::standard;
  Decimal rate;
  VatRule rule = VatRule::domestic;
  std::string exemption_code;    // BT-121, empty when none
  std::string exemption_reason;  // BT-120 (English), empty for S and Z
  std::string note;              // why not what the user may expect ("6 % needs ..."); may be empty
};

bool eu_member(std::string_view country);

// The mention an invoice carries for a decision, in "nl", "fr" or "en" (else English);
// empty when none is needed.
std::string vat_mention(const VatDecision& decision, std::string_view lang);

// When a line is added or its article, customer or override changes (and again before
// finalizing, as the customer may have changed). Refused: a supplier outside Belgium, an
// article rate that is not Belgian, an override that breaks the rules above.
Checked<VatDecision> derive_vat(std::string_view supplier_country, const VatCustomer& customer,
                                const VatArticle& article,
                                const std::optional<VatOverride>& line_override = std::nullopt);

}  // namespace invoicing::domain

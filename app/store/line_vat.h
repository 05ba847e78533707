// The VAT of a document line as the store decides and keeps it: domain::derive_vat from the
// customer (country, business, valid VAT number, contractor, renovation attestation) and the
// article (goods or services, construction work, its rate at home), with a checked override
// per line. The line keeps what was decided (category, rate, rule, exemption reason, and the
// rate at home it was decided from), so that the document says later what it said when it was
// issued: the mention and the VATEX code follow from the rule and the category.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/vat_regime.h"
#include "store/records.h"

namespace invoicing::store {

// The codes DOCLINE.VATRULE holds: "D" domestic, "R6" renovation at 6 %, "CR" construction
// reverse charge, "IG" intra-Community goods, "IS" intra-Community services, "EG" export of
// goods, "SO" services outside the EU, "EX" exempt by override.
const char* vat_rule_code(domain::VatRule r);
std::optional<domain::VatRule> vat_rule_from_code(std::string_view code);

domain::VatCustomer vat_customer_of(const Party& p);

// What decides a line's VAT besides the customer.
struct LineVatInput {
  domain::SupplyKind kind = domain::SupplyKind::goods;
  bool construction = false;
  domain::Decimal domestic_rate = domain::Decimal::from_integer(21);
  std::optional<domain::VatOverride> override;
};

// The input a stored line was decided from: its kind and rate at home, the article's
// construction flag, and its override (category, rate, reason) when it has one.
LineVatInput vat_input_of(const Line& l, const std::optional<Article>& article);

// Decides the line's VAT and writes it into `l` (category, rate, rule, override flag,
// exemption reason, rate at home). `customer` is null for a purchase document: the supplier's
// category and rate are kept, checked against the rates of `company_country`; the same for a
// company outside Belgium, which the VAT regime does not cover. Returns the decision's note
// (why it is not what the user may expect), "" when none. Throws UserError naming the line.
std::string decide_line_vat(const std::string& company_country, const Party* customer, const LineVatInput& in,
                            Line& l, int line_no);

// The decision a stored line carries (older lines without a rule: from their category).
domain::VatDecision vat_decision_of(const Line& l);

}  // namespace invoicing::store

#include "store/line_vat.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/vat_number.h"
#include "store/errors.h"

namespace invoicing::store {

using domain::VatRule;

namespace {

struct RuleCode {
  VatRule rule;
  const char* code;
};
const RuleCode kRules[] = {{VatRule::domestic, "D"},
                           {VatRule::renovation_6, "R6"},
                           {VatRule::construction_reverse_charge, "CR"},
                           {VatRule::intra_eu_goods, "IG"},
                           {VatRule::intra_eu_services, "IS"},
                           {VatRule::export_goods, "EG"},
                           {VatRule::services_outside_eu, "SO"},
                           {VatRule::exempt, "EX"}};

// Category and rate as given, checked against the country's rates: what a purchase document
// (the supplier's VAT) and a company the regime does not cover get.
domain::VatDecision plain(const std::string& country, const LineVatInput& in, int line_no) {
  domain::VatDecision d;
  d.rule = VatRule::domestic;
  if (in.override) {
    d.category = in.override->category;
    d.rate = in.override->rate;
    d.exemption_reason = in.override->exemption_reason;
  } else {
    d.rate = in.domestic_rate;
    d.category = d.rate.is_zero() ? domain::VatCategory::zero_rated : domain::VatCategory::standard;
  }
  auto rates = domain::vat_rates(country);
  if (d.category == domain::VatCategory::standard) {
    if (d.rate.is_zero() || !std::count(rates.begin(), rates.end(), d.rate)) {
      std::string list;
      for (const auto& r : rates)
        if (!r.is_zero()) list += (list.empty() ? "" : ", ") + r.to_string();
      throw UserError(fmt::format("line {}: a VAT rate of {} % does not exist in {} ({})", line_no,
                                  d.rate.to_string(), country, list.empty() ? "no rates known" : list));
    }
  } else if (!d.rate.is_zero()) {
    throw UserError(fmt::format("line {}: VAT category {} has a rate of 0 %, not {} %", line_no,
                                domain::code(d.category), d.rate.to_string()));
  }
  if (d.category == domain::VatCategory::exempt && d.exemption_reason.empty())
    throw UserError(fmt::format("line {}: an exempt line (E) names its exemption (--vat-reason TEXT)", line_no));
  d.exemption_code = domain::vatex_code(d.category);
  return d;
}

}  // namespace

const char* vat_rule_code(VatRule r) {
  for (const auto& k : kRules)
    if (k.rule == r) return k.code;
  return "D";
}

std::optional<VatRule> vat_rule_from_code(std::string_view code) {
  for (const auto& k : kRules)
    if (code == k.code) return k.rule;
  return std::nullopt;
}

domain::VatCustomer vat_customer_of(const Party& p) {
  domain::VatCustomer c;
  c.country = p.country;
  c.business = p.business;
  c.valid_vat_number = !p.vat.empty() && domain::check_vat_number(p.vat).valid;
  c.periodic_vat_returns = p.contractor;
  c.renovation_attestation = p.renovation;
  return c;
}

LineVatInput vat_input_of(const Line& l, const std::optional<Article>& article) {
  LineVatInput in;
  std::string kind = !l.kind.empty() ? l.kind : article ? article->kind : "";
  in.kind = kind == "S" ? domain::SupplyKind::services : domain::SupplyKind::goods;
  in.construction = article && article->construction;
  // Lines saved before the rate at home was kept: their own rate is it when they were domestic.
  in.domestic_rate = !l.domestic_rate.is_zero() || !l.vat_rule.empty() ? l.domestic_rate : l.vat_rate;
  if (l.vat_override) {
    auto cat = domain::vat_category_from_code(l.vat_category);
    in.override = domain::VatOverride{cat.value_or(domain::VatCategory::standard), l.vat_rate, l.exemption_reason};
  }
  return in;
}

std::string decide_line_vat(const std::string& company_country, const Party* customer, const LineVatInput& in,
                            Line& l, int line_no) {
  domain::VatDecision d;
  std::string country = company_country;
  for (auto& ch : country) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  if (!customer || country != "BE") {
    d = plain(country, in, line_no);
  } else {
    domain::VatArticle art{in.kind, in.construction, in.domestic_rate};
    auto r = domain::derive_vat(country, vat_customer_of(*customer), art, in.override);
    if (!r) {
      const auto& v = r.verdict;
      throw UserError(fmt::format("line {}: {}{}", line_no, v.reason, v.advice.empty() ? "" : " (" + v.advice + ")"));
    }
    d = *r.value;
  }
  l.vat_category = domain::code(d.category);
  l.vat_rate = d.rate;
  l.vat_rule = vat_rule_code(d.rule);
  l.vat_override = in.override.has_value();
  l.exemption_reason = d.exemption_reason;
  l.domestic_rate = in.domestic_rate;
  l.kind = in.kind == domain::SupplyKind::services ? "S" : "G";
  return d.note;
}

domain::VatDecision vat_decision_of(const Line& l) {
  domain::VatDecision d;
  d.category = domain::vat_category_from_code(l.vat_category).value_or(domain::VatCategory::standard);
  d.rate = l.vat_rate;
  d.exemption_reason = l.exemption_reason;
  d.exemption_code = domain::vatex_code(d.category);
  if (auto r = vat_rule_from_code(l.vat_rule)) {
    d.rule = *r;
  } else {
    switch (d.category) {
      case domain::VatCategory::intra_eu: d.rule = VatRule::intra_eu_goods; break;
      case domain::VatCategory::export_outside_eu: d.rule = VatRule::export_goods; break;
      case domain::VatCategory::reverse_charge: d.rule = VatRule::intra_eu_services; break;
      case domain::VatCategory::exempt: d.rule = VatRule::exempt; break;
      default: d.rule = VatRule::domestic;
    }
  }
  return d;
}

}  // namespace invoicing::store

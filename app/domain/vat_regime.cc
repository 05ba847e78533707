#include "domain/vat_regime.h"

#include <fmt/format.h>

#include <cctype>

namespace invoicing::domain {

namespace {

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r == "GR" ? "EL" : r;
}

int lang_index(std::string_view lang) {
  const std::string l = upper(lang);
  return l == "NL" ? 0 : (l == "FR" ? 1 : 2);
}

bool belgian_rate(const Decimal& rate) {
  for (const Decimal& r : vat_rates("BE"))
    if (r == rate) return true;
  return false;
}

const Decimal kSix = Decimal::from_integer(6);

// Reason texts (BT-120) in English, as EN 16931 names the categories where it has a name.
VatDecision make(VatCategory c, const Decimal& rate, VatRule rule, std::string reason = {}) {
  VatDecision d;
  d.category = c;
  d.rate = rate;
  d.rule = rule;
  d.exemption_code = vatex_code(c);
  switch (c) {
    case VatCategory::intra_eu:
      d.exemption_reason = "Intra-community supply";
      break;
    case VatCategory::export_outside_eu:
      d.exemption_reason = "Export outside the EU";
      break;
    case VatCategory::reverse_charge:
      d.exemption_reason = "Reverse charge";
      break;
    case VatCategory::exempt:
      d.exemption_reason = std::move(reason);
      break;
    case VatCategory::standard:
    case VatCategory::zero_rated:
      break;
  }
  return d;
}

VatDecision domestic(const Decimal& rate) {
  return make(rate.is_zero() ? VatCategory::zero_rated : VatCategory::standard, rate,
              VatRule::domestic);
}

const char* const kOutsideReason =
    "Not subject to Belgian VAT: place of supply outside the EU (art. 21, § 2 Belgian VAT Code)";

// The decision without an override.
Checked<VatDecision> derive_default(const VatCustomer& cu, const std::string& country,
                                    const VatArticle& a) {
  using R = Checked<VatDecision>;
  if (!belgian_rate(a.default_rate))
    return R::refused(
        fmt::format("the article's VAT rate {} % is not a Belgian rate (21, 12, 6 or 0 %)",
                    a.default_rate.to_string()),
        "correct the article's rate");
  if (country == "BE") {
    if (a.construction_work && cu.business && cu.valid_vat_number && cu.periodic_vat_returns)
      return R::of(
          make(VatCategory::reverse_charge, Decimal(), VatRule::construction_reverse_charge));
    if (a.construction_work && cu.renovation_attestation) {
      VatDecision d = make(VatCategory::standard, kSix, VatRule::renovation_6);
      return R::of(d);
    }
    VatDecision d = domestic(a.default_rate);
    if (a.construction_work && a.default_rate == kSix) {
      d = domestic(Decimal::from_integer(21));
      d.note = "6 % on construction work needs the customer's renovation attestation; 21 % applies";
    }
    return R::of(d);
  }
  if (eu_member(country)) {
    if (cu.business && cu.valid_vat_number) {
      if (a.kind == SupplyKind::goods)
        return R::of(make(VatCategory::intra_eu, Decimal(), VatRule::intra_eu_goods));
      return R::of(make(VatCategory::reverse_charge, Decimal(), VatRule::intra_eu_services));
    }
    VatDecision d = domestic(a.default_rate);
    if (cu.business)
      d.note =
          "a business customer in another member state without a valid VAT number pays Belgian VAT";
    return R::of(d);
  }
  if (a.kind == SupplyKind::goods)
    return R::of(make(VatCategory::export_outside_eu, Decimal(), VatRule::export_goods));
  if (cu.business)
    return R::of(
        make(VatCategory::exempt, Decimal(), VatRule::services_outside_eu, kOutsideReason));
  return R::of(domestic(a.default_rate));
}

Checked<VatDecision> check_override(const VatCustomer& cu, const std::string& country,
                                    const VatArticle& a, const VatOverride& o) {
  using R = Checked<VatDecision>;
  const char* cat = code(o.category);
  if (o.category == VatCategory::standard) {
    if (o.rate.is_zero() || !belgian_rate(o.rate))
      return R::refused(fmt::format("{} % is not a Belgian VAT rate for category S (21, 12 or 6 %)",
                                    o.rate.to_string()),
                        "0 % is category Z; other rates do not exist in Belgium");
    if (a.construction_work && o.rate == kSix && !cu.renovation_attestation)
      return R::refused(
          "6 % on construction work needs the customer's renovation attestation "
          "(Royal Decree no. 20, table A, heading XXXI)",
          "record the attestation on the customer, or use 21 %");
    return R::of(
        make(VatCategory::standard, o.rate,
             a.construction_work && o.rate == kSix ? VatRule::renovation_6 : VatRule::domestic));
  }
  if (!o.rate.is_zero())
    return R::refused(
        fmt::format("VAT category {} has rate 0 %, not {} %", cat, o.rate.to_string()));
  switch (o.category) {
    case VatCategory::zero_rated:
      return R::of(make(VatCategory::zero_rated, Decimal(), VatRule::domestic));
    case VatCategory::intra_eu:
      if (country == "BE" || !eu_member(country) || !cu.valid_vat_number)
        return R::refused(
            fmt::format("category K (intra-Community supply) needs a customer with a valid "
                        "VAT number in another member state; this customer is in {}{}",
                        country, cu.valid_vat_number ? "" : " without one"));
      if (a.kind != SupplyKind::goods)
        return R::refused(
            "category K is for goods; services to an EU business are reverse charge (AE)");
      return R::of(make(VatCategory::intra_eu, Decimal(), VatRule::intra_eu_goods));
    case VatCategory::reverse_charge:
      if (!cu.valid_vat_number)
        return R::refused(
            "reverse charge (AE) needs a customer with a valid VAT number, who pays the VAT");
      return R::of(make(
          VatCategory::reverse_charge, Decimal(),
          country == "BE" ? VatRule::construction_reverse_charge : VatRule::intra_eu_services));
    case VatCategory::export_outside_eu:
      if (eu_member(country))
        return R::refused(fmt::format(
            "category G (export) is for customers outside the EU; {} is a member state", country));
      return R::of(make(VatCategory::export_outside_eu, Decimal(), VatRule::export_goods));
    case VatCategory::exempt:
      if (o.exemption_reason.empty())
        return R::refused("an exempt line (E) names its exemption",
                          "give the reason, e.g. \"Exempt, art. 44 Belgian VAT Code\"");
      return R::of(make(VatCategory::exempt, Decimal(), VatRule::exempt, o.exemption_reason));
    case VatCategory::standard:
      break;
  }
  return R::refused(fmt::format("unknown VAT category {}", cat));
}

}  // namespace

bool eu_member(std::string_view country) {
  static const char* const kMembers[] = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL",
                                         "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
                                         "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};
  const std::string c = upper(country);
  for (const char* m : kMembers)
    if (c == m) return true;
  return false;
}

Checked<VatDecision> derive_vat(std::string_view supplier_country, const VatCustomer& customer,
                                const VatArticle& article,
                                const std::optional<VatOverride>& line_override) {
  using R = Checked<VatDecision>;
  if (upper(supplier_country) != "BE")
    return R::refused(
        fmt::format("the VAT rules cover a supplier in Belgium, not in {}", supplier_country));
  const std::string country = upper(customer.country);
  if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
      !std::isalpha(static_cast<unsigned char>(country[1])))
    return R::refused(
        fmt::format("the customer's country \"{}\" is not a two-letter ISO code", customer.country),
        "set the customer's country (BE, NL, FR, ...)");
  if (line_override) return check_override(customer, country, article, *line_override);
  return derive_default(customer, country, article);
}

// Where the mentions come from: see vat.cc for the general categories. The construction
// mention follows art. 20 of Royal Decree no. 1 (reverse charge for work on immovable
// property for a contractor filing periodic returns); the intra-Community services mention
// is the "Reverse charge" wording art. 226 (11a) VAT Directive requires, with the
// place-of-supply article (art. 21 § 2 WBTW = art. 44 Directive) and the article making the
// customer liable (art. 196 Directive); the renovation mention names the customer's
// attestation that Royal Decree no. 20, table A, heading XXXI requires for the 6 % rate.
std::string vat_mention(const VatDecision& d, std::string_view lang) {
  const int l = lang_index(lang);
  switch (d.rule) {
    case VatRule::construction_reverse_charge: {
      static const char* const t[] = {
          "Verlegging van heffing - btw te voldoen door de medecontractant, art. 20 KB nr. 1 en "
          "art. 51, § 2 WBTW",
          "Autoliquidation - taxe à acquitter par le cocontractant, art. 20 AR n° 1 et art. 51, § "
          "2 "
          "Code TVA",
          "Reverse charge - VAT to be paid by the customer, art. 20 Royal Decree no. 1 and art. "
          "51, "
          "§ 2 Belgian VAT Code"};
      return t[l];
    }
    case VatRule::intra_eu_services: {
      static const char* const t[] = {
          "Verlegging van heffing - dienst art. 21, § 2 WBTW, btw verschuldigd door de afnemer "
          "(art. 196 Btw-richtlijn 2006/112/EG)",
          "Autoliquidation - prestation art. 21, § 2 Code TVA, TVA due par le preneur (art. 196 "
          "directive 2006/112/CE)",
          "Reverse charge - service under art. 21, § 2 Belgian VAT Code, VAT due by the customer "
          "(art. 196 VAT Directive 2006/112/EC)"};
      return t[l];
    }
    case VatRule::renovation_6: {
      static const char* const t[] = {
          "Btw-tarief 6 %: renovatie van een woning ouder dan 10 jaar, op verklaring van de klant "
          "(KB nr. 20, tabel A, rubriek XXXI)",
          "Taux de TVA 6 % : rénovation d'un logement de plus de 10 ans, sur attestation du client "
          "(AR n° 20, tableau A, rubrique XXXI)",
          "VAT 6 %: renovation of a dwelling older than 10 years, on the customer's attestation "
          "(Royal Decree no. 20, table A, heading XXXI)"};
      return t[l];
    }
    case VatRule::services_outside_eu: {
      static const char* const t[] = {
          "Niet onderworpen aan Belgische btw: plaats van de dienst buiten de EU (art. 21, § 2 "
          "WBTW)",
          "Non soumis à la TVA belge : lieu de la prestation hors de l'UE (art. 21, § 2 Code TVA)",
          kOutsideReason};
      return t[l];
    }
    case VatRule::exempt:
      return d.exemption_reason;
    case VatRule::intra_eu_goods:
    case VatRule::export_goods:
      return legal_mention(d.category, lang);
    case VatRule::domestic:
      // Z needs no mention on the breakdown (BR-Z-10 forbids a reason there), S none at all.
      return {};
  }
  return {};
}

}  // namespace invoicing::domain

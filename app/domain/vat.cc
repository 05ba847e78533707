#include "domain/vat.h"

#include <cctype>
#include <string>

namespace invoicing::domain {

namespace {
std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}
}  // namespace

char const* code(VatCategory category) {
  switch (category) {
    case VatCategory::standard:
      return "S";
    case VatCategory::zero_rated:
      return "Z";
    case VatCategory::exempt:
      return "E";
    case VatCategory::reverse_charge:
      return "AE";
    case VatCategory::intra_eu:
      return "K";
    case VatCategory::export_outside_eu:
      return "G";
  }
  return "?";
}

std::optional<VatCategory> vat_category_from_code(std::string_view c) {
  for (VatCategory v :
       {VatCategory::standard, VatCategory::zero_rated, VatCategory::exempt,
        VatCategory::reverse_charge, VatCategory::intra_eu, VatCategory::export_outside_eu}) {
    if (c == code(v)) return v;
  }
  return std::nullopt;
}

std::vector<Decimal> vat_rates(std::string_view country) {
  std::string c = upper(country);
  if (c == "BE") {
    return {Decimal::from_integer(21), Decimal::from_integer(12), Decimal::from_integer(6),
            Decimal::from_integer(0)};
  }
  if (c == "NL") {
    return {Decimal::from_integer(21), Decimal::from_integer(9), Decimal::from_integer(0)};
  }
  return {};
}

// Where the wording comes from:
// - Reverse charge: the mention "Reverse charge" / "Autoliquidation" / "Verlegging van
//   heffing" is the one art. 226(11a) of the VAT Directive requires since 1 January 2013
//   (Directive 2010/45/EU, transposed in Belgium by the Royal Decree of 19 December 2012
//   amending Royal Decree no. 1; that decree's report to the King is at etaamb.be). This
//   wording is from the Directive as we know it: the search did not turn up the decree's
//   article text itself. Before 2013, art. 5 §1 9° of Royal Decree no. 1 prescribed
//   "Belasting te voldoen door de medecontractant - Btw-Wetboek artikel 51, § 2" / "Taxe à
//   acquitter par le cocontractant - Code de la TVA, article 51, § 2" (quoted in the
//   bilingual Belgian text at wordscope.be, entry "medecontractant"). Belgian invoices
//   commonly print both, and so do we.
// - Intra-community supply of goods: exempt under art. 39bis WBTW / Code TVA (the
//   article's text is quoted at elfri.be, "btw-vrijstelling van de intracommunautaire
//   levering"); the wording of the mention is the usual Belgian one.
// - Export: exempt under art. 39 WBTW / Code TVA.
// The strings are UTF-8; every character in them exists in Windows-1252 (the data folder's
// codepage).
std::string legal_mention(VatCategory category, std::string_view language) {
  std::string lang = upper(language);
  const int l = lang == "NL" ? 0 : (lang == "FR" ? 1 : 2);
  switch (category) {
    case VatCategory::standard:
      return {};
    case VatCategory::zero_rated: {
      static const char* const t[] = {"Btw-tarief 0 %", "Taux de TVA 0 %",
                                      "Zero-rated supply (VAT 0 %)"};
      return t[l];
    }
    case VatCategory::exempt: {
      static const char* const t[] = {"Vrijgesteld van btw", "Exonéré de TVA", "Exempt from VAT"};
      return t[l];
    }
    case VatCategory::reverse_charge: {
      static const char* const t[] = {
          ("Verlegging van heffing - btw te voldoen door de medecontractant, "
           "art. 51, § 2 WBTW"),
          "Autoliquidation - taxe à acquitter par le cocontractant, art. 51, § 2 Code TVA",
          "Reverse charge - VAT to be paid by the customer, art. 51, § 2 Belgian VAT Code"};
      return t[l];
    }
    case VatCategory::intra_eu: {
      static const char* const t[] = {
          "Vrijgestelde intracommunautaire levering, art. 39bis WBTW",
          "Livraison intracommunautaire exonérée, art. 39bis Code TVA",
          "Exempt intra-Community supply of goods, art. 39bis Belgian VAT Code"};
      return t[l];
    }
    case VatCategory::export_outside_eu: {
      static const char* const t[] = {"Vrijgestelde uitvoer, art. 39 WBTW",
                                      "Exportation exonérée, art. 39 Code TVA",
                                      "Exempt export, art. 39 Belgian VAT Code"};
      return t[l];
    }
  }
  return {};
}

std::string vatex_code(VatCategory category) {
  switch (category) {
    case VatCategory::intra_eu:
      return "VATEX-EU-IC";
    case VatCategory::export_outside_eu:
      return "VATEX-EU-G";
    case VatCategory::reverse_charge:
      return "VATEX-EU-AE";
    case VatCategory::standard:
    case VatCategory::zero_rated:
    case VatCategory::exempt:
      return {};
  }
  return {};
}

}  // namespace invoicing::domain

#include "store/company_profile.h"

#include "store/field_rules.h"

namespace invoicing::store {

const std::vector<ProfileField>& profile_fields() {
  // "company", "vat" and "country" are the keys `init` has always written.
  static const std::vector<ProfileField> fields = {
      {"company", "name", "name", &CompanyProfile::name},
      {"street", "street", "street and number", &CompanyProfile::street},
      {"postcode", "postcode", "postcode", &CompanyProfile::postcode},
      {"city", "city", "city", &CompanyProfile::city},
      {"country", "country", "country", &CompanyProfile::country},
      {"vat", "vat", "VAT number", &CompanyProfile::vat},
      {"enterprise_no", "enterprise-no", "enterprise number", &CompanyProfile::enterprise_no},
      {"iban", "iban", "IBAN", &CompanyProfile::iban},
      {"bic", "bic", "BIC", &CompanyProfile::bic},
      {"email", "email", "e-mail", &CompanyProfile::email},
      {"phone", "phone", "phone", &CompanyProfile::phone},
      {"logo", "logo", "logo", &CompanyProfile::logo},
      {"peppol_id", "peppol-id", "Peppol endpoint", &CompanyProfile::peppol_id},
  };
  return fields;
}

CompanyProfile read_company_profile(Company& c) {
  CompanyProfile p;
  for (const auto& f : profile_fields()) p.*f.member = c.setting(f.key);
  if (p.country.empty()) p.country = "BE";
  return p;
}

void write_company_profile(Company& c, const CompanyProfile& p) {
  const CompanyProfile now = read_company_profile(c);
  // Every value is checked before the first is written: a refused value changes nothing.
  for (const auto& f : profile_fields())
    checked_text(Tbl::settings, fld::value, p.*f.member, "the company's " + std::string(f.what));
  for (const auto& f : profile_fields())
    if (p.*f.member != now.*f.member) c.set_setting(f.key, p.*f.member);
}

}  // namespace invoicing::store

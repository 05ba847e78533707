// The company's own data that its documents carry (name, address, VAT and enterprise numbers,
// bank account, contact, logo, Peppol endpoint), kept as global settings in the data folder
// (SETTINGS), so every workstation prints the same seller. Checking the values (VAT number,
// IBAN, enterprise number) is the caller's part: outputs/seller.h knows what an e-invoice
// needs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/company.h"

namespace invoicing::store {

struct CompanyProfile {
  std::string name, street, postcode, city, country, vat, enterprise_no, iban, bic, email, phone;
  std::string logo;       // a file name in the data folder's layouts/ ("logo.png"); "" none
  std::string peppol_id;  // "scheme:value" when it is not derived from the numbers above
};

// One field of the profile: its setting key, the command-line option, what it is.
struct ProfileField {
  std::string_view key;     // "iban"
  std::string_view option;  // "iban" (--iban)
  std::string_view what;    // "IBAN"
  std::string CompanyProfile::*member;
};
const std::vector<ProfileField>& profile_fields();

CompanyProfile read_company_profile(Company& c);
// Writes the fields that differ from what is stored (each checked against the SETTINGS
// field: length, characters the codepage lacks).
void write_company_profile(Company& c, const CompanyProfile& p);

}  // namespace invoicing::store

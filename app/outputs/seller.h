// The company as the seller on its documents: its profile (store/company_profile.h) checked
// and normalized before it is saved, and turned into the seller Party the writers take.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "outputs/document_data.h"
#include "store/company_profile.h"

namespace invoicing::outputs {

struct ProfileProblem {
  std::string_view key;  // the setting: "iban" (store::profile_fields())
  std::string message;   // "IBAN BE00 1234: fails the IBAN check (ISO 13616 mod 97)"
};

// Normalizes the profile (VAT number, IBAN and BIC without spaces and in upper case, the
// enterprise number as ten digits, the country in upper case) and returns what is wrong with
// it, each message naming the field and the value. Empty fields are not checked, except the
// name.
std::vector<ProfileProblem> normalize_profile(store::CompanyProfile& p);

// The seller as the writers take it; the logo resolved in `layouts_dir`. A Dutch company's
// enterprise number is its KvK number.
Party seller_party(const store::CompanyProfile& p, const std::filesystem::path& layouts_dir);

}  // namespace invoicing::outputs

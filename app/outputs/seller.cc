#include "outputs/seller.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "domain/enterprise_number.h"
#include "domain/iban.h"
#include "domain/vat_number.h"
#include "outputs/ubl_rules.h"

namespace invoicing::outputs {

namespace {

std::string upper_no_spaces(const std::string& s) {
  std::string r;
  for (char c : s)
    if (c != ' ') r += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool all_alnum(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

}  // namespace

std::vector<ProfileProblem> normalize_profile(store::CompanyProfile& p) {
  std::vector<ProfileProblem> bad;
  for (const auto& f : store::profile_fields()) p.*f.member = trimmed(p.*f.member);
  if (p.name.empty()) bad.push_back({"company", "name: missing (every document names its seller)"});
  p.country = upper_no_spaces(p.country);
  if (p.country.empty()) p.country = "BE";
  if (!country_code_known(p.country)) bad.push_back({"country", fmt::format("country {}: not an ISO 3166 code (BE, NL, FR ...)", p.country)});
  if (!p.vat.empty()) {
    auto check = domain::check_vat_number(p.vat);
    if (check.valid) p.vat = check.normalized;
    else bad.push_back({"vat", fmt::format("VAT number {}: {}", p.vat, check.reason)});
  }
  if (!p.enterprise_no.empty()) {
    // A Belgian enterprise number (KBO/BCE); a Dutch company gives its KvK number.
    auto check = domain::check_enterprise_number(p.enterprise_no, p.country == "NL" ? "NL" : "BE");
    if (check.valid) p.enterprise_no = check.normalized;
    else bad.push_back({"enterprise_no", fmt::format("{} {}: {}", p.country == "NL" ? "KvK number" : "enterprise number", p.enterprise_no, check.reason)});
  }
  if (!p.iban.empty()) {
    auto check = domain::check_iban(p.iban);
    if (check.valid) p.iban = check.normalized;
    else bad.push_back({"iban", fmt::format("IBAN {}: {}", p.iban, check.reason)});
  }
  if (!p.bic.empty()) {
    const std::string b = upper_no_spaces(p.bic);
    // ISO 9362: bank (4 letters), country (2 letters), location (2), optional branch (3).
    const bool ok = (b.size() == 8 || b.size() == 11) && all_alnum(b) &&
                    std::all_of(b.begin(), b.begin() + 6, [](char c) { return c >= 'A' && c <= 'Z'; });
    if (ok) p.bic = b;
    else bad.push_back({"bic", fmt::format("BIC {}: 8 or 11 letters and digits (GKCCBEBB)", p.bic)});
  }
  if (!p.email.empty()) {
    const auto at = p.email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == p.email.size() || p.email.find(' ') != std::string::npos)
      bad.push_back({"email", fmt::format("e-mail {}: not an e-mail address", p.email)});
  }
  if (!p.peppol_id.empty()) {
    const auto colon = p.peppol_id.find(':');
    const std::string scheme = colon == std::string::npos ? "" : p.peppol_id.substr(0, colon);
    if (scheme.size() != 4 || !std::all_of(scheme.begin(), scheme.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        colon + 1 == p.peppol_id.size())
      bad.push_back({"peppol_id", fmt::format("Peppol endpoint {}: scheme:value with a four-digit scheme (0208:0123456749)", p.peppol_id)});
  }
  return bad;
}

Party seller_party(const store::CompanyProfile& p, const std::filesystem::path& layouts_dir) {
  Party s;
  s.name = p.name;
  if (!p.street.empty()) s.address_lines = {p.street};
  s.postcode = p.postcode;
  s.city = p.city;
  s.country = p.country.empty() ? "BE" : p.country;
  s.vat_number = p.vat;
  if (s.country == "NL") s.kvk = p.enterprise_no;
  else s.enterprise_number = p.enterprise_no;
  s.peppol_id = p.peppol_id;
  s.iban = p.iban;
  s.bic = p.bic;
  s.email = p.email;
  s.phone = p.phone;
  if (!p.logo.empty()) s.logo_path = (layouts_dir / p.logo).string();
  return s;
}

}  // namespace invoicing::outputs

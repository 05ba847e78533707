// Company registration numbers: the Belgian enterprise number (KBO/BCE, 10 digits, the same
// mod 97 check digits as the VAT number built on it) and the Dutch KvK number (8 digits, no
// check digits).
#pragma once

#include <string>
#include <string_view>

namespace invoicing::domain {

struct EnterpriseNumberCheck {
  bool valid = false;
  std::string normalized;  // "0123456749" / "12345678": digits only (also when invalid)
  std::string country;     // "BE" or "NL": the one asked for, or the one the length tells
  std::string reason;      // what is wrong; empty when valid
};

// `country` "BE", "NL" or empty (then 10 digits, or 9 without the leading 0, are Belgian and
// 8 digits Dutch). Accepts spaces, dots, dashes and a "BE"/"NL" prefix. Other countries'
// numbers are taken as given (digits and letters, at most 20).
EnterpriseNumberCheck check_enterprise_number(std::string_view input, std::string_view country);

}  // namespace invoicing::domain

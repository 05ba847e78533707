// International Bank Account Numbers (ISO 13616): normalisation, the length each country's
// IBAN has, and the ISO 7064 mod 97-10 check digits; for Belgium also the national check
// digits of the account number inside it. An offline syntax check: whether the account
// exists is the bank's business.
#pragma once

#include <string>
#include <string_view>

namespace invoicing::domain {

struct IbanCheck {
  bool valid = false;
  std::string normalized;  // "BE68539007547034": upper case, spaces removed (also when invalid)
  std::string country;     // "BE"; empty when the input does not start with two letters
  std::string reason;      // what is wrong; empty when valid
};

// Accepts spaces, dashes and lower case ("be68 5390 0754 7034", "IBAN BE68...").
IbanCheck check_iban(std::string_view input);

// The length of a country's IBAN (SWIFT IBAN registry); 0 for a country without IBANs.
int iban_length(std::string_view country);

}  // namespace invoicing::domain

// VAT identification numbers of EU member states: normalisation, the Belgian and Dutch
// check-digit rules, and the VIES format of the other member states. This is an offline
// syntax check; whether a number is actually registered is VIES's business.
#pragma once

#include <string>
#include <string_view>

namespace invoicing::domain {

struct VatNumberCheck {
  bool valid = false;
  std::string normalized;  // "BE0123456749": upper case, separators removed (also when invalid)
  std::string country;     // "BE", "NL", "EL" (Greece) ...; empty when there is no prefix
  std::string reason;      // what is wrong; empty when valid
};

// Accepts spaces, dots, dashes and lower case ("be 0123.456.749").
// BE: 10 digits starting with 0 or 1, last two = 97 − (first eight mod 97).
// NL: 9 digits, "B", 2 digits (not 00); valid when the 9 digits pass the elfproef (older
//     numbers built on an RSIN/BSN) or when "NL…B…" passes ISO 7064 mod 97-10 (the btw-id
//     given to sole proprietors since 2020).
// Other member states: the VIES format (length and pattern), no check digits.
VatNumberCheck check_vat_number(std::string_view input);

}  // namespace invoicing::domain

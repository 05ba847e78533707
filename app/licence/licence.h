// A licence: who bought which edition, for how many seats, and until when program updates are
// included; signed by the vendor. The file is text a person can read:
//
//   invoicing licence 1
//   licensee: Bakkerij Peeters
//   vat: BE0431115213
//   edition: Pro
//   seats: 10
//   updates-until: 2027-12-31
//   issued: 2026-12-01
//   key: 3f9c0a6b12d4e877
//   signature: <base64 of the Ed25519 signature of every line above it>
//
// Parsing is strict: these lines in this order, each once, nothing after the signature (a
// file saved with CR LF line ends reads the same). What was signed is the text of the lines
// above the signature as the vendor wrote them, so any changed byte is caught either here
// (the file no longer reads) or by the signature check (licence_check.h).
#pragma once

#include <string>
#include <string_view>

#include "domain/date.h"
#include "domain/edition.h"
#include "licence/signing.h"

namespace invoicing::licence {

struct Licence {
  std::string licensee;  // 1..100 characters of UTF-8, no control characters
  std::string vat;       // the company's VAT number, normalized (BE0431115213)
  domain::Edition edition = domain::Edition::free;
  int seats = 1;                 // 1..the edition's seats
  domain::Date updates_until{};  // program versions released until this day accept it
  domain::Date issued{};
  std::string key_id;  // PublicKey::id() of the key that signed it
};

// A licence as read from a file: its fields, the signed text and the signature bytes.
struct SignedLicence {
  Licence licence;
  std::string body;       // the lines above the signature, "\n" line ends
  std::string signature;  // 64 bytes
};

// The signed text of a licence (the file without its signature line). LicenceError when a
// field is out of its range (the issuer checks what it signs with this).
std::string licence_body(const Licence& l);
// The whole file: body and signature line.
std::string licence_text(const SignedLicence& s);
// Signs `l` (its key_id set from the key): the file's text.
std::string issue_licence(Licence l, const SecretKey& key);

// Reads a licence file; LicenceError naming the line and what is wrong when it does not read
// (the signature is not checked here).
SignedLicence parse_licence(std::string_view text);

// Licence files are small; anything longer is not one.
inline constexpr size_t kMaxLicenceBytes = 4096;

}  // namespace invoicing::licence

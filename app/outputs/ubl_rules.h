// What a document needs to become a Peppol BIS Billing 3.0 e-invoice, checked before anything
// is written: the EN 16931 rules the data can break (names, countries, VAT identifiers per
// category, exemption reasons) and the Peppol rules that the offline CEN kit does not hold
// (endpoint IDs and their schemes, buyer or order reference, attachment MIME types, no
// negative invoice total, the mod-97 check of 0208). docs/outputs.md lists them all.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "outputs/document_data.h"

namespace invoicing::outputs {

// A file sent along inside the e-invoice (AdditionalDocumentReference), usually the PDF.
struct Attachment {
  std::string id;           // "INV 2026/0042" (BT-122)
  std::string description;  // "Invoice INV 2026/0042" (BT-123), may be empty
  std::string filename;     // "invoice-2026-0042.pdf"
  std::string mime_type;    // "application/pdf"
  std::string bytes;
};

struct UblProblem {
  std::string field;    // "buyer.country", "lines[3].exemption_reason"
  std::string message;  // "INV 2026/0042: buyer.country: missing (BT-55)"
};

// Thrown by write_ubl when validate_for_ubl finds anything; what() lists every problem.
class UblRefused : public std::runtime_error {
 public:
  explicit UblRefused(std::vector<UblProblem> problems);
  const std::vector<UblProblem>& problems() const { return problems_; }

 private:
  std::vector<UblProblem> problems_;
};

// A Peppol participant identifier: EAS scheme ("0208") and value ("0123456749").
struct PeppolId {
  std::string scheme, value;
};

// The party's Peppol endpoint: its peppol_id when given, else for BE the enterprise number
// (0208) or the VAT number (9925), for NL the KvK number (0106) or the VAT number (9944).
std::optional<PeppolId> peppol_endpoint(const Party& party);
// The legal registration (BT-30 / BT-47): BE enterprise number (0208) or NL KvK (0106).
std::optional<PeppolId> legal_registration(const Party& party);

// Ten digits of a Belgian enterprise number ("0123.456.749" → "0123456749"), or "" when the
// text has anything but digits, dots, spaces and dashes; nine digits get the leading 0.
std::string enterprise_digits(const std::string& text);
// IBAN without spaces, upper case; valid when the ISO 13616 mod-97 check gives 1.
std::string normalized_iban(const std::string& text);
bool iban_valid(const std::string& text);

// MIME types Peppol BIS 3.0 allows for attachments (BR-CL-24 as Peppol restricts it).
bool peppol_attachment_mime_allowed(const std::string& mime);

// The VATEX code and reason text written for a VAT category (BT-121, BT-120) in `language`;
// exempt (E) takes them from its lines. Empty for S and Z.
struct ExemptionReason {
  std::string code, text;
};
ExemptionReason exemption_reason(const DocumentData& doc, domain::VatCategory category);

// ISO 3166-1 alpha-2 (upper case), plus XI (Northern Ireland).
bool country_code_known(const std::string& code);

// What the seller's own data lacks for an e-invoice (name, country, city, a valid VAT number,
// an endpoint, a valid IBAN), each message starting with `context` ("company"); empty: none.
std::vector<UblProblem> check_seller(const Party& seller, const std::string& context);

// Every reason the document cannot be a valid e-invoice; empty when it can.
std::vector<UblProblem> validate_for_ubl(const DocumentData& doc,
                                         const std::vector<Attachment>& attachments = {});

}  // namespace invoicing::outputs

// Peppol BIS Billing 3.0 e-invoices (UBL 2.1 Invoice, type 380, or CreditNote, type 381) from
// a DocumentData, written with pugixml (which escapes every text and attribute).
#pragma once

#include <string>
#include <vector>

#include "outputs/document_data.h"
#include "outputs/ubl_rules.h"

namespace invoicing::outputs {

inline constexpr const char* kPeppolCustomizationId =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
inline constexpr const char* kPeppolProfileId = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

// The UBL document as UTF-8 bytes. validate_for_ubl(doc, attachments) runs first: when it finds
// anything, UblRefused is thrown (naming the document and every bad field) and nothing is
// returned. Attachments (usually the PDF of the same document) are embedded in base64.
std::string write_ubl(const DocumentData& doc, const std::vector<Attachment>& attachments = {});

// The usual attachment: the document's own PDF, "invoice-2026-0042.pdf".
Attachment pdf_attachment(const DocumentData& doc, std::string pdf_bytes);

}  // namespace invoicing::outputs

// How a document is named wherever a user reads it (messages, PDFs, the audit trail, bank
// matching): by type, fiscal year and number — "invoice 2026/42", "factuur 2026/42",
// "facture 2026/42" — never by the store's internal id. A draft has no number yet and is
// "draft invoice" / "conceptfactuur" / "brouillon de facture".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/document.h"

namespace invoicing::domain {

// The type's name in "en", "nl" or "fr" (either case; anything else gets English):
// "credit note", "creditnota", "note de crédit".
std::string doc_type_name(DocType type, std::string_view lang);

// "invoice 2026/42"; number 0 gives the draft form ("draft invoice"), whatever the year.
std::string document_label(DocType type, int year, int64_t number, std::string_view lang);
std::string document_label(const DocRef& doc, std::string_view lang = "en");

}  // namespace invoicing::domain

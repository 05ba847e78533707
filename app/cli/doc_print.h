// How the `invoicing doc` commands show documents: one document as the customer reads it (in
// their language), lists with dates and payment states, and JSON for scripts.
#pragma once

#include <string>

#include "store/documents.h"
#include "store/company_profile.h"
#include "store/settings.h"

namespace invoicing::cli {

// The document with both parties, dates, lines, VAT per category and rate, legal mentions,
// totals, structured communication and what was paid, in `lang`.
void print_document(const store::DocView& v, const store::CompanyProfile& supplier, const std::string& lang);
// One line per document: id, label, date, status (an invoice's payment state), party, total
// (a credit note's negative).
void print_list_row(const store::DocView& v);
// "warning: ..." on stderr for each warning of a change.
void print_warnings(const store::DocView& v);

std::string doc_json(const store::DocView& v, bool full, const std::string& lang = "en");

}  // namespace invoicing::cli

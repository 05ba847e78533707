// One document as it leaves the program: plain data that the store (or a test, or the web
// front end) fills in, and that every writer in app/outputs takes. Nothing here reads or
// writes files; amounts are exact domain::Decimal values, never doubles.
#pragma once

#include <chrono>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "domain/document.h"
#include "domain/money.h"
#include "domain/totals.h"
#include "domain/vat.h"

namespace invoicing::outputs {

using Date = std::chrono::year_month_day;

// A seller or a buyer.
struct Party {
  std::string name;                        // legal name (BT-27 / BT-44)
  std::vector<std::string> address_lines;  // street and number first (BT-35, BT-36 ...)
  std::string postcode;
  std::string city;
  std::string country;            // ISO 3166-1 alpha-2, "BE"
  std::string vat_number;         // "BE0123456749"; empty for a private buyer
  std::string enterprise_number;  // BE KBO/BCE "0123456749" (ten digits, any separators)
  std::string kvk;                // NL Chamber of Commerce number (eight digits)
  // Peppol participant "scheme:value" ("0208:0123456749") when it is none of the above;
  // empty: derived from the enterprise number, KvK or VAT number (see ubl_rules.h).
  std::string peppol_id;
  std::string iban, bic;  // the seller's account (payments are made to it)
  std::string email, phone;
  std::string logo_path;  // PNG or JPEG; seller only, empty: no logo
  // The logo's bytes when it is no file of its own (a company in a database keeps it in
  // company_file); logo_path then only names it.
  std::shared_ptr<const std::string> logo_bytes;
  std::string language;   // "nl", "fr", "en": the buyer's, used by default for labels
};

struct Line {
  std::string code;         // the seller's article code; may be empty
  std::string description;  // free text, any length
  domain::Decimal quantity;
  std::string unit_code = "C62";  // UN/ECE recommendation 20: C62 piece, HUR hour, KGM kg
  domain::Decimal unit_price;     // excluding VAT
  domain::Decimal discount_percent;
  domain::VatCategory category = domain::VatCategory::standard;
  domain::Decimal vat_rate;  // percent
  // Exempt lines (category E) must say why (BT-120 text and/or BT-121 VATEX code).
  std::string exemption_reason;
  std::string exemption_code;  // "VATEX-EU-132" ...
  domain::Decimal net;         // BT-131, filled in by complete_totals()
};

// The document a credit note corrects.
struct CorrectedDocument {
  domain::DocType type = domain::DocType::invoice;
  int year = 0;
  int number = 0;
  std::string display_number;  // "INV 2026/0042"
  Date date{};
};

struct DocumentData {
  domain::DocType type = domain::DocType::invoice;
  domain::DocStatus status = domain::DocStatus::final;
  int year = 0;                // fiscal year
  int number = 0;              // within type and year
  std::string display_number;  // "INV 2026/0042"
  Date issue_date{};
  std::optional<Date> due_date;
  std::optional<Date> delivery_date;  // default: the issue date where one is needed
  std::string payment_terms;          // free text, "30 days end of month"
  std::string customer_reference;     // the buyer's reference (BT-10)
  std::string order_reference;        // the buyer's order number (BT-13)
  std::optional<CorrectedDocument> corrects;
  Party seller;
  Party buyer;
  std::vector<Line> lines;
  domain::Totals totals;           // filled in by complete_totals()
  std::string payment_reference;   // OGM "+++123/4567/89012+++" (invoices), may be empty
  std::string currency = "EUR";
  std::string language;            // labels; empty: the buyer's, then "nl"
};

// Computes every line's net and the totals with domain::compute_totals and stores them in the
// document. Throws what compute_totals throws (a bad rate or discount).
void complete_totals(DocumentData& doc);

// The language the labels are in: doc.language, else the buyer's, else "nl"; always one of
// "nl", "fr", "en".
std::string document_language(const DocumentData& doc);

// "invoice", "credit-note", "quote", "order", "delivery-note", "purchase-invoice".
const char* type_file_word(domain::DocType type);
// File name without extension inside exports: "invoice-2026-0042".
std::string document_file_stem(const DocumentData& doc);
// "INV 2026/0042" when display_number is empty.
std::string display_number(const DocumentData& doc);

// "2026-03-15".
std::string iso_date(const Date& date);

}  // namespace invoicing::outputs

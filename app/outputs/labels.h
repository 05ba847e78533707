// The words printed on documents, in Dutch, French and English, and how numbers and dates
// are written in each language (Belgian practice: 1.234,56 and 15/03/2026 in Dutch and French).
#pragma once

#include <string>
#include <string_view>

#include "domain/document.h"
#include "domain/money.h"
#include "outputs/document_data.h"

namespace invoicing::outputs {

enum class Label {
  date, due_date, payment_terms, customer_reference, order_reference, corrects, of_date,
  vat_number, enterprise_number, kvk, code, description, quantity, unit, unit_price, discount,
  vat_rate, net, vat_category, vat_base, vat_amount, total_excl, total_vat, total_incl,
  to_pay, payment, iban, bic, communication, scan_to_pay, page, customer, continued, delivery_date,
};

// "Factuur" / "Facture" / "Invoice" ... for `language` "nl", "fr", anything else English: the
// type's name as the document's number label has it (domain::doc_type_name), capitalised.
std::string type_label(domain::DocType type, std::string_view language);
// "Factuur 2026/7": the document's number led by its type's name, for a title or a page's
// header. A number that names its type already ("factuur 2026/7", the label the store gives)
// is only capitalised; one that does not ("INV 2026/0042") gets type_label before it.
std::string document_title(const DocumentData& doc, std::string_view language);
const char* label(Label key, std::string_view language);

// 1234.5 → "1.234,50" (nl), "1 234,50" with a no-break space (fr), "1,234.50" (en), with
// `decimals` decimals (rounded half away from zero). decimals = -1: as many as the value
// needs (quantities: "2", "1,5"); -2: two, or more when the value has them (unit prices).
std::string format_number(const domain::Decimal& value, std::string_view language, int decimals);
// "15/03/2026" (nl, fr), "15 Mar 2026" (en).
std::string format_date(const Date& date, std::string_view language);

}  // namespace invoicing::outputs

#include "outputs/document_data.h"

#include <fmt/format.h>

namespace invoicing::outputs {

void complete_totals(DocumentData& doc) {
  std::vector<domain::LineInput> inputs;
  inputs.reserve(doc.lines.size());
  for (const Line& l : doc.lines) {
    inputs.push_back({l.quantity, l.unit_price, l.discount_percent, l.category, l.vat_rate});
  }
  doc.totals = domain::compute_totals(inputs);
  for (size_t i = 0; i < doc.lines.size(); ++i) doc.lines[i].net = doc.totals.line_net[i];
}

std::string document_language(const DocumentData& doc) {
  for (const std::string* s : {&doc.language, &doc.buyer.language}) {
    std::string l;
    for (char c : *s) l += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (l == "nl" || l == "fr" || l == "en") return l;
  }
  return "nl";
}

const char* type_file_word(domain::DocType type) {
  switch (type) {
    case domain::DocType::invoice:
      return "invoice";
    case domain::DocType::credit_note:
      return "credit-note";
    case domain::DocType::quote:
      return "quote";
    case domain::DocType::order:
      return "order";
    case domain::DocType::delivery_note:
      return "delivery-note";
    case domain::DocType::purchase_invoice:
      return "purchase-invoice";
  }
  return "document";
}

std::string document_file_stem(const DocumentData& doc) {
  return fmt::format("{}-{}-{:04d}", type_file_word(doc.type), doc.year, doc.number);
}

std::string display_number(const DocumentData& doc) {
  if (!doc.display_number.empty()) return doc.display_number;
  return fmt::format("{} {}/{:04d}", domain::doc_type_code(doc.type), doc.year, doc.number);
}

std::string iso_date(const Date& date) {
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace invoicing::outputs

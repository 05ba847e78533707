// Document types, their stable codes in the data files, which conversions are allowed,
// which are numbered gap-free, and which way each moves stock. No storage here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace invoicing::domain {

enum class DocType { quote, order, delivery_note, invoice, credit_note, purchase_invoice };

// Stable three-letter codes stored in files: "QUO", "ORD", "DEL", "INV", "CRN", "PIN".
char const* doc_type_code(DocType type);
std::optional<DocType> doc_type_from_code(std::string_view code);

// quote → order, quote → invoice, order → delivery_note, order → invoice,
// delivery_note → invoice, invoice → credit_note. Nothing else (not even X → X).
bool can_convert(DocType from, DocType to);

// Invoices and credit notes: numbered per fiscal year without gaps.
bool numbered_gap_free(DocType type);

// +1 stock comes in, −1 stock leaves, 0 no stock move.
// delivery_note −1; invoice −1 unless it was made from a delivery note (the goods already
// left with the delivery note), then 0; credit_note +1 (goods come back);
// purchase_invoice +1; quote and order 0.
int stock_direction(DocType type, bool from_delivery_note);
int stock_direction(DocType type);  // = stock_direction(type, false)

// draft: still editable, no number yet (or a reserved one); final: issued, never edited
// again; cancelled: a draft given up; withdrawn: a final quote or order the customer or the
// business called off — it stays on file (numbers of quotes and orders are not gap-free, but
// the history is kept), see document_flow.h for which transitions are allowed.
enum class DocStatus { draft, final, cancelled, withdrawn };

// "D", "F", "X", "W".
char const* doc_status_code(DocStatus status);
std::optional<DocStatus> doc_status_from_code(std::string_view code);

// A document as users name it: type, fiscal year and number (number 0: a draft). `id` is
// the store's own key for the document, used only in advice that names a command.
struct DocRef {
  DocType type = DocType::invoice;
  int year = 0;
  int64_t number = 0;
  int64_t id = 0;
};

}  // namespace invoicing::domain

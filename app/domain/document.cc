#include "domain/document.h"

namespace invoicing::domain {

namespace {
constexpr DocType kTypes[] = {DocType::quote,   DocType::order,       DocType::delivery_note,
                              DocType::invoice, DocType::credit_note, DocType::purchase_invoice};
constexpr DocStatus kStatuses[] = {DocStatus::draft, DocStatus::final, DocStatus::cancelled,
                                   DocStatus::withdrawn};
}  // namespace

char const* doc_type_code(DocType type) {
  switch (type) {
    case DocType::quote:
      return "QUO";
    case DocType::order:
      return "ORD";
    case DocType::delivery_note:
      return "DEL";
    case DocType::invoice:
      return "INV";
    case DocType::credit_note:
      return "CRN";
    case DocType::purchase_invoice:
      return "PIN";
  }
  return "???";
}

std::optional<DocType> doc_type_from_code(std::string_view code) {
  for (DocType t : kTypes) {
    if (code == doc_type_code(t)) return t;
  }
  return std::nullopt;
}

bool can_convert(DocType from, DocType to) {
  switch (from) {
    case DocType::quote:
      return to == DocType::order || to == DocType::invoice;
    case DocType::order:
      return to == DocType::delivery_note || to == DocType::invoice;
    case DocType::delivery_note:
      return to == DocType::invoice;
    case DocType::invoice:
      return to == DocType::credit_note;
    case DocType::credit_note:
    case DocType::purchase_invoice:
      return false;
  }
  return false;
}

bool numbered_gap_free(DocType type) {
  return type == DocType::invoice || type == DocType::credit_note;
}

int stock_direction(DocType type, bool from_delivery_note) {
  switch (type) {
    case DocType::delivery_note:
      return -1;
    case DocType::invoice:
      return from_delivery_note ? 0 : -1;
    case DocType::credit_note:
      return +1;
    case DocType::purchase_invoice:
      return +1;
    case DocType::quote:
    case DocType::order:
      return 0;
  }
  return 0;
}

int stock_direction(DocType type) { return stock_direction(type, false); }

char const* doc_status_code(DocStatus status) {
  switch (status) {
    case DocStatus::draft:
      return "D";
    case DocStatus::final:
      return "F";
    case DocStatus::cancelled:
      return "X";
    case DocStatus::withdrawn:
      return "W";
  }
  return "?";
}

std::optional<DocStatus> doc_status_from_code(std::string_view code) {
  for (DocStatus s : kStatuses) {
    if (code == doc_status_code(s)) return s;
  }
  return std::nullopt;
}

}  // namespace invoicing::domain

// The company's records as typed structs, each read from and written to a Row by field name
// in one place (records.cc). The store's modules work with these; only records.cc names the
// fields of whole records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/document.h"
#include "domain/money.h"
#include "store/row.h"

namespace invoicing::store {

using domain::Decimal;

// A customer or a supplier.
struct Party {
  RowId row = 0;
  int32_t id = 0;
  std::string code, name, street, zip, city, country, vat, enterprise_no, email, phone, iban, bic, lang, note;
  int terms = 30;           // payment days
  bool business = false;    // VAT-registered business (else a private person)
  bool renovation = false;  // gave the attestation for the 6 % renovation rate
  bool contractor = false;  // a Belgian contractor: construction work is reverse-charged
  bool archived = false;    // hidden from pick lists, kept for history
};

struct Article {
  RowId row = 0;
  int32_t id = 0;
  std::string code, description, unit, vat_category, kind, note;  // kind: G goods, S service
  Decimal price, vat_rate, stock, min_stock;
  bool stocked = false, construction = false, archived = false;
};

struct Document {
  RowId row = 0;
  int32_t id = 0;
  domain::DocType type = domain::DocType::quote;
  int year = 0;
  int64_t number = 0;  // 0: none yet
  domain::DocStatus status = domain::DocStatus::draft;
  int32_t party = 0;
  xbase::Date date;
  std::optional<xbase::Date> due_date;
  std::string ogm;           // structured payment reference (invoices)
  std::string customer_ref;  // the customer's reference (order number, BuyerReference)
  int32_t source = 0;        // the document this one was made from (a credit note: its invoice)
  Decimal total_excl, total_vat, total_incl;
  std::string user, workstation, note;
};

struct Line {
  RowId row = 0;
  int32_t doc = 0;
  int lineno = 0;
  int32_t article = 0;  // 0 for a free-text line
  std::string description, vat_category, text;
  Decimal quantity, price, discount, vat_rate, net;
};

struct StockMove {
  RowId row = 0;
  int32_t id = 0, article = 0, doc = 0;
  Decimal quantity;
  std::optional<xbase::Date> date;
  std::string user, reason;
};

struct Payment {
  RowId row = 0;
  int32_t id = 0, doc = 0;
  std::optional<xbase::Date> date;
  Decimal amount;
  std::string method, reference, user, note;
};

Party party_from(const Row& r);
Row row_of(const Party& p);  // every field but ID
Article article_from(const Row& r);
Row row_of(const Article& a);
Document document_from(const Row& r);
Row row_of(const Document& d);
Line line_from(const Row& r);
Row row_of(const Line& l);
StockMove stock_move_from(const Row& r);
Row row_of(const StockMove& m);
Payment payment_from(const Row& r);
Row row_of(const Payment& p);

}  // namespace invoicing::store

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
  bool terms_eom = false;   // counted from the end of the invoice's month
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

// The customer (or supplier) as a final document was issued to: kept on the document, so that
// a later change of address or VAT number does not rewrite what was sent.
struct PartySnapshot {
  std::string name, street, zip, city, country, vat;
  bool empty() const { return name.empty(); }
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
  Decimal open;  // a final invoice: what is left to pay as stored (store/open_amounts.h)
  std::string user, workstation, note;
  PartySnapshot issued_to;  // set when it is made final
};

struct Line {
  RowId row = 0;
  int32_t doc = 0;
  int lineno = 0;
  int32_t article = 0;  // 0 for a free-text line
  std::string description, vat_category, text;
  Decimal quantity, price, discount, vat_rate, net;
  std::string kind;              // G goods, S services (a free-text line's own; else the article's)
  Decimal domestic_rate;         // the rate at home, from which the VAT regime decides
  std::string vat_rule;          // the VAT decision's rule (store/line_vat.h); "" on older lines
  bool vat_override = false;     // category and rate chosen by the user (checked)
  std::string exemption_reason;  // BT-120 as decided
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
  int32_t id = 0, doc = 0;  // doc 0: on account
  int32_t party = 0;        // the customer
  std::optional<xbase::Date> date;
  Decimal amount;
  std::string method, reference, user, note;
  std::string bank_ref;  // the statement line it was imported from ("" when entered by hand)
};

struct Reminder {
  RowId row = 0;
  int32_t id = 0, doc = 0;
  int level = 1;  // 1 first, 2 second, 3 last
  std::optional<xbase::Date> sent_on;
  std::string user;
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
Reminder reminder_from(const Row& r);
Row row_of(const Reminder& r);

}  // namespace invoicing::store

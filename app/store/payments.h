// Payments and what follows from them: payments received for invoices (partly or in full),
// refunds paid out on credit notes, payments on account; each invoice's state (open, partly
// paid, paid, overdue) and every customer's open items and balance, computed each time from
// the final documents and the payments (domain/payments.h: never a running counter); and the
// reminders due and sent.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/payments.h"
#include "store/company.h"
#include "store/records.h"

namespace invoicing::store {

struct PaymentInput {
  int32_t doc = 0;     // a final invoice (a payment received) or credit note (a refund paid out)
  std::string amount;  // as typed, positive
  std::optional<xbase::Date> date;  // default today
  std::string method = "transfer";  // transfer, cash, card, debit, other
  std::string reference, note;
};

struct PaymentView {
  Payment payment;
  std::string doc_label;  // "" for a payment on account
  std::string party_code, party_name;
};

struct ReminderView {
  domain::ReminderDue due;
  std::string label;  // the invoice, in the customer's language
  std::string party_name, lang;
};

class Payments {
 public:
  explicit Payments(Company& c) : c_(c) {}

  // Refused: a document that is not a final invoice or credit note of a customer, an amount
  // that is not positive or has more than 2 decimals, more than is left to pay (or to refund),
  // a date after today or before the document's. Taken under the document's lock, so two
  // workstations never pay the same amount twice.
  Payment add(const PaymentInput& in);
  void remove(int32_t id);
  std::vector<PaymentView> list(std::optional<int32_t> doc = std::nullopt);
  // list(d.id) of a document already read; without `parties`, no party code or name (none read).
  std::vector<PaymentView> list_of(const Document& d, bool parties = true);

  // Every final invoice and credit note and every payment as of a date. Refused (UserError)
  // when the links are wrong: `invoicing verify` says which.
  domain::Ledger ledger(const xbase::Date& as_of);
  // The whole ledger with the customers already read by the caller (by id): a document list
  // that names them reads the customer table once, not twice.
  domain::Ledger ledger(const xbase::Date& as_of, const std::map<int32_t, Party>& customers);
  // The same from every document of the company as the caller read them (a list that reads
  // them all anyway does not read them twice).
  domain::Ledger ledger(const xbase::Date& as_of, const std::map<int32_t, Party>& customers,
                        const std::vector<Document>& every_document);
  // Every final invoice's state (by document id) without reading the customer table: the
  // ledger groups customers by their id, which is all a state depends on (a dashboard).
  std::map<int32_t, domain::InvoiceState> invoice_states(const xbase::Date& as_of);
  // One final invoice's state as of a date (nullopt for any other document, or one dated
  // later), the same as its customer's ledger gives it: an invoice's state depends on its own
  // credit notes and the payments for it alone (domain/payments.h), read by the SOURCE and DOC
  // indexes. A document page reads these few rows, not the customer's whole history.
  // `customer`: the customer's code, for InvoiceState::customer.
  std::optional<domain::InvoiceState> state(const Document& invoice, const xbase::Date& as_of,
                                            const std::string& customer);
  // What is still to pay on an invoice: its total less its final credit notes and the payments
  // for it (read by index, for a change under the invoice's lock).
  domain::Decimal open_amount(const Document& invoice);
  // Per customer (all when `customer` is ""), with ageing.
  std::vector<domain::CustomerOpenItems> open_items(const xbase::Date& as_of, const std::string& customer = "");
  std::vector<ReminderView> reminders(const xbase::Date& as_of);
  // Records the reminders due as of `as_of` as sent that day (each under its invoice's lock,
  // never the same level twice); returns what was recorded.
  std::vector<ReminderView> record_reminders(const xbase::Date& as_of);
  std::vector<Reminder> sent(int32_t invoice);

 private:
  // known: the customers read already; by_id: customers named by id, none read; given: every
  // document, read already.
  domain::Ledger build(const xbase::Date& as_of, const std::map<int32_t, Party>* known = nullptr, bool by_id = false,
                       const std::vector<Document>* given = nullptr);
  // The views of `ps`, oldest first; `d`: the document all of them belong to, when known.
  std::vector<PaymentView> views(std::vector<Payment> ps, const Document* d, bool parties);
  Company& c_;
};

// "transfer", "cash", ...: the methods a payment may carry.
const std::vector<std::string>& payment_methods();

}  // namespace invoicing::store

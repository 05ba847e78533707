// Payments and open items: what each invoice still has open, its status as of a date,
// balances per customer as the sum of their open items (never a running counter that can
// drift), ageing, and which reminders are due.
//
// Allocation, for each invoice in turn:
//   1. the credit notes that correct it (LedgerDoc::corrects) reduce its open amount; what a
//      credit note has beyond that stays a credit for the customer;
//   2. the payments allocated to it (PaymentRecord::invoice) settle it, partly or fully;
//      what they pay beyond its open amount stays a credit for the customer;
//   3. payments on account (no invoice) and refunds paid out (negative) change the credit.
// Documents and payments dated after `as_of` are left out, so a status "as of" a past date
// is what it was then. Amounts are positive for invoices, credit notes and received payments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "domain/document.h"
#include "domain/money.h"
#include "domain/verdict.h"

namespace invoicing::domain {

// A final invoice or credit note.
struct LedgerDoc {
  DocRef doc;            // type invoice or credit_note; doc.id identifies it
  std::string customer;  // the customer's code
  Date date;
  Date due;              // invoices: the due date (payment_terms.h); credit notes: unused
  Decimal total;         // BT-112, positive
  int64_t corrects = 0;  // credit notes: id of the invoice it corrects; 0 when none
};

struct PaymentRecord {
  std::string customer;
  Date date;
  Decimal amount;       // received: positive; paid back to the customer: negative
  int64_t invoice = 0;  // id of the invoice it pays; 0 = on account
};

enum class InvoiceStatus { open, partly_paid, paid, overdue };
const char* invoice_status_name(InvoiceStatus status);  // "open", "partly paid", "paid", "overdue"

struct InvoiceState {
  DocRef doc;
  std::string customer;
  Date date, due;
  Decimal total;
  Decimal credited;  // by its credit notes (up to the total)
  Decimal paid;      // by payments allocated to it (up to what was left)
  Decimal open;      // total − credited − paid, ≥ 0
  InvoiceStatus status = InvoiceStatus::open;
  int64_t days_overdue = 0;  // as_of − due when open and past due, else 0
};

struct Ledger {
  Date as_of;
  std::vector<InvoiceState> invoices;  // in date order, then number
  // Per customer: credit notes' surplus + overpayments + payments on account − refunds paid.
  std::vector<std::pair<std::string, Decimal>> credits;
};

// Refused when a credit note corrects a document that is not an invoice of the same customer
// or a payment is allocated to one: the store's links are wrong and the figures would be too.
Checked<Ledger> build_ledger(const std::vector<LedgerDoc>& docs,
                             const std::vector<PaymentRecord>& payments, const Date& as_of);

struct Ageing {
  Decimal not_due, days_1_30, days_31_60, days_61_90, over_90;
  Decimal credit;  // unallocated credit, subtracted from the balance
  Decimal balance() const {
    return not_due + days_1_30 + days_31_60 + days_61_90 + over_90 - credit;
  }
};

struct CustomerOpenItems {
  std::string customer;
  std::vector<InvoiceState> items;  // the invoices with something open
  Ageing ageing;
  Decimal balance;  // Σ open − credit
};

// Per customer (sorted by code), customers with no open item and no credit left out.
std::vector<CustomerOpenItems> open_items(const Ledger& ledger);
// All customers together.
Ageing total_ageing(const std::vector<CustomerOpenItems>& customers);

// Reminders: first `first_after_due_days` after the due date, second
// `second_after_first_days` after the first, last `last_after_second_days` after the second.
struct ReminderSettings {
  int first_after_due_days = 14;
  int second_after_first_days = 14;
  int last_after_second_days = 14;
};

struct SentReminder {
  int64_t invoice = 0;  // the invoice's id
  int level = 1;        // 1 first, 2 second, 3 last
  Date date;
};

struct ReminderDue {
  std::string customer;
  InvoiceState invoice;
  int level = 1;   // the reminder to send now
  Date due_since;  // the day this level became due
};

// "first reminder", "second reminder", "last reminder" (en/nl/fr).
std::string reminder_level_name(int level, std::string_view lang);

// The reminders to send as of ledger.as_of, grouped by customer (sorted by code, then
// invoice date). An invoice gets the next level once its interval has passed since the due
// date or the previous reminder; after the last level nothing more. Throws
// std::invalid_argument for negative intervals.
std::vector<ReminderDue> reminders_due(const Ledger& ledger, const std::vector<SentReminder>& sent,
                                       const ReminderSettings& settings);

}  // namespace invoicing::domain

// Payments, credit notes settling invoices, open items with ageing, and reminders.
#include <catch2/catch.hpp>

#include "domain/payments.h"

using namespace invoicing::domain;

namespace {
Decimal d(const char* s) { return *Decimal::parse(s); }
LedgerDoc invoice(int64_t id, const char* customer, Date date, Date due, const char* total) {
  return {DocRef{DocType::invoice, date.year, id, id}, customer, date, due, d(total), 0};
}
LedgerDoc credit(int64_t id, const char* customer, Date date, const char* total, int64_t corrects) {
  return {DocRef{DocType::credit_note, date.year, id, 1000 + id},
          customer,
          date,
          {},
          d(total),
          corrects};
}
Ledger ledger(const std::vector<LedgerDoc>& docs, const std::vector<PaymentRecord>& pays,
              Date as_of) {
  Checked<Ledger> l = build_ledger(docs, pays, as_of);
  INFO(l.verdict.reason);
  REQUIRE(l.verdict.ok);
  return *l.value;
}
const InvoiceState& state(const Ledger& l, int64_t id) {
  for (const InvoiceState& s : l.invoices)
    if (s.doc.id == id) return s;
  FAIL("no invoice " << id);
  return l.invoices.front();
}
}  // namespace

TEST_CASE("Invoice status: open, partly paid, paid, overdue — as of a date",
          "[app][domain][payments]") {
  const std::vector<LedgerDoc> docs = {invoice(1, "ACME", {2026, 3, 1}, {2026, 3, 31}, "121.00")};
  const std::vector<PaymentRecord> pays = {{"ACME", {2026, 3, 10}, d("21.00"), 1},
                                           {"ACME", {2026, 4, 20}, d("100.00"), 1}};
  CHECK(state(ledger(docs, pays, {2026, 3, 5}), 1).status == InvoiceStatus::open);
  Ledger l = ledger(docs, pays, {2026, 3, 15});
  CHECK(state(l, 1).status == InvoiceStatus::partly_paid);
  CHECK(state(l, 1).open == d("100.00"));
  l = ledger(docs, pays, {2026, 4, 10});
  CHECK(state(l, 1).status == InvoiceStatus::overdue);
  CHECK(state(l, 1).days_overdue == 10);
  l = ledger(docs, pays, {2026, 4, 20});
  CHECK(state(l, 1).status == InvoiceStatus::paid);
  CHECK(state(l, 1).open.is_zero());
  CHECK(std::string(invoice_status_name(InvoiceStatus::partly_paid)) == "partly paid");
}

TEST_CASE("Credit notes settle the invoice they correct, a surplus stays a credit",
          "[app][domain][payments]") {
  const std::vector<LedgerDoc> docs = {invoice(1, "ACME", {2026, 3, 1}, {2026, 3, 31}, "209.27"),
                                       credit(1, "ACME", {2026, 3, 5}, "100.00", 1)};
  Ledger l = ledger(docs, {}, {2026, 3, 6});
  CHECK(state(l, 1).credited == d("100.00"));
  CHECK(state(l, 1).open == d("109.27"));
  // Paid in full before the credit note came: the credit note becomes a credit.
  l = ledger(docs, {{"ACME", {2026, 3, 2}, d("209.27"), 1}}, {2026, 3, 6});
  CHECK(state(l, 1).open.is_zero());
  REQUIRE(l.credits.size() == 1);
  CHECK(l.credits[0].second == d("100.00"));
  auto items = open_items(l);
  REQUIRE(items.size() == 1);
  CHECK(items[0].balance == d("-100.00"));
}

TEST_CASE("Regression: balances are the sum of open items, even with too many credit notes",
          "[app][domain][payments]") {
  // Three full credit notes (what credit_note.h now refuses) must still not give a balance
  // that differs from the open items: the invoice is settled once, the rest is credit.
  const std::vector<LedgerDoc> docs = {invoice(1, "ACME", {2026, 3, 1}, {2026, 3, 31}, "209.27"),
                                       credit(1, "ACME", {2026, 3, 2}, "209.27", 1),
                                       credit(2, "ACME", {2026, 3, 3}, "209.27", 1),
                                       credit(3, "ACME", {2026, 3, 4}, "209.27", 1)};
  Ledger l = ledger(docs, {}, {2026, 3, 10});
  CHECK(state(l, 1).status == InvoiceStatus::paid);
  auto items = open_items(l);
  REQUIRE(items.size() == 1);
  CHECK(items[0].items.empty());
  CHECK(items[0].ageing.credit == d("418.54"));
  CHECK(items[0].balance == d("-418.54"));
}

TEST_CASE("Open items with ageing buckets per customer and in total", "[app][domain][payments]") {
  const Date as_of{2026, 6, 30};
  const std::vector<LedgerDoc> docs = {
      invoice(1, "ACME", {2026, 6, 1}, {2026, 7, 1}, "10.00"),    // not due
      invoice(2, "ACME", {2026, 5, 1}, {2026, 5, 31}, "20.00"),   // 30 days
      invoice(3, "ACME", {2026, 4, 1}, {2026, 5, 1}, "40.00"),    // 60 days
      invoice(4, "BOLT", {2026, 3, 1}, {2026, 4, 1}, "80.00"),    // 90 days
      invoice(5, "BOLT", {2026, 1, 1}, {2026, 1, 31}, "160.00"),  // 150 days
      invoice(6, "BOLT", {2026, 1, 2}, {2026, 1, 31}, "5.00"),    // paid
  };
  const std::vector<PaymentRecord> pays = {{"BOLT", {2026, 2, 1}, d("5.00"), 6},
                                           {"BOLT", {2026, 2, 2}, d("30.00"), 0}};  // on account
  Ledger l = ledger(docs, pays, as_of);
  auto items = open_items(l);
  REQUIRE(items.size() == 2);
  CHECK(items[0].customer == "ACME");
  CHECK(items[0].ageing.not_due == d("10"));
  CHECK(items[0].ageing.days_1_30 == d("20"));
  CHECK(items[0].ageing.days_31_60 == d("40"));
  CHECK(items[0].balance == d("70"));
  CHECK(items[1].customer == "BOLT");
  CHECK(items[1].items.size() == 2);
  CHECK(items[1].ageing.days_61_90 == d("80"));
  CHECK(items[1].ageing.over_90 == d("160"));
  CHECK(items[1].ageing.credit == d("30"));
  CHECK(items[1].balance == d("210"));
  Ageing t = total_ageing(items);
  CHECK(t.balance() == d("280"));
}

TEST_CASE("Links to the wrong customer's invoice are refused", "[app][domain][payments]") {
  const std::vector<LedgerDoc> docs = {invoice(1, "ACME", {2026, 3, 1}, {2026, 3, 31}, "10.00"),
                                       credit(1, "BOLT", {2026, 3, 5}, "5.00", 1)};
  CHECK_FALSE(build_ledger(docs, {}, {2026, 4, 1}).verdict.ok);
  CHECK_FALSE(
      build_ledger({docs[0]}, {{"BOLT", {2026, 3, 5}, d("5"), 1}}, {2026, 4, 1}).verdict.ok);
  CHECK_FALSE(
      build_ledger({docs[0]}, {{"ACME", {2026, 3, 5}, d("5"), 99}}, {2026, 4, 1}).verdict.ok);
}

TEST_CASE("Reminders: first, second and last at their intervals", "[app][domain][payments]") {
  const std::vector<LedgerDoc> docs = {invoice(1, "BOLT", {2026, 3, 1}, {2026, 3, 31}, "100.00"),
                                       invoice(2, "ACME", {2026, 3, 1}, {2026, 3, 31}, "50.00"),
                                       invoice(3, "ACME", {2026, 3, 1}, {2026, 3, 31}, "50.00")};
  const std::vector<PaymentRecord> pays = {{"ACME", {2026, 4, 1}, d("50.00"), 3}};
  const ReminderSettings s;
  CHECK(reminders_due(ledger(docs, pays, {2026, 4, 13}), {}, s).empty());
  auto due = reminders_due(ledger(docs, pays, {2026, 4, 14}), {}, s);
  REQUIRE(due.size() == 2);  // invoice 3 is paid
  CHECK(due[0].customer == "ACME");
  CHECK(due[0].level == 1);
  CHECK(due[0].due_since == Date{2026, 4, 14});
  CHECK(due[1].customer == "BOLT");
  std::vector<SentReminder> sent = {{1, 1, {2026, 4, 15}}, {2, 1, {2026, 4, 15}}};
  CHECK(reminders_due(ledger(docs, pays, {2026, 4, 28}), sent, s).empty());
  due = reminders_due(ledger(docs, pays, {2026, 4, 29}), sent, s);
  REQUIRE(due.size() == 2);
  CHECK(due[0].level == 2);
  sent.push_back({1, 2, {2026, 4, 29}});
  sent.push_back({1, 3, {2026, 5, 13}});
  due = reminders_due(ledger(docs, pays, {2026, 6, 1}), sent, s);
  REQUIRE(due.size() == 1);  // invoice 1 had its last reminder
  CHECK(due[0].invoice.doc.id == 2);
  CHECK(reminder_level_name(3, "nl") == "laatste herinnering");
  CHECK(reminder_level_name(1, "fr") == "premier rappel");
}

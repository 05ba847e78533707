// Issue 19, payments and open items: partial payments, statuses, credit notes settling
// invoices, balances as the sum of open items, ageing, reminders recorded once per level, and
// due dates from the customer's payment terms.
#include <catch2/catch.hpp>

#include "store/open_amounts.h"
#include "store/payments.h"
#include "store_fixture.h"

using namespace store_test;
using xbase::test::TempDir;

namespace {

struct Company {
  TempDir dir;
  std::unique_ptr<store::Company> c;
  Company() {
    store::FixedToday t(day(2026, 1, 5));
    store::Company::init(store_test::company_at(dir.path()), licensed());
    c = open(dir.path());
    base_data(*c);
  }
};

store::PaymentInput pay(int32_t doc, const std::string& amount, xbase::Date date) {
  store::PaymentInput in;
  in.doc = doc;
  in.amount = amount;
  in.date = date;
  return in;
}

domain::InvoiceStatus status(store::Documents& docs, int32_t id) { return docs.show(id).payment.value().status; }

}  // namespace

TEST_CASE("payments make an invoice partly paid, paid or overdue, never more than is open nor before the invoice", "[app]") {
  Company co;
  store::FixedToday today(day(2026, 1, 5));
  store::Documents docs(*co.c);
  store::Payments payments(*co.c);
  auto inv = invoice(docs, "PEETERS", {art("LAMP", "10")});  // 69.50 + 14.60 = 84.10, due in 30 days
  REQUIRE(inv.doc.total_incl.to_string(2) == "84.10");
  REQUIRE(store::iso(inv.doc.due_date) == "2026-02-04");
  CHECK(status(docs, inv.doc.id) == domain::InvoiceStatus::open);
  payments.add(pay(inv.doc.id, "40", day(2026, 1, 5)));
  CHECK(status(docs, inv.doc.id) == domain::InvoiceStatus::partly_paid);
  CHECK_THROWS_WITH(payments.add(pay(inv.doc.id, "50", day(2026, 1, 5))), Catch::Contains("44.10 left to pay"));
  CHECK_THROWS_WITH(payments.add(pay(inv.doc.id, "1", day(2026, 1, 4))), Catch::Contains("dated that day or later"));
  CHECK_THROWS_WITH(payments.add(pay(inv.doc.id, "1.001", day(2026, 1, 5))), Catch::Contains("at most 2 decimals"));
  {
    store::FixedToday later(day(2026, 3, 1));
    CHECK(status(docs, inv.doc.id) == domain::InvoiceStatus::overdue);
    payments.add(pay(inv.doc.id, "44.10", day(2026, 3, 1)));
    CHECK(status(docs, inv.doc.id) == domain::InvoiceStatus::paid);
    CHECK_THROWS_WITH(payments.add(pay(inv.doc.id, "1", day(2026, 3, 1))), Catch::Contains("paid (or credited) in full"));
    auto list = payments.list(inv.doc.id);
    REQUIRE(list.size() == 2);
    payments.remove(list[1].payment.id);
    CHECK(status(docs, inv.doc.id) == domain::InvoiceStatus::overdue);
  }
  // A draft is not paid.
  int32_t draft = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(draft, art("BROOD", "1"));
  CHECK_THROWS_WITH(payments.add(pay(draft, "1", day(2026, 1, 5))), Catch::Contains("only a final document is paid"));
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("balances are the sum of open items: credit notes settle invoices, a refund pays out a credit", "[app]") {
  Company co;
  store::FixedToday today(day(2026, 1, 5));
  store::Documents docs(*co.c);
  store::Payments payments(*co.c);
  auto a = invoice(docs, "PEETERS", {art("LAMP", "10")});  // 84.10
  auto b = invoice(docs, "PEETERS", {art("BROOD", "10")});  // 25.97
  payments.add(pay(a.doc.id, "84.10", day(2026, 1, 5)));
  // The paid invoice is credited in full afterwards: the customer has 84.10 to their credit.
  docs.credit(a.doc.id, {}, fin());
  auto items = payments.open_items(day(2026, 1, 5), "peeters");
  REQUIRE(items.size() == 1);
  CHECK(items[0].items.size() == 1);  // b
  CHECK(items[0].ageing.not_due.to_string(2) == "25.97");
  CHECK(items[0].ageing.credit.to_string(2) == "84.10");
  CHECK(items[0].balance.to_string(2) == "-58.13");
  store::DocFilter credit_notes;
  credit_notes.type = DocType::credit_note;
  auto crn = docs.list(credit_notes).at(0);
  CHECK(store::signed_total(crn.doc).to_string(2) == "-84.10");
  CHECK_THROWS_WITH(payments.add(pay(crn.doc.id, "90", day(2026, 1, 5))), Catch::Contains("a credit of 84.10"));
  payments.add(pay(crn.doc.id, "84.10", day(2026, 1, 5)));  // paid back
  items = payments.open_items(day(2026, 1, 5));
  REQUIRE(items.size() == 1);
  CHECK(items[0].balance.to_string(2) == "25.97");
  // Ageing as of a later date.
  auto aged = payments.open_items(day(2026, 3, 20), "PEETERS");
  CHECK(aged.at(0).ageing.days_31_60.to_string(2) == "25.97");  // due 2026-02-04: 44 days
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("due dates follow the customer's terms, end of month included", "[app]") {
  Company co;
  store::FixedToday today(day(2026, 1, 5));
  store::PartyInput terms;
  terms.terms = "EOM+30";
  store::Parties(*co.c, store::PartyKind::customer).edit("PEETERS", terms);
  store::Documents docs(*co.c);
  auto inv = invoice(docs, "PEETERS", {art("BROOD", "1")});
  CHECK(store::iso(inv.doc.due_date) == "2026-03-02");  // 31 January + 30 days
  terms.terms = "a fortnight";
  CHECK_THROWS_WITH(store::Parties(*co.c, store::PartyKind::customer).edit("PEETERS", terms),
                    Catch::Contains("are not understood"));
}

TEST_CASE("reminders: first, second and last at their intervals, each recorded once", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  store::Payments payments(*co.c);
  int32_t id = 0;
  {
    store::FixedToday today(day(2026, 1, 5));
    id = invoice(docs, "PEETERS", {art("BROOD", "10")}).doc.id;  // due 2026-02-04
  }
  CHECK(payments.reminders(day(2026, 2, 17)).empty());  // due 2026-02-04, first reminder 14 days later
  auto first = payments.record_reminders(day(2026, 2, 18));
  REQUIRE(first.size() == 1);
  CHECK(first[0].due.level == 1);
  CHECK(first[0].label == "factuur 2026/1");  // in the customer's language (nl by default)
  CHECK(payments.record_reminders(day(2026, 2, 18)).empty());  // not twice
  CHECK(payments.reminders(day(2026, 3, 3)).empty());
  auto second = payments.record_reminders(day(2026, 3, 4));
  REQUIRE(second.size() == 1);
  CHECK(second[0].due.level == 2);
  auto last = payments.record_reminders(day(2026, 3, 18));
  REQUIRE(last.size() == 1);
  CHECK(last[0].due.level == 3);
  CHECK(payments.reminders(day(2026, 6, 1)).empty());  // after the last, nothing more
  CHECK(payments.sent(id).size() == 3);
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("one invoice's state from its own credit notes and payments is the state the whole ledger gives", "[app]") {
  // Documents::show, page and summary read an invoice's credit notes and payments by index
  // (Payments::state) instead of its customer's whole history; the states must not differ,
  // as of any date.
  Company co;
  store::FixedToday today(day(2026, 1, 5));
  store::Parties customers(*co.c, store::PartyKind::customer);
  store::PartyInput other;
  other.code = "JANSSENS";
  other.name = "Janssens";
  customers.add(other);
  store::Documents docs(*co.c);
  store::Payments payments(*co.c);
  auto a = invoice(docs, "PEETERS", {art("LAMP", "10")});    // partly paid
  auto b = invoice(docs, "JANSSENS", {art("BROOD", "10")});  // paid in two payments
  auto c = invoice(docs, "PEETERS", {art("BROOD", "3")});    // credited whole
  auto e = invoice(docs, "JANSSENS", {art("LAMP", "1")});    // overdue later
  auto f = invoice(docs, "PEETERS", {art("LAMP", "2")});     // credited in part, then paid
  payments.add(pay(a.doc.id, "40", day(2026, 1, 5)));
  payments.add(pay(b.doc.id, "20", day(2026, 1, 5)));
  {
    // On account (as a bank statement line matched to no invoice leaves it): the customer's
    // credit, no invoice's state.
    store::Payment on_account;
    on_account.party = a.doc.party;
    on_account.amount = domain::Decimal::from_integer(500);
    on_account.date = day(2026, 1, 5);
    store::Action act(co.c->storage());
    store::Row r = store::row_of(on_account);
    co.c->storage().insert(store::Tbl::payment, r);
    act.commit();
  }
  docs.credit(c.doc.id, {}, fin());
  store::CreditSpec part;
  part.mode = store::CreditSpec::Mode::amount;
  part.amount = "5";
  docs.credit(f.doc.id, part, fin());
  std::optional<store::DocView> g;  // dated after the first date looked at
  {
    store::FixedToday later(day(2026, 2, 10));
    payments.add(pay(b.doc.id, "5.97", day(2026, 2, 10)));
    payments.add(pay(f.doc.id, docs.show(f.doc.id).payment->open.to_string(2), day(2026, 2, 10)));
    g = invoice(docs, "PEETERS", {art("BROOD", "1")});
  }
  size_t compared = 0, absent = 0;
  for (const auto as_of : {day(2026, 1, 5), day(2026, 2, 9), day(2026, 3, 20)}) {
    const auto whole = payments.ledger(as_of);
    for (const auto& d : {a, b, c, e, f, *g}) {
      const auto mine = payments.state(d.doc, as_of, d.party_code);
      const domain::InvoiceState* in_whole = nullptr;
      for (const auto& st : whole.invoices)
        if (st.doc.id == d.doc.id) in_whole = &st;
      REQUIRE(mine.has_value() == (in_whole != nullptr));
      if (!mine) {
        ++absent;  // g, before its date
        continue;
      }
      CHECK(mine->customer == d.party_code);
      CHECK(mine->status == in_whole->status);
      CHECK(mine->open == in_whole->open);
      CHECK(mine->paid == in_whole->paid);
      CHECK(mine->credited == in_whole->credited);
      CHECK(mine->days_overdue == in_whole->days_overdue);
      ++compared;
    }
  }
  CHECK(compared == 16);
  CHECK(absent == 2);
  // Not an invoice's: a credit note has no state.
  CHECK_FALSE(payments.state(docs.show(docs.show(c.doc.id).made_from_it.at(0).id).doc, day(2026, 3, 20), "PEETERS"));
  // And show() says it: a partly paid, a paid, a credited and an overdue invoice.
  store::FixedToday march(day(2026, 3, 20));
  CHECK(docs.show(a.doc.id).payment->open.to_string(2) == "44.10");
  CHECK(docs.show(b.doc.id).payment->status == domain::InvoiceStatus::paid);
  CHECK(docs.show(c.doc.id).payment->open.is_zero());
  CHECK(docs.show(e.doc.id).payment->status == domain::InvoiceStatus::overdue);
  CHECK(docs.show(f.doc.id).payment->status == domain::InvoiceStatus::paid);
  CHECK(docs.show(f.doc.id).payment->credited.sign() > 0);
}

// Schema 7: what is left to pay is kept on the invoice (DOC.OPENAMT) for the dashboard's
// counts; each action that changes it writes it (regression: a path that forgot it would show
// a paid invoice as open), and verify names an invoice whose stored amount is wrong.
TEST_CASE("the open amount an invoice keeps follows its payments and credit notes, the dashboard counts by it, verify finds a wrong one", "[app]") {
  Company co;
  store::FixedToday today(day(2026, 1, 5));
  store::Documents docs(*co.c);
  store::Payments payments(*co.c);
  auto stored = [&](int32_t id) { return docs.show(id).doc.open.to_string(2); };
  auto a = invoice(docs, "PEETERS", {art("LAMP", "10")});   // 84.10
  auto b = invoice(docs, "PEETERS", {art("BROOD", "10")});  // 25.97
  auto c = invoice(docs, "PEETERS", {art("LAMP", "1")});
  CHECK(stored(a.doc.id) == "84.10");  // finalized: all of it
  CHECK(stored(b.doc.id) == "25.97");
  payments.add(pay(a.doc.id, "40", day(2026, 1, 5)));
  CHECK(stored(a.doc.id) == "44.10");  // a payment added
  docs.credit(b.doc.id, {}, fin());
  CHECK(stored(b.doc.id) == "0.00");  // a credit note made final at once
  auto draft_credit = docs.credit(c.doc.id, {}, {});
  CHECK(stored(c.doc.id) == c.doc.total_incl.to_string(2));  // a draft credit note changes nothing
  docs.finalize(draft_credit.doc.id);
  CHECK(stored(c.doc.id) == "0.00");  // ... until it is final
  auto list = payments.list(a.doc.id);
  REQUIRE(list.size() == 1);
  payments.remove(list[0].payment.id);
  CHECK(stored(a.doc.id) == "84.10");  // a payment removed
  payments.add(pay(a.doc.id, "4.10", day(2026, 1, 5)));
  CHECK(stored(a.doc.id) == "80.00");
  // Drafts and credit notes keep nothing open.
  int32_t draft = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(draft, art("BROOD", "1"));
  CHECK(stored(draft) == "0.00");
  CHECK(stored(draft_credit.doc.id) == "0.00");
  CHECK(store::verify(*co.c).empty());

  // The dashboard: one invoice open (a), overdue once past its due date.
  auto sum = docs.summary(10);
  CHECK(sum.n_open == 1);
  CHECK(sum.n_overdue == 0);
  REQUIRE(sum.open.size() == 1);
  CHECK(sum.open[0].doc.id == a.doc.id);
  CHECK(sum.open[0].payment.value().open.to_string(2) == "80.00");
  {
    store::FixedToday later(day(2026, 3, 1));
    auto late = docs.summary(10);
    CHECK(late.n_open == 1);
    CHECK(late.n_overdue == 1);
    REQUIRE(late.overdue.size() == 1);
    CHECK(late.overdue[0].payment.value().status == domain::InvoiceStatus::overdue);
  }

  // A stored amount that its payments do not leave is named by verify, and so is one on a
  // document that is not a final invoice.
  {
    auto& s = co.c->storage();
    store::Action act(s);
    s.update(store::Tbl::doc, docs.show(a.doc.id).doc.row, store::Row().dec(store::fld::open_amount, *domain::Decimal::parse("1")));
    s.update(store::Tbl::doc, docs.show(draft).doc.row, store::Row().dec(store::fld::open_amount, *domain::Decimal::parse("5")));
    act.commit();
  }
  auto problems = store::verify(*co.c);
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0], Catch::Contains("invoice 2026/1: stored as 1.00 left to pay, its credit notes and payments leave 80.00"));
  CHECK_THAT(problems[1], Catch::Contains("stored as 5.00 left to pay, but only a final invoice is paid"));
  CHECK(store::refresh_open_amounts(co.c->storage()) == 2);
  CHECK(store::verify(*co.c).empty());
}

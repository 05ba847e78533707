// Issue 19, document flow, on a real data folder: what each document was converted into or
// credited by, conversions once per target type, credit notes within their invoice (amount
// and stock, whole or partial), withdrawing final quotes and orders, and documents naming each
// other by type, fiscal year and number.
#include <catch2/catch.hpp>

#include "store/payments.h"
#include "store_fixture.h"

using namespace store_test;
using xbase::test::TempDir;

namespace {

using Company = BaseCompany;

domain::Decimal balance(store::Company& c, const std::string& customer) {
  domain::Decimal b;
  for (const auto& ci : store::Payments(c).open_items(store::today(), customer)) b += ci.balance;
  return b;
}

}  // namespace

TEST_CASE("an invoice credited three times: the second whole credit note is refused, balance and stock stay right",
          "[app]") {
  // Reported: one invoice got three credit notes (balance -418.54, stock +6 for 2 sold).
  Company co;
  store::Documents docs(*co.c);
  auto inv = invoice(docs, "PEETERS", {art("LAMP", "2")});
  CHECK(stock_of(*co.c, "LAMP") == "98.000");
  docs.credit(inv.doc.id, {}, fin());
  CHECK(stock_of(*co.c, "LAMP") == "100.000");
  try {
    docs.credit(inv.doc.id, {}, fin());
    FAIL("a second whole credit note was made");
  } catch (const store::UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains("only 0.00 of the invoice's 16.82 is left to credit"));
    CHECK_THAT(e.what(), Catch::Contains("credit note 2026/1"));  // named, not by id
  }
  // The old way in, a conversion, takes the same road.
  CHECK_THROWS_AS(docs.convert(inv.doc.id, DocType::credit_note, fin()), store::UserError);
  CHECK(stock_of(*co.c, "LAMP") == "100.000");
  CHECK(balance(*co.c, "PEETERS").is_zero());
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("partial credit notes: per line, per quantity, by amount, never past the invoice", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  // 3 lamps (3 x 6.95 = 20.85 + 21 % = 25.23) and 10 breads (24.50 + 6 % = 25.97): 51.20.
  auto inv = invoice(docs, "PEETERS", {art("LAMP", "3"), art("BROOD", "10")});
  REQUIRE(inv.doc.total_incl.to_string(2) == "51.20");
  store::CreditSpec one_lamp;
  one_lamp.mode = store::CreditSpec::Mode::line_quantity;
  one_lamp.line = 1;
  one_lamp.quantity = "1";
  auto c1 = docs.credit(inv.doc.id, one_lamp, fin());
  CHECK(c1.doc.total_incl.to_string(2) == "8.41");
  CHECK(stock_of(*co.c, "LAMP") == "98.000");  // one of three came back
  store::CreditSpec bread;
  bread.mode = store::CreditSpec::Mode::lines;
  bread.lines = {2};
  docs.credit(inv.doc.id, bread, fin());
  store::CreditSpec amount;
  amount.mode = store::CreditSpec::Mode::amount;
  amount.amount = "10.00";
  CHECK_THROWS_WITH(docs.credit(inv.doc.id, amount, fin()), Catch::Contains("several VAT rates"));
  amount.line = 1;  // 10.00 at the lamps' 21 %: 12.10
  auto c3 = docs.credit(inv.doc.id, amount, fin());
  CHECK(c3.doc.total_incl.to_string(2) == "12.10");
  CHECK(stock_of(*co.c, "LAMP") == "98.000");  // an amount brings nothing back
  // 51.20 - 8.41 - 25.97 - 12.10 = 4.72 left: 2 lamps (16.82) are too much in money now.
  store::CreditSpec two_lamps = one_lamp;
  two_lamps.quantity = "2";
  CHECK_THROWS_WITH(docs.credit(inv.doc.id, two_lamps, fin()), Catch::Contains("left to credit: 4.72"));
  // More than was sold of a line is refused whatever the money.
  two_lamps.quantity = "4";
  CHECK_THROWS_WITH(docs.credit(inv.doc.id, two_lamps, fin()), Catch::Contains("has a quantity of 3.000"));
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("a credit-note draft is checked again when it is finalized, under the invoice's lock", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  auto inv = invoice(docs, "PEETERS", {art("LAMP", "2")});
  auto draft = docs.credit(inv.doc.id, {});  // a draft of the whole invoice
  CHECK(draft.doc.status == domain::DocStatus::draft);
  // Another credit note while the draft waits: two live ones would credit twice.
  CHECK_THROWS_WITH(docs.credit(inv.doc.id, {}, fin()), Catch::Contains("left to credit: 0.00"));
  docs.cancel(draft.doc.id);
  auto other = docs.credit(inv.doc.id, {}, fin());
  CHECK(other.doc.number == 1);
  // Lines added to a credit note's draft are held to the same limit.
  store::CreditSpec by_amount;
  by_amount.mode = store::CreditSpec::Mode::amount;
  by_amount.amount = "1";
  CHECK_THROWS_AS(docs.credit(inv.doc.id, by_amount), store::UserError);
  CHECK(stock_of(*co.c, "LAMP") == "100.000");
}

TEST_CASE("a quote invoiced twice: the second conversion is refused, naming the invoice", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  int32_t q = docs.create(DocType::quote, "PEETERS");
  docs.add_line(q, art("LAMP", "1"));
  docs.finalize(q);
  auto inv = docs.convert(q, DocType::invoice, fin());
  CHECK(inv.source_label == "quote 2026/1");
  try {
    docs.convert(q, DocType::invoice, fin());
    FAIL("a quote was invoiced twice");
  } catch (const store::UserError& e) {
    CHECK(std::string(e.what()) == "quote 2026/1 was converted already: into invoice 2026/1");
  }
  // Nor can it still become an order: that would invoice it again.
  CHECK_THROWS_WITH(docs.convert(q, DocType::order), Catch::Contains("would do the same work twice"));
  // What it was made into is on file.
  auto shown = docs.show(q);
  REQUIRE(shown.made_from_it.size() == 1);
  CHECK(shown.made_from_it[0].label == "invoice 2026/1");
}

TEST_CASE("an order took stock out twice: invoicing it around its delivery note is refused with working advice",
          "[app]") {
  Company co;
  store::Documents docs(*co.c);
  int32_t o = docs.create(DocType::order, "PEETERS");
  docs.add_line(o, art("LAMP", "5"));
  docs.finalize(o);
  auto del = docs.convert(o, DocType::delivery_note, fin());
  CHECK(stock_of(*co.c, "LAMP") == "95.000");
  try {
    docs.convert(o, DocType::invoice, fin());
    FAIL("the order was invoiced around its delivery note");
  } catch (const store::UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains(fmt::format("invoicing doc convert {} --to invoice", del.doc.id)));
  }
  CHECK_THROWS_AS(docs.convert(o, DocType::delivery_note, fin()), store::UserError);  // once per target type
  auto inv = docs.convert(del.doc.id, DocType::invoice, fin());  // the advice works
  CHECK(inv.doc.number == 1);
  CHECK(stock_of(*co.c, "LAMP") == "95.000");  // once, with the delivery note
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("a final quote is withdrawn, not cancelled: the advice given works", "[app]") {
  // Reported: a final quote could not be withdrawn, and `doc cancel` advised a conversion
  // that then failed.
  Company co;
  store::Documents docs(*co.c);
  int32_t q = docs.create(DocType::quote, "PEETERS");
  docs.add_line(q, art("BROOD", "3"));
  docs.finalize(q);
  try {
    docs.cancel(q);
    FAIL("a final quote was cancelled");
  } catch (const store::UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains(fmt::format("invoicing doc withdraw {}", q)));
  }
  auto w = docs.withdraw(q);
  CHECK(w.doc.status == domain::DocStatus::withdrawn);
  CHECK(w.doc.number == 1);  // it stays on file with its number
  CHECK_THROWS_WITH(docs.convert(q, DocType::invoice, fin()), Catch::Contains("was withdrawn"));
  // An order that went on as a delivery note is not withdrawn behind its back.
  int32_t o = docs.create(DocType::order, "PEETERS");
  docs.add_line(o, art("LAMP", "1"));
  docs.finalize(o);
  auto del = docs.convert(o, DocType::delivery_note);  // a draft
  try {
    docs.withdraw(o);
    FAIL("withdrew an order with a live delivery note");
  } catch (const store::UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains(fmt::format("invoicing doc cancel {}", del.doc.id)));
  }
  docs.cancel(del.doc.id);
  CHECK(docs.withdraw(o).doc.status == domain::DocStatus::withdrawn);
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("a credit note says which invoice it credits by type, year and number, in the customer's language",
          "[app]") {
  // Reported: a credit note showed "made from document 5".
  Company co;
  store::Parties(*co.c, store::PartyKind::customer).edit("PEETERS", [] {
    store::PartyInput in;
    in.lang = "fr";
    return in;
  }());
  store::Documents docs(*co.c);
  for (int i = 0; i < 3; ++i) docs.create(DocType::quote, "PEETERS");  // ids move away from numbers
  auto inv = invoice(docs, "PEETERS", {art("BROOD", "1")});
  auto crn = docs.credit(inv.doc.id, {}, fin());
  CHECK(crn.source_label == "invoice 2026/1");
  CHECK(docs.show(crn.doc.id, "fr").source_label == "facture 2026/1");
  CHECK(docs.show(crn.doc.id, "nl").source_label == "factuur 2026/1");
  CHECK(docs.show(inv.doc.id, "fr").made_from_it.at(0).label == "note de crédit 2026/1");
  // A partial credit note by amount says what it credits in the customer's words.
  auto inv2 = invoice(docs, "PEETERS", {art("BROOD", "1")});
  store::CreditSpec amount;
  amount.mode = store::CreditSpec::Mode::amount;
  amount.amount = "0.50";
  auto part = docs.credit(inv2.doc.id, amount, fin());
  CHECK(docs.show(part.doc.id).lines.at(0).line.description == "Crédit sur facture 2026/2");
}

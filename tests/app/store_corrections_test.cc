// Issue 19, corrections, stock and search: drafts edited line by line, their customer and date
// changed, deleted (a reserved number goes back); parties and articles deleted only while no
// document names them, else archived; stock below zero warned or refused; what is on order;
// document lists with filters; codes with accented letters found as the index upper-cases them.
#include <catch2/catch.hpp>

#include "store/numbering.h"
#include "store/payments.h"
#include "store/settings.h"
#include "store_fixture.h"

using namespace store_test;
using xbase::test::TempDir;

namespace {

using Company = BaseCompany;

}  // namespace

TEST_CASE("a draft's lines are edited and removed, its customer and date changed: totals follow", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  store::PartyInput other;
  other.code = "DUPONT";
  other.name = "Dupont";
  store::Parties(*co.c, store::PartyKind::customer).add(other);
  int32_t id = docs.create(DocType::quote, "PEETERS");
  docs.add_line(id, art("LAMP", "2"));
  docs.add_line(id, art("BROOD", "4"));
  store::LineChange ch;
  ch.quantity = "3";
  ch.discount = "10";
  auto v = docs.edit_line(id, 1, ch);
  CHECK(v.lines.at(0).line.net.to_string(2) == "18.76");  // 20.85 less 2.09
  store::LineChange to_text;
  to_text.article = "";
  to_text.text = "Levering";
  v = docs.edit_line(id, 2, to_text);
  CHECK(v.lines.at(1).line.article == 0);
  CHECK(v.lines.at(1).line.description == "Levering");
  v = docs.remove_line(id, 1);
  REQUIRE(v.lines.size() == 1);
  CHECK(v.doc.total_excl.to_string(2) == v.lines[0].line.net.to_string(2));
  CHECK_THROWS_WITH(docs.remove_line(id, 7), Catch::Contains("has no line 7"));
  store::DraftChange dc;
  dc.party = "dupont";
  dc.date = day(2026, 3, 1);
  dc.customer_ref = "PO-17";
  v = docs.change(id, dc);
  CHECK(v.party_code == "DUPONT");
  CHECK(store::iso(v.doc.date) == "2026-03-01");
  CHECK(v.doc.customer_ref == "PO-17");
  docs.finalize(id);
  CHECK_THROWS_WITH(docs.edit_line(id, 1, ch), Catch::Contains("withdraw it"));
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("deleting a draft in multi-user numbering gives its number back", "[app]") {
  Company co;
  store::Numbering(*co.c).set_mode(domain::NumberingMode::multiuser, std::nullopt);
  store::Documents docs(*co.c);
  int32_t a = docs.create(DocType::invoice, "PEETERS");
  int32_t b = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(a, art("BROOD", "1"));
  docs.remove(a);
  CHECK_THROWS_WITH(docs.show(a), "no document with id " + std::to_string(a));
  CHECK(rows(*co.c, store::Tbl::docline) == 0);
  int32_t c = docs.create(DocType::invoice, "PEETERS");
  CHECK(docs.show(c).doc.number == 1);  // the deleted draft's number
  for (int32_t id : {b, c}) {
    docs.add_line(id, art("BROOD", "1"));
    docs.finalize(id);
  }
  CHECK_THROWS_AS(docs.remove(b), store::UserError);  // final documents are not deleted
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("customers and articles: deleted while unused, archived once a document names them", "[app]") {
  Company co;
  store::Parties customers(*co.c, store::PartyKind::customer);
  store::Articles arts(*co.c);
  store::Documents docs(*co.c);
  store::PartyInput p;
  p.code = "ZOË";
  p.name = "Zoë's";
  p.city = "Brugge";
  customers.add(p);
  CHECK(customers.list({"zoë"}).size() == 1);  // found as the index upper-cases it
  CHECK(customers.get("zoë").code == "ZOË");
  customers.remove("zoë");
  CHECK_FALSE(customers.find("ZOË"));
  invoice(docs, "PEETERS", {art("LAMP", "1")});
  CHECK_THROWS_WITH(customers.remove("PEETERS"), Catch::Contains("archive it instead"));
  CHECK_THROWS_WITH(arts.remove("LAMP"), Catch::Contains("invoice 2026/1"));
  arts.remove("BROOD");  // on no document
  CHECK_FALSE(arts.find("BROOD"));
  customers.set_archived("PEETERS", true);
  CHECK(customers.list().empty());
  CHECK(customers.list({"", true}).size() == 1);
  CHECK_THROWS_WITH(docs.create(DocType::invoice, "PEETERS"), Catch::Contains("unarchive"));
  arts.set_archived("LAMP", true);
  CHECK(arts.list().empty());
  customers.set_archived("PEETERS", false);
  int32_t id = docs.create(DocType::invoice, "PEETERS");
  CHECK_THROWS_WITH(docs.add_line(id, art("LAMP", "1")), Catch::Contains("archived"));
  // A VAT number is cleared with an empty one.
  store::PartyInput clear;
  clear.vat = "";
  CHECK(customers.edit("PEETERS", clear).vat.empty());
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("stock below zero warns by default and is refused with negative_stock refuse, and what is on order",
          "[app]") {
  Company co;
  store::Documents docs(*co.c);
  auto warned = invoice(docs, "PEETERS", {art("LAMP", "120")});
  REQUIRE(warned.warnings.size() == 1);
  CHECK_THAT(warned.warnings[0], Catch::Contains("leaving -20"));
  store::change_setting(*co.c, "negative_stock", "refuse");
  int32_t id = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(id, art("LAMP", "1"));
  CHECK_THROWS_WITH(docs.finalize(id), Catch::Contains("invoicing article count --code LAMP"));
  store::Articles arts(*co.c);
  arts.correct_stock("LAMP", "40", "inventory 2026");
  CHECK(docs.finalize(id).warnings.empty());
  auto moves = arts.moves("LAMP");
  REQUIRE(moves.size() == 4);  // opening, the first invoice, the count, the second invoice
  CHECK(moves[2].reason == "inventory 2026");
  CHECK(moves[2].quantity.to_string() == "60.000");
  // What comes in with draft purchase invoices is on order.
  store::PartyInput sup;
  sup.code = "GROSSIER";
  sup.name = "Groothandel";
  store::Parties(*co.c, store::PartyKind::supplier).add(sup);
  int32_t pin = docs.create(DocType::purchase_invoice, "GROSSIER");
  docs.add_line(pin, art("LAMP", "50"));
  CHECK(arts.on_order()[arts.get("LAMP").id].to_string() == "50.000");
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("doc list filters by type, status, customer, dates, numbers, open and overdue", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  store::PartyInput other;
  other.code = "DUPONT";
  other.name = "Dupont";
  store::Parties(*co.c, store::PartyKind::customer).add(other);
  auto a = invoice(docs, "PEETERS", {art("BROOD", "1")}, day(2026, 2, 1));
  auto b = invoice(docs, "DUPONT", {art("BROOD", "2")}, day(2026, 3, 1));
  invoice(docs, "PEETERS", {art("BROOD", "3")}, day(2026, 3, 5));
  docs.create(DocType::quote, "PEETERS");
  auto crn = docs.credit(b.doc.id, {}, fin());
  store::PaymentInput p;
  p.doc = a.doc.id;
  p.amount = a.doc.total_incl.to_string(2);
  p.date = day(2026, 3, 1);
  store::Payments(*co.c).add(p);
  auto ids = [&](const store::DocFilter& f) {
    std::vector<int32_t> out;
    for (const auto& v : docs.list(f)) out.push_back(v.doc.id);
    return out;
  };
  store::DocFilter f;
  f.type = DocType::invoice;
  CHECK(ids(f).size() == 3);
  f.party = "peeters";
  CHECK(ids(f).size() == 2);
  f.from = day(2026, 3, 1);
  CHECK(ids(f).size() == 1);
  store::DocFilter numbers;
  numbers.type = DocType::invoice;
  numbers.number_from = 2;
  numbers.number_to = 2;
  CHECK(ids(numbers) == std::vector<int32_t>{b.doc.id});
  store::DocFilter drafts;
  drafts.status = domain::DocStatus::draft;
  CHECK(ids(drafts).size() == 1);
  store::DocFilter open;
  open.open = true;
  CHECK(ids(open).size() == 1);  // a is paid, b credited in full
  store::DocFilter overdue;
  overdue.overdue = true;
  CHECK(ids(overdue).empty());
  {
    store::FixedToday later(day(2026, 6, 1));
    CHECK(ids(overdue).size() == 1);
  }
  store::DocFilter credit;
  credit.type = DocType::credit_note;
  auto list = docs.list(credit);
  REQUIRE(list.size() == 1);
  CHECK(store::signed_total(list[0].doc) == -crn.doc.total_incl);  // negative in lists
}

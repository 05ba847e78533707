// The invoicing store on a real data folder: schema versions and upgrade, documents from
// quote to invoice with stock and balances, cancellation, numbering, seats, settings.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "store/documents.h"
#include "test_util.h"
#include "xbase/check.h"

namespace fs = std::filesystem;
using namespace invoicing;
using invoicing::domain::DocType;
using xbase::Value;
using xbase::test::TempDir;

namespace {

std::unique_ptr<store::Company> open(const fs::path& dir, const std::string& user = "anna",
                                     bool seat = true) {
  store::OpenOptions o;
  o.who = {user, "PC-" + user};
  o.take_seat = seat;
  o.lock_wait = std::chrono::milliseconds(2000);
  return store::Company::open(dir, o);
}

void base_data(store::Company& c) {
  c.table("CUSTOMER").append(std::vector<Value>{Value::empty(), Value::text("PEETERS"), Value::text("Bakkerij Peeters"),
                                                Value::text(""), Value::text(""), Value::text("Gent"), Value::text("BE")});
  auto& a = c.table("ARTICLE");
  auto& m = c.table("STOCKMOV");
  uint32_t r = a.append(std::vector<Value>{Value::empty(), Value::text("LAMP"), Value::text("LED-lamp"), Value::text("pc"),
                                           Value::number("6.95"), Value::text("S"), Value::number("21"),
                                           Value::logical(true), Value::number("100"), Value::number("10")});
  m.append(std::vector<Value>{Value::empty(), a.read(r).get("ID"), Value::integer(0), Value::number("100")});
  a.append(std::vector<Value>{Value::empty(), Value::text("BROOD"), Value::text("Brood"), Value::text("pc"),
                              Value::number("2.45"), Value::text("S"), Value::number("6"), Value::logical(false)});
}

store::LineSpec art(const std::string& code, const std::string& qty, const std::string& disc = "0") {
  store::LineSpec l;
  l.article = code;
  l.quantity = qty;
  l.discount = disc;
  return l;
}

store::LineSpec text_line(const std::string& text, const std::string& qty, const std::string& price,
                          const std::string& rate) {
  store::LineSpec l;
  l.text = text;
  l.quantity = qty;
  l.price = price;
  l.vat_rate = rate;
  return l;
}

std::string stock_of(store::Company& c, const std::string& code) {
  auto& a = c.table("ARTICLE");
  auto r = a.seek("CODE", Value::text(code), xbase::SeekMode::exact);
  REQUIRE(r);
  return store::decimal_text(a.read(*r).get("STOCK"));
}

}  // namespace

TEST_CASE("a quote becomes an invoice: number, reference, totals, stock, balance, audit", "[app]") {
  TempDir d;
  store::Company::init(d.path(), {});
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  int32_t q = docs.create(DocType::quote, "peeters");
  docs.add_line(q, art("LAMP", "3", "10"));                 // 20.85 - discount 2.085 -> 2.09 = 18.76 at 21 %
  docs.add_line(q, art("BROOD", "4"));                          // 4 x 2.45 = 9.80 at 6 %
  docs.add_line(q, text_line("Werkuren", "1.5", "55", "21"));   // 82.50 at 21 %
  auto quote = docs.finalize(q);
  CHECK(quote.number == 1);
  CHECK(quote.total_excl == "111.06");
  // VAT per rate, rounded per rate: 21 % of 101.26 = 21.2646 -> 21.26; 6 % of 9.80 = 0.588 -> 0.59
  CHECK(quote.total_vat == "21.85");
  CHECK(quote.total_incl == "132.91");
  CHECK(stock_of(*c, "LAMP") == "100.000");  // a quote moves nothing

  int32_t inv = docs.convert(q, DocType::invoice, true);  // one commit
  auto v = docs.show(inv);
  CHECK(v.status == domain::DocStatus::final);
  CHECK(v.number == 1);
  CHECK(v.source == q);
  CHECK(v.total_incl == "132.91");
  CHECK(v.reference.size() == 20);  // +++ddd/dddd/ddddd+++
  CHECK(stock_of(*c, "LAMP") == "97.000");
  auto& cust = c->table("CUSTOMER");
  CHECK(store::decimal_text(cust.read(1).get("BALANCE")) == "132.91");
  CHECK(c->table("AUDIT").record_count() == 3);  // finalize quote, convert, finalize invoice

  // A credit note brings the goods back and takes the amount off the balance.
  int32_t crn = docs.convert(inv, DocType::credit_note, true);
  CHECK(docs.show(crn).number == 1);
  CHECK(stock_of(*c, "LAMP") == "100.000");
  CHECK(store::decimal_text(cust.read(1).get("BALANCE")) == "0.00");
  CHECK_THROWS_AS(docs.cancel(inv), store::UserError);  // final: only a credit note undoes it
  CHECK(store::verify_folder(*c).empty());
}

TEST_CASE("order, delivery note, invoice: the stock moves once, with the delivery note", "[app]") {
  TempDir d;
  store::Company::init(d.path(), {});
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  int32_t o = docs.create(DocType::order, "PEETERS");
  docs.add_line(o, art("LAMP", "5"));
  docs.finalize(o);
  int32_t del = docs.convert(o, DocType::delivery_note, true);
  CHECK(stock_of(*c, "LAMP") == "95.000");
  int32_t inv = docs.convert(del, DocType::invoice, true);
  CHECK(stock_of(*c, "LAMP") == "95.000");
  CHECK(docs.show(inv).number == 1);
  CHECK_THROWS_AS(docs.convert(inv, DocType::order, false), store::UserError);
  CHECK(store::verify_folder(*c).empty());
}

TEST_CASE("multi-user numbering: numbers at creation, a cancelled one is handed out again", "[app]") {
  TempDir d;
  store::Company::init(d.path(), {});
  auto c = open(d.path());
  base_data(*c);
  c->set_setting("numbering", "multiuser");
  store::Documents docs(*c);
  int32_t a = docs.create(DocType::invoice, "PEETERS");
  int32_t b = docs.create(DocType::invoice, "PEETERS");
  int32_t x = docs.create(DocType::invoice, "PEETERS");
  CHECK(docs.show(a).number == 1);
  CHECK(docs.show(b).number == 2);
  CHECK(docs.show(x).number == 3);
  docs.cancel(b);  // 2 waits in the FREE list
  CHECK(store::verify_folder(*c).empty());
  int32_t e = docs.create(DocType::invoice, "PEETERS");
  CHECK(docs.show(e).number == 2);
  docs.cancel(x);  // the last one: the counter steps back
  int32_t f = docs.create(DocType::invoice, "PEETERS");
  CHECK(docs.show(f).number == 3);
  // Never across fiscal years: a 2025 invoice has its own sequence.
  int32_t old = docs.create(DocType::invoice, "PEETERS", xbase::Date{2025, 12, 31});
  CHECK(docs.show(old).number == 1);
  for (int32_t id : {a, e, f, old}) {
    docs.add_line(id, art("BROOD", "1"));
    docs.finalize(id);
  }
  CHECK(store::verify_folder(*c).empty());
}

TEST_CASE("a workstation waiting for the numbering is told who holds it", "[app]") {
  TempDir d;
  store::Company::init(d.path(), {store::InitOptions{"Co", "", store::Edition::basic}});
  auto c1 = open(d.path(), "anna");
  base_data(*c1);
  c1->set_setting("numbering_wait", "1");
  store::Documents docs1(*c1);
  int32_t id = docs1.create(DocType::invoice, "PEETERS");
  docs1.add_line(id, art("BROOD", "1"));
  docs1.finalize(id);  // the INV numbering record exists now
  int32_t id2 = docs1.create(DocType::invoice, "PEETERS");
  docs1.add_line(id2, art("BROOD", "1"));
  // Anna's workstation holds the numbering (as during a finalization) ...
  auto& numbers = c1->table("NUMBERS");
  c1->set_busy("finalizing INV 2026");
  numbers.lock_record(1);
  // ... Bert's waits one second, then learns who.
  auto c2 = open(d.path(), "bert");
  store::Documents docs2(*c2);
  try {
    docs2.finalize(id2);
    FAIL("finalized under someone else's numbering lock");
  } catch (const store::UserError& e) {
    std::string m = e.what();
    CHECK(m.find("anna on PC-anna") != std::string::npos);
    CHECK(m.find("waited 1 s") != std::string::npos);
  }
  numbers.unlock_all();
  c1->set_busy("");
  CHECK(docs2.finalize(id2).number == 2);
}

TEST_CASE("seats: one program per seat, the next is told who holds them", "[app]") {
  TempDir d;
  store::InitOptions o;
  o.edition = store::Edition::basic;  // 3 seats
  store::Company::init(d.path(), o);
  auto a = open(d.path(), "anna");
  auto b = open(d.path(), "bert");
  auto c = open(d.path(), "carl");
  try {
    open(d.path(), "dirk");
    FAIL("a fourth program got a seat");
  } catch (const store::UserError& e) {
    std::string m = e.what();
    CHECK(m.find("all 3 seats of the Basic edition") != std::string::npos);
    CHECK(m.find("bert on PC-bert") != std::string::npos);
  }
  b.reset();  // closing (or a crash) frees the seat
  auto d2 = open(d.path(), "dirk");
  CHECK(d2->seat() == 2);
}

TEST_CASE("schema versions: an older folder is upgraded in place with a backup, a newer refused", "[app]") {
  TempDir d;
  store::InitOptions o;
  o.schema_version = 1;
  store::Company::init(d.path(), o);
  {
    // Version 1 data: an article without MINSTOCK, no AUDIT table.
    xbase::OpenOptions ex;
    auto a = xbase::Table::open(d / "ARTICLE.DBF", ex);
    CHECK(!a->field_index("MINSTOCK"));
    a->append(std::vector<Value>{Value::empty(), Value::text("LAMP"), Value::text("LED-lamp"), Value::text("pc"),
                                 Value::number("6.95"), Value::text("S"), Value::number("21"), Value::logical(true),
                                 Value::number("7")});
    CHECK(!fs::exists(d / "AUDIT.DBF"));
  }
  CHECK(store::folder_schema_version(d.path()) == 1);
  auto c = open(d.path());
  REQUIRE(c->upgrade());
  CHECK(c->upgrade()->from == 1);
  CHECK(fs::exists(c->upgrade()->backup / "ARTICLE.DBF"));
  CHECK(store::folder_schema_version(d.path()) == store::kSchemaVersion);
  auto& a = c->table("ARTICLE");
  REQUIRE(a.field_index("MINSTOCK"));
  CHECK(a.record_count() == 1);
  CHECK(store::decimal_text(a.read(1).get("STOCK")) == "7.000");
  CHECK(a.seek("CODE", Value::text("LAMP"), xbase::SeekMode::exact) == 1u);
  // A new article gets the next id, not one the copy took already.
  a.append(std::vector<Value>{Value::empty(), Value::text("BROOD")});
  CHECK(a.read(2).get("ID").as_integer() == a.read(1).get("ID").as_integer() + 1);
  CHECK(fs::exists(d / "AUDIT.DBF"));
  for (const auto& def : store::dictionary())
    CHECK(xbase::check_table(d / (def.name + ".DBF")).problems() == 0);
  c.reset();

  // A version this program does not know is refused, and nothing is changed.
  {
    auto s = xbase::Table::open(d / "SCHEMA.DBF");
    s->update(1, s->field_index_or_throw("VERSION"), Value::integer(store::kSchemaVersion + 1));
  }
  try {
    open(d.path());
    FAIL("opened a newer schema");
  } catch (const store::UserError& e) {
    CHECK(std::string(e.what()).find("never downgraded") != std::string::npos);
  }
}

// The invoicing store on a real data folder: schema versions and upgrade, documents from
// quote to invoice with stock, cancellation, numbering, seats, settings, input checks.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "store/articles.h"
#include "store/clock.h"
#include "store/document_records.h"
#include "store/documents.h"
#include "store/folder/folder_files.h"
#include "store/folder/folder_gate.h"
#include "store/folder/folder_schema.h"
#include "store/folder/folder_storage.h"
#include "store/numbering.h"
#include "store/parties.h"
#include "store/records.h"
#include "store_fixture.h"
#include "test_util.h"
#include "xbase/check.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace invoicing;
using namespace store_test;
using invoicing::domain::DocType;
using xbase::Value;
using xbase::test::TempDir;

TEST_CASE("a quote becomes an invoice: number, reference, totals, stock, balance, audit", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  int32_t q = docs.create(DocType::quote, "peeters");
  docs.add_line(q, art("LAMP", "3", "10"));                 // 20.85 - discount 2.085 -> 2.09 = 18.76 at 21 %
  docs.add_line(q, art("BROOD", "4"));                          // 4 x 2.45 = 9.80 at 6 %
  docs.add_line(q, text_line("Werkuren", "1.5", "55", "21"));   // 82.50 at 21 %
  auto quote = docs.finalize(q);
  CHECK(quote.doc.number == 1);
  CHECK(quote.doc.total_excl.to_string(2) == "111.06");
  // VAT per rate, rounded per rate: 21 % of 101.26 = 21.2646 -> 21.26; 6 % of 9.80 = 0.588 -> 0.59
  CHECK(quote.doc.total_vat.to_string(2) == "21.85");
  CHECK(quote.doc.total_incl.to_string(2) == "132.91");
  CHECK(stock_of(*c, "LAMP") == "100.000");  // a quote moves nothing

  int32_t inv = docs.convert(q, DocType::invoice, fin()).doc.id;  // one commit
  auto v = docs.show(inv);
  CHECK(v.doc.status == domain::DocStatus::final);
  CHECK(v.doc.number == 1);
  CHECK(v.doc.source == q);
  CHECK(v.source_label == fmt::format("quote {}/1", quote.doc.year));  // documents name each other by type, year, number
  CHECK(v.doc.total_incl.to_string(2) == "132.91");
  CHECK(v.doc.ogm.size() == 20);  // +++ddd/dddd/ddddd+++
  REQUIRE(v.doc.due_date);         // 30 days after the invoice date
  CHECK(xbase::julian_day(*v.doc.due_date) - xbase::julian_day(v.doc.date) == 30);
  CHECK(stock_of(*c, "LAMP") == "97.000");
  CHECK(rows(*c, store::Tbl::audit) == 3);  // finalize quote, convert, finalize invoice

  // A credit note brings the goods back and takes the amount off the balance.
  int32_t crn = docs.convert(inv, DocType::credit_note, fin()).doc.id;
  CHECK(docs.show(crn).doc.number == 1);
  CHECK(stock_of(*c, "LAMP") == "100.000");
  CHECK_THROWS_AS(docs.cancel(inv), store::UserError);  // final: only a credit note undoes it
  CHECK(store::verify(*c).empty());
}

TEST_CASE("order, delivery note, invoice: the stock moves once, with the delivery note", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  int32_t o = docs.create(DocType::order, "PEETERS");
  docs.add_line(o, art("LAMP", "5"));
  docs.finalize(o);
  int32_t del = docs.convert(o, DocType::delivery_note, fin()).doc.id;
  CHECK(stock_of(*c, "LAMP") == "95.000");
  int32_t inv = docs.convert(del, DocType::invoice, fin()).doc.id;
  CHECK(stock_of(*c, "LAMP") == "95.000");
  CHECK(docs.show(inv).doc.number == 1);
  CHECK_THROWS_AS(docs.convert(inv, DocType::order), store::UserError);
  CHECK(store::verify(*c).empty());
}

TEST_CASE("multi-user numbering: numbers at creation, a cancelled one is handed out again", "[app]") {
  store::FixedToday today(day(2026, 1, 10));  // the previous fiscal year still takes documents
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Numbering(*c).set_mode(domain::NumberingMode::multiuser, std::nullopt);
  store::Documents docs(*c);
  int32_t a = docs.create(DocType::invoice, "PEETERS");
  int32_t b = docs.create(DocType::invoice, "PEETERS");
  int32_t x = docs.create(DocType::invoice, "PEETERS");
  CHECK(docs.show(a).doc.number == 1);
  CHECK(docs.show(b).doc.number == 2);
  CHECK(docs.show(x).doc.number == 3);
  docs.cancel(b);  // 2 waits in the FREE list
  CHECK(store::verify(*c).empty());
  int32_t e = docs.create(DocType::invoice, "PEETERS");
  CHECK(docs.show(e).doc.number == 2);
  docs.cancel(x);  // the last one: the counter steps back
  int32_t f = docs.create(DocType::invoice, "PEETERS");
  CHECK(docs.show(f).doc.number == 3);
  // Never across fiscal years: a 2025 invoice has its own sequence.
  int32_t old = docs.create(DocType::invoice, "PEETERS", xbase::Date{2025, 12, 31});
  CHECK(docs.show(old).doc.number == 1);
  for (int32_t id : {a, e, f, old}) {
    docs.add_line(id, art("BROOD", "1"));
    docs.finalize(id);
  }
  CHECK(store::verify(*c).empty());
}

TEST_CASE("a workstation waiting for the numbering waits the numbering wait, and names the holder but never itself", "[app]") {
  // Regression: with numbering_wait 1 s, finalize waited the tables' 30 s lock wait and then said
  // "waited 1 s", and named its own seat among the holders.
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed(domain::Edition::basic));
  auto c1 = open(d.path(), "anna");
  base_data(*c1);
  store::Numbering(*c1).set_mode(domain::NumberingMode::serialized, 1);
  store::Documents docs1(*c1);
  int32_t id = docs1.create(DocType::invoice, "PEETERS");
  docs1.add_line(id, art("BROOD", "1"));
  docs1.finalize(id);  // the INV numbering record exists now
  int32_t id2 = docs1.create(DocType::invoice, "PEETERS");
  docs1.add_line(id2, art("BROOD", "1"));
  // Anna's workstation holds the numbering, as during a finalization ...
  const int year = store::today().year;
  store::Action held(c1->storage());
  store::Numbering(*c1).hold(DocType::invoice, year);
  store::Company::Doing doing(*c1, "numbering " + store::series_name(DocType::invoice, year));
  // ... Bert's waits the numbering wait (one second; the tables' own wait is 2 s here and was
  // 30 s in the field), then learns who holds it.
  auto c2 = open(d.path(), "bert");
  store::Documents docs2(*c2);
  auto t0 = std::chrono::steady_clock::now();
  try {
    docs2.finalize(id2);
    FAIL("finalized under someone else's numbering lock");
  } catch (const store::NumberingBusy& e) {
    std::string m = e.what();
    CHECK(m.find("anna on PC-anna") != std::string::npos);
    CHECK(m.find("bert") == std::string::npos);
    CHECK(m.find("waited 1 s") != std::string::npos);
  }
  // Not a timing judgement: the wait honoured must be the numbering's (1 s), not a table's.
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1900));
  held.commit();
  CHECK(docs2.finalize(id2).doc.number == 2);
}

// Issue 30: the first finalization of a year makes its series in its own commit (one
// transaction instead of two), in its write phase, after every record lock it takes. Two
// workstations finalizing the first documents of a year at once: Bert found no series and
// planned number 1 of a new one, then waited for his line's article, which Anna held while
// she made the series and committed. Making it again finds the key taken: he finalizes again
// with Anna's series (number 1 of it), instead of failing with a duplicate key.
TEST_CASE("a first finalization of a year whose series a colleague made meanwhile finalizes with theirs", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed(domain::Edition::basic));
  auto c1 = open(d.path(), "anna");
  base_data(*c1);
  store::Documents docs1(*c1);
  const int32_t id = docs1.create(DocType::invoice, "PEETERS");  // the first of its year
  docs1.add_line(id, art("LAMP", "1"));                           // stocked: its record is locked
  const int year = store::today().year;
  store::Action held(c1->storage());
  c1->storage().lock(store::Tbl::article, store::Articles(*c1).get("LAMP").row, c1->lock_wait());
  store::OpenOptions bo;  // Bert waits for a record up to 20 s (the fixture's 2 s is tight under load)
  bo.who = {"bert", "PC-bert"};
  bo.lock_wait = std::chrono::seconds(20);
  auto c2 = store::Company::open(store_test::company_at(d.path()), bo);
  std::optional<store::DocView> bert;
  std::string failed;
  std::thread t([&] {
    try {
      bert = store::Documents(*c2).finalize(id);
    } catch (const std::exception& e) {
      failed = e.what();
    }
  });
  struct Joined {  // also when a step below throws (Bert gives up after his 20 s)
    std::thread& t;
    ~Joined() {
      if (t.joinable()) t.join();
    }
  } joined{t};
  // Bert has found no series once he says he is numbering; then he waits for the article.
  const std::string numbering = "numbering " + store::series_name(DocType::invoice, year);
  for (int i = 0; i < 2000 && c1->busy_with(numbering).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK_FALSE(c1->busy_with(numbering).empty());
  store::Numbering(*c1).write(store::Numbering(*c1).fresh(DocType::invoice, year));
  held.commit();
  t.join();
  CHECK(failed == "");
  REQUIRE(bert);
  CHECK(bert->doc.number == 1);
  CHECK(bert->doc.year == year);
  int series = 0;
  for (const auto& st : store::Numbering(*c1).list()) series += st.type == DocType::invoice && st.year == year;
  CHECK(series == 1);
  CHECK(store::verify(*c1).empty());
}

TEST_CASE("a document locked by another workstation is named with its holder, not as a record number", "[app]") {
  // Regression: "DOC record 3 is locked by another workstation" after the wait; now the document
  // and the user and workstation holding it (from the seats), never the waiting one.
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed(domain::Edition::basic));
  auto c1 = open(d.path(), "anna");
  base_data(*c1);
  store::Documents docs1(*c1);
  int32_t id = docs1.create(DocType::invoice, "PEETERS");
  // Anna's workstation is in the middle of an action on the draft.
  store::Action held(c1->storage());
  c1->storage().lock(store::Tbl::doc, docs1.show(id).doc.row, c1->lock_wait());
  auto c2 = open(d.path(), "bert");
  try {
    store::Documents(*c2).add_line(id, art("BROOD", "1"));
    FAIL("changed a document someone else holds");
  } catch (const store::Busy& e) {
    const std::string m = e.what();
    CHECK(m.find(fmt::format("(document {})", id)) != std::string::npos);
    CHECK(m.find("anna on PC-anna") != std::string::npos);
    CHECK(m.find("bert") == std::string::npos);
    CHECK(m.find("record") == std::string::npos);
  }
  held.commit();
  CHECK(store::Documents(*c2).add_line(id, art("BROOD", "1")).lines.size() == 1);
}

// A company with its base data, open as anna's workstation (c1) and as bert's (c2).
struct TwoWorkstations {
  TempDir d;
  std::unique_ptr<store::Company> c1, c2;
  TwoWorkstations() {
    store::Company::init(store_test::company_at(d.path()), store_test::licensed());
    c1 = open(d.path(), "anna");
    base_data(*c1);
    c2 = open(d.path(), "bert");
  }
  // Whether bert's action gets the lock of the document at row `r` within 50 ms.
  bool colleague_gets(store::RowId r) {
    store::Action a(c2->storage());
    try {
      c2->storage().lock(store::Tbl::doc, r, std::chrono::milliseconds(50));
      return true;
    } catch (const store::Busy&) {
      return false;
    }
  }
};

// Issue 30: the CLI's last action leaves its commit's locks to the company's close (on a share
// an unlock call each fewer). They are held until the company is used again or closed, and
// then a colleague and a backup get them.
TEST_CASE("a commit that leaves its locks to the close holds them until the company is used again or closed",
          "[app][folder]") {
#ifdef _WIN32
  return;  // a closed handle's locks go only "eventually": unlocked at the commit (engine test)
#endif
  TwoWorkstations w;
  auto& c1 = w.c1;
  store::Documents docs1(*c1);
  auto colleague_gets = [&](store::RowId r) { return w.colleague_gets(r); };
  auto draft = [&] {
    const int32_t id = docs1.create(DocType::invoice, "PEETERS");
    docs1.add_line(id, art("BROOD", "1"));
    return std::pair(id, docs1.show(id).doc.row);
  };
  const auto [id, row] = draft();
  const auto [id2, row2] = draft();
  auto backup_gets_the_gate = [&] {
    store::folder::CommitGate gate(w.d.path());
    try {
      gate.enter_exclusive(std::chrono::milliseconds(50));
      gate.leave();
      return true;
    } catch (const store::Busy&) {
      return false;
    }
  };
  c1->storage().leave_locks_to_close();
  docs1.finalize(id);
  CHECK_FALSE(colleague_gets(row));
  CHECK_FALSE(backup_gets_the_gate());
  CHECK(docs1.show(id).doc.number > 0);  // used again: they go first
  CHECK(colleague_gets(row));
  CHECK(backup_gets_the_gate());
  docs1.finalize(id2);
  CHECK_FALSE(colleague_gets(row2));
  c1.reset();  // closed
  CHECK(colleague_gets(row2));
  CHECK(backup_gets_the_gate());
}

// Issue 30: a conversion's commit (and a credit note's, and the finalization of a draft made
// from another document) left its locks to the close and then read the party and the source
// document for its answer: that read gave all of them back first, one unlock call each (23
// for a conversion of ten stock lines, each a round trip on a share). The answer is made of
// what the action read before its commit.
TEST_CASE("a conversion, a credit note and a converted draft's finalization read nothing after their commit",
          "[app][folder]") {
#ifdef _WIN32
  return;  // a closed handle's locks go only "eventually": unlocked at the commit (engine test)
#endif
  TwoWorkstations w;
  store::Documents docs1(*w.c1);
  const int32_t q = docs1.create(DocType::quote, "PEETERS");
  docs1.add_line(q, art("LAMP", "2"));
  const auto quote = docs1.finalize(q);

  w.c1->storage().leave_locks_to_close();
  const auto inv = docs1.convert(q, DocType::invoice, fin());
  CHECK(inv.source_label == quote.label);  // as read under the quote's lock
  CHECK(inv.party_code == "PEETERS");
  CHECK_FALSE(w.colleague_gets(quote.doc.row));  // the conversion's lock of the quote is still ours
  CHECK(docs1.show(q).doc.id == q);  // used again: they go first
  CHECK(w.colleague_gets(quote.doc.row));

  w.c1->storage().leave_locks_to_close();
  const auto crn = docs1.credit(inv.doc.id, {}, fin());
  CHECK(crn.source_label == inv.label);
  CHECK(crn.party_name == inv.party_name);
  CHECK_FALSE(w.colleague_gets(inv.doc.row));
  CHECK(docs1.show(q).doc.id == q);
  CHECK(w.colleague_gets(inv.doc.row));

  const int32_t q2 = docs1.create(DocType::quote, "PEETERS");
  docs1.add_line(q2, art("LAMP", "1"));
  const auto quote2 = docs1.finalize(q2);
  const auto draft = docs1.convert(q2, DocType::invoice, {});
  w.c1->storage().leave_locks_to_close();
  const auto invoice2 = docs1.finalize(draft.doc.id);
  CHECK(invoice2.source_label == quote2.label);
  CHECK(invoice2.party_code == "PEETERS");
  CHECK_FALSE(w.colleague_gets(draft.doc.row));
  w.c1.reset();
  CHECK(w.colleague_gets(draft.doc.row));
}

// Issue 30: a document's lines and their articles are read in read batches inside an action
// too (Storage::range_all, find_each); once the action has written the table, what it reads is
// what it wrote, not the file.
// Issue 30: the web front end answered a finalization with show() read after the commit: the
// document, its party, lines and articles read again (13 round trips on a share). The answer is
// now made of what the action read and wrote; it must be what show() gives.
TEST_CASE("a finalization asked for the shown document answers as show() does after its commit", "[app]") {
  BaseCompany co;
  store::Documents docs(*co.c);
  // Stocked and unstocked articles, a free-text line; the stock goes below zero (a warning,
  // which the answer keeps).
  int32_t inv = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(inv, art("LAMP", "105", "5"));
  docs.add_line(inv, art("BROOD", "4"));
  docs.add_line(inv, text_line("Werkuren", "1.5", "55", "21"));
  const auto v = docs.finalize(inv, shown());
  CHECK(v.doc.status == domain::DocStatus::final);
  REQUIRE(v.lines.size() == 3);
  REQUIRE(v.lines[0].article);
  CHECK(v.lines[0].article->stock.to_string() == "-5.000");  // as the commit wrote it
  CHECK_FALSE(v.warnings.empty());
  REQUIRE(v.payment);
  check_same_view(v, docs.show(inv));

  // A draft made from a final quote: its source named; an answer without `shown` has no lines.
  int32_t q = docs.create(DocType::quote, "PEETERS");
  docs.add_line(q, art("LAMP", "2"));
  docs.finalize(q);
  const int32_t from_quote = docs.convert(q, DocType::invoice).doc.id;
  const auto w = docs.finalize(from_quote, shown());
  CHECK(w.source_label == docs.show(q).label);
  check_same_view(w, docs.show(from_quote));
  // The quote shows what was made from it.
  CHECK(docs.show(q).made_from_it.size() == 1);
  int32_t plain = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(plain, art("BROOD", "1"));
  CHECK(docs.finalize(plain).lines.empty());

  // In the page's language (the labels of the document, its source, what was made from it).
  int32_t nl = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(nl, art("LAMP", "1"));
  auto in_nl = shown();
  in_nl.lang = "nl";
  const auto n = docs.finalize(nl, in_nl);
  CHECK(n.label.rfind("factuur", 0) == 0);
  check_same_view(n, docs.show(nl, "nl"));

  // A document's page weighs its credit room with the lines and articles it shows: the same as
  // reading them again (an article on two lines, a free-text line).
  int32_t twice = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(twice, art("LAMP", "2"));
  docs.add_line(twice, text_line("Werkuren", "1", "55", "21"));
  docs.add_line(twice, art("LAMP", "3"));
  docs.add_line(twice, art("BROOD", "1"));
  const auto page = docs.finalize(twice, shown());
  const auto from_page = store::credit_state(*co.c, page.doc, 0, &page.lines);
  const auto read_again = store::credit_state(*co.c, page.doc, 0);
  REQUIRE(from_page.invoice.stock_out.size() == 1);  // LAMP, 5: BROOD is not stocked
  REQUIRE(read_again.invoice.stock_out.size() == 1);
  CHECK(from_page.invoice.stock_out[0].article == read_again.invoice.stock_out[0].article);
  CHECK(from_page.invoice.stock_out[0].quantity.to_string() == "5.000");
  CHECK(read_again.invoice.stock_out[0].quantity.to_string() == "5.000");
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("inside an action, the lines and articles read together include the action's own changes",
          "[app][folder]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), store_test::licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  const int32_t id = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(id, art("BROOD", "1"));
  docs.add_line(id, art("LAMP", "2"));
  auto& s = c->storage();
  const std::vector<Value> doc{Value::integer(id)};
  store::Action a(s);
  const auto lines = s.range_all(store::Tbl::docline, "DOC", doc);
  REQUIRE(lines.size() == 2);
  const store::Line first = store::line_from(lines[0]), second = store::line_from(lines[1]);
  CHECK(first.lineno == 1);
  CHECK(second.quantity.to_string() == "2.000");
  const std::vector<std::vector<Value>> arts{{Value::integer(second.article)}, {Value::integer(first.article)}};
  const auto before = s.find_each(store::Tbl::article, "ID", arts);
  REQUIRE(before.size() == 2);
  REQUIRE(before[0]);
  REQUIRE(before[1]);
  CHECK(store::article_from(*before[0]).code == "LAMP");
  CHECK(store::article_from(*before[1]).code == "BROOD");
  const auto missing = s.find_each(store::Tbl::article, "ID", {{Value::integer(999999)}, arts[0], {Value::integer(999998)}});
  REQUIRE(missing.size() == 3);
  CHECK_FALSE(missing[0]);
  CHECK(missing[1]);
  CHECK_FALSE(missing[2]);

  s.lock(store::Tbl::article, before[0]->id, c->lock_wait());
  s.update(store::Tbl::article, before[0]->id, store::Row().text(store::fld::descr, "Lamp, changed"));
  s.lock(store::Tbl::docline, lines[1].id, c->lock_wait());
  s.update(store::Tbl::docline, lines[1].id, store::Row().dec(store::fld::quantity, domain::Decimal::from_integer(5)));
  const auto after = s.find_each(store::Tbl::article, "ID", arts);
  REQUIRE(after[0]);
  CHECK(store::article_from(*after[0]).description == "Lamp, changed");
  CHECK(store::article_from(*after[1]).code == "BROOD");
  const auto lines_after = s.range_all(store::Tbl::docline, "DOC", doc);
  REQUIRE(lines_after.size() == 2);
  CHECK(store::line_from(lines_after[1]).quantity.to_string() == "5.000");
  a.commit();

  // A table the action joined by a lock before it read its index (a fresh program): read as
  // range() reads, without a batch (a review found the scope alone would not load the index).
  auto fresh = open(d.path(), "bert");
  auto& s2 = fresh->storage();
  store::Action b(s2);
  s2.lock(store::Tbl::docline, lines[0].id, fresh->lock_wait());
  const auto locked_first = s2.range_all(store::Tbl::docline, "DOC", doc);
  REQUIRE(locked_first.size() == 2);
  CHECK(store::line_from(locked_first[1]).quantity.to_string() == "5.000");
}

TEST_CASE("seats: one program per seat, the next is told who holds them", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed(domain::Edition::basic));  // 3 seats
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

TEST_CASE("an empty folder, a missing one or a file given as the data folder is not a company data folder",
          "[app][folder]") {
  TempDir d;
  fs::create_directories(d / "empty");
  xbase::test::write_file(d / "afile", "not a folder");
  for (const fs::path& p : {d / "empty", d / "missing", d / "afile"}) {
    try {
      open(p);
      FAIL("opened " << p.string());
    } catch (const store::UserError& e) {
      CHECK(std::string(e.what()).find("is not a company data folder (no SCHEMA.DBF)") != std::string::npos);
    }
  }
}

TEST_CASE("schema 5: a folder of schema 4 gets the STATUS and TYPE indexes of its documents", "[app][folder]") {
  TempDir d;
  store::InitOptions o;
  o.schema_version = 4;
  store::Company::init(store_test::company_at(d.path()), o);
  auto tags = [&] {
    xbase::OpenOptions ro;
    ro.read_only = true;
    std::vector<std::string> names;
    auto doc = xbase::Table::open(d / "DOC.DBF", ro);
    for (const auto& t : doc->tags()) names.push_back(t.name + "=" + t.key_expr);
    return names;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  CHECK(!has(tags(), "STATUS=STATUS+STR(ID,11)"));
  auto c = open(d.path());
  REQUIRE(c->upgrade());
  CHECK(c->upgrade()->from == 4);
  CHECK(store::Company::schema_version_of(d.path()) == store::kSchemaVersion);
  const auto now = tags();
  CHECK(has(now, "STATUS=STATUS+STR(ID,11)"));
  CHECK(has(now, "TYPE=TYPE+STR(ID,11)"));
  CHECK(c->storage().check().empty());
}

TEST_CASE("schema versions: an older folder is upgraded in place with a backup, a newer refused", "[app][folder]") {
  TempDir d;
  store::InitOptions o;
  o.schema_version = 1;
  store::Company::init(store_test::company_at(d.path()), o);
  {
    // Version 1 data: an article without MINSTOCK, no AUDIT table, a customer with a balance.
    xbase::OpenOptions ex;
    auto a = xbase::Table::open(d / "ARTICLE.DBF", ex);
    CHECK(!a->field_index("MINSTOCK"));
    a->append(std::vector<Value>{Value::empty(), Value::text("LAMP"), Value::text("LED-lamp"), Value::text("pc"),
                                 Value::number("6.95"), Value::text("S"), Value::number("21"), Value::logical(true),
                                 Value::number("7")});
    auto m = xbase::Table::open(d / "STOCKMOV.DBF", ex);
    m->append(std::vector<Value>{Value::empty(), a->read(1).get("ID"), Value::integer(0), Value::number("7")});
    auto cu = xbase::Table::open(d / "CUSTOMER.DBF", ex);
    cu->append(std::vector<Value>{Value::empty(), Value::text("ZOË"), Value::text("Zoë"), Value::text(""),
                                  Value::text(""), Value::text(""), Value::text("BE"), Value::text("BE0414445663")});
    CHECK(!fs::exists(d / "AUDIT.DBF"));
  }
  CHECK(store::Company::schema_version_of(d.path()) == 1);
  auto c = open(d.path());
  REQUIRE(c->upgrade());
  CHECK(c->upgrade()->from == 1);
  CHECK(fs::exists(c->upgrade()->backup / "ARTICLE.DBF"));
  CHECK(store::Company::schema_version_of(d.path()) == store::kSchemaVersion);
  store::Articles arts(*c);
  auto lamp = arts.get("lamp");
  CHECK(lamp.stock.to_string() == "7.000");
  CHECK(lamp.kind == "G");
  // A new article gets the next id, not one the copy took already.
  store::ArticleInput brood;
  brood.code = "BROOD";
  brood.description = "Brood";
  brood.vat_rate = "6";
  CHECK(arts.add(brood).id == lamp.id + 1);
  // Customers with a VAT number became businesses; the code is found however it is typed.
  auto zoe = store::Parties(*c, store::PartyKind::customer).get("zoë");
  CHECK(zoe.business);
  CHECK(fs::exists(d / "AUDIT.DBF"));
  CHECK(fs::exists(d / "PAYMENT.DBF"));
  for (const auto& def : store::dictionary())
    CHECK(xbase::check_table(d / (def.name + ".DBF")).problems() == 0);
  auto problems = store::verify(*c);
  CHECK(problems.empty());
  for (const auto& p : problems) WARN(p);
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

// Programs before schema 4 swapped a rebuilt table in DBF first: killed right after that
// rename, the folder kept CUSTOMER.DBF without its memo (CUSTOMER.NEW.FPT) and the next upgrade
// opened it as complete. Now the DBF is renamed last, and an upgrade finishes such a swap.
TEST_CASE("an upgrade finishes a table swap that was cut off after the DBF was renamed in", "[app][folder]") {
  TempDir d;
  store::InitOptions o;
  o.schema_version = 2;
  store::Company::init(d.path(), o);
  {
    auto cu = xbase::Table::open(d / "CUSTOMER.DBF", xbase::OpenOptions{});
    std::vector<Value> v(cu->fields().size(), Value::empty());
    v[*cu->field_index("CODE")] = Value::text("ZOE");
    v[*cu->field_index("NAME")] = Value::text("Zoë");
    v[*cu->field_index("NOTE")] = Value::text("pays on the 15th");
    cu->append(v);
  }
  // The state the old swap left: every old file removed, the new DBF renamed in, its memo and
  // index not yet (the "new" table is a copy here; the upgrade then rebuilds it properly).
  for (const char* ext : {".DBF", ".FPT", ".CDX"})
    fs::copy_file(d / (std::string("CUSTOMER") + ext), d / (std::string("CUSTOMER.NEW") + ext));
  for (const char* ext : {".DBF", ".FPT", ".CDX"}) fs::remove(d / (std::string("CUSTOMER") + ext));
  fs::rename(d / "CUSTOMER.NEW.DBF", d / "CUSTOMER.DBF");

  auto c = open(d.path());
  REQUIRE(c->upgrade());
  CHECK(!fs::exists(d / "CUSTOMER.NEW.FPT"));
  CHECK(!fs::exists(d / "CUSTOMER.NEW.CDX"));
  auto zoe = store::Parties(*c, store::PartyKind::customer).get("ZOE");
  CHECK(zoe.name == "Zoë");
  CHECK(zoe.note == "pays on the 15th");
  CHECK(xbase::check_table(d / "CUSTOMER.DBF").problems() == 0);
}

// swap_in_table renames the DBF last: cut off anywhere before, the folder has no DBF (finished
// by finish_table_swap) or the old one beside the new files (which go).
TEST_CASE("a table swap cut off at any step is settled without losing the new table", "[app][folder]") {
  for (int cut = 0; cut <= 3; ++cut) {
    TempDir d;
    store::InitOptions o;
    store::Company::init(d.path(), o);
    {
      auto c = open(d.path());
      store::PartyInput in;
      in.code = "ZOE";
      in.name = "Zoë";
      in.note = "new";
      store::Parties(*c, store::PartyKind::customer).add(in);
    }
    const fs::path dbf = d / "CUSTOMER.DBF", fresh = d / "CUSTOMER.NEW.DBF";
    for (const char* ext : {".DBF", ".FPT", ".CDX"})
      fs::copy_file(d / (std::string("CUSTOMER") + ext), d / (std::string("CUSTOMER.NEW") + ext));
    // swap_in_table's steps, stopped after `cut` of them: old DBF removed, FPT in, CDX in.
    if (cut >= 1) fs::remove(dbf);
    if (cut >= 2) fs::rename(d / "CUSTOMER.NEW.FPT", d / "CUSTOMER.FPT");
    if (cut >= 3) fs::rename(d / "CUSTOMER.NEW.CDX", d / "CUSTOMER.CDX");
    store::folder::finish_table_swap(fresh, dbf);
    INFO("cut after step " << cut);
    CHECK(fs::exists(dbf));
    CHECK(!fs::exists(fresh));
    CHECK(!fs::exists(d / "CUSTOMER.NEW.FPT"));
    CHECK(xbase::check_table(dbf).problems() == 0);
    auto c = open(d.path());
    CHECK(store::Parties(*c, store::PartyKind::customer).get("ZOE").note == "new");
  }
}

TEST_CASE("input is checked against the data dictionary before anything is written", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  store::Parties customers(*c, store::PartyKind::customer);
  auto refused = [&](store::PartyInput in, const std::string& says) {
    try {
      customers.add(in);
      FAIL("accepted: " << says);
    } catch (const store::UserError& e) {
      CHECK_THAT(e.what(), Catch::Contains(says));
    }
  };
  store::PartyInput p;
  p.code = "ABCDEFGHIJK";
  p.name = "x";
  refused(p, "a customer's code has at most 10 characters (11 given)");
  p.code = "OK";
  p.name = std::string(59, 'a') + "é";  // 60 characters, 61 bytes: fits
  CHECK(customers.add(p).name.size() == 61);
  p.code = "OK2";
  p.name = std::string("bell\atab\x1b[31mred");
  refused(p, "control character");
  p.name = "🍕";
  refused(p, "cannot hold");
  p.name = "Pizzeria";
  p.country = "Belgium";
  refused(p, "two-letter code");
  CHECK(rows(*c, store::Tbl::customer) == 1);
  store::ArticleInput a;
  a.code = "X";
  a.description = "x";
  a.price = "10000000000";
  CHECK_THROWS_WITH(store::Articles(*c).add(a),
                    "an article's price has at most 9 digits before the decimal point: 10000000000");
  a.price = "1.23456";
  // The same words as the line rules (domain/line_rules.h) use for a document line.
  CHECK_THROWS_WITH(store::Articles(*c).add(a), "an article's price has at most 4 decimals: 1.23456");
  a.price = "1.2345";
  a.vat_rate = "7";
  CHECK_THROWS_WITH(store::Articles(*c).add(a), Catch::Contains("does not exist in BE"));
}

TEST_CASE("two workstations adding the same customer code: the second is told the code exists", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed(domain::Edition::basic));
  auto a = open(d.path(), "anna");
  auto b = open(d.path(), "bert");
  store::PartyInput p;
  p.code = "Zoë";
  p.name = "Zoë";
  store::Parties(*a, store::PartyKind::customer).add(p);
  p.code = "ZOË";  // the same code as the index sees it
  CHECK_THROWS_WITH(store::Parties(*b, store::PartyKind::customer).add(p), "customer code ZOË exists already");
}

// A customer or supplier (per kind) and an article, each added with `code` and deleted: the
// folder's CANDIDATE tags keep a deleted record's key (as Visual FoxPro's do).
namespace deleted_codes {
void add_and_remove(store::Parties& parties, const std::string& code) {
  store::PartyInput p;
  p.code = code;
  p.name = "Typed by mistake";
  parties.add(p);
  parties.remove(code);
}
void add_and_remove(store::Articles& articles, const std::string& code) {
  store::ArticleInput a;
  a.code = code;
  a.description = "Wrong";
  a.price = "1";
  articles.add(a);
  articles.remove(code);
}
constexpr store::PartyKind party_kinds[] = {store::PartyKind::customer, store::PartyKind::supplier};
}  // namespace deleted_codes

TEST_CASE("a deleted customer's, supplier's or article's code can be given again", "[app]") {
  // The code was refused as existing although no list showed it.
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path(), "anna");
  for (auto kind : deleted_codes::party_kinds) {
    store::Parties parties(*c, kind);
    deleted_codes::add_and_remove(parties, "MISTAKE");
    store::PartyInput p;
    p.code = "mistake";
    p.name = "Meant";
    const store::Party again = parties.add(p);
    CHECK(again.code == "mistake");
    REQUIRE(parties.list().size() == 1);
    CHECK(parties.list()[0].name == "Meant");
    p.code = "MISTAKE";  // one live record with that code: still refused
    CHECK_THROWS_WITH(parties.add(p), Catch::EndsWith("code MISTAKE exists already"));
  }
  store::Articles articles(*c);
  deleted_codes::add_and_remove(articles, "A1");
  store::ArticleInput a;
  a.code = "A1";
  a.description = "Right";
  a.price = "1";
  articles.add(a);
  REQUIRE(articles.list().size() == 1);
  CHECK(articles.list()[0].description == "Right");
  CHECK(store::verify(*c).empty());
}

TEST_CASE("a code a deleted customer, supplier or article held can be taken by an edit", "[app]") {
  // Renaming a live record to a deleted one's code was refused ("exists already").
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path(), "anna");
  for (auto kind : deleted_codes::party_kinds) {
    store::Parties parties(*c, kind);
    deleted_codes::add_and_remove(parties, "OLD");
    store::PartyInput p;
    p.code = "NEW";
    p.name = "Kept";
    parties.add(p);
    store::PartyInput rename;
    rename.code = "old";
    CHECK(parties.edit("NEW", rename).code == "old");
    REQUIRE(parties.list().size() == 1);
    CHECK(parties.list()[0].name == "Kept");
    p.code = "OLD";  // now a live record holds it: refused
    CHECK_THROWS_WITH(parties.add(p), Catch::EndsWith("code OLD exists already"));
    p.code = "NEW";  // and the code given up is free
    CHECK(parties.add(p).code == "NEW");
  }
  store::Articles articles(*c);
  deleted_codes::add_and_remove(articles, "A1");
  store::ArticleInput a;
  a.code = "A2";
  a.description = "Right";
  a.price = "1";
  articles.add(a);
  store::ArticleInput rename;
  rename.code = "A1";
  CHECK(articles.edit("A2", rename).description == "Right");
  REQUIRE(articles.list().size() == 1);
  CHECK(articles.list()[0].code == "A1");
  CHECK(store::verify(*c).empty());
}

TEST_CASE("seats and audit records take any user and workstation name, shortened to fit", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  store::OpenOptions o;
  o.who = {"🍕" + std::string(28, 'u'), std::string(42, 'w')};
  auto c = store::Company::open(store_test::company_at(d.path()), o);
  CHECK(c->who().user == "?" + std::string(19, 'u'));
  CHECK(c->who().workstation == std::string(30, 'w'));
  base_data(*c);
  CHECK(store::Parties(*c, store::PartyKind::customer).list().size() == 1);
}

TEST_CASE("both backends: tables are written in dictionary order within an action", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  auto& s = c->storage();
  store::Action a(s);
  store::Row audit;
  audit.text(store::fld::action, "TEST");
  s.insert(store::Tbl::audit, audit);
  store::Row art;
  art.text(store::fld::code, "LATE");
  CHECK_THROWS_AS(s.insert(store::Tbl::article, art), std::logic_error);
}

TEST_CASE("ranges walk an index by its leading fields, and may read the same table inside", "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  int32_t a = docs.create(DocType::quote, "PEETERS");
  int32_t b = docs.create(DocType::quote, "PEETERS");
  for (int i = 0; i < 3; ++i) docs.add_line(a, art("BROOD", std::to_string(i + 1)));
  docs.add_line(b, art("LAMP", "1"));
  std::vector<int64_t> seen;
  c->storage().range(store::Tbl::docline, "DOC", {Value::integer(a)}, [&](const store::Row& r) {
    seen.push_back(r.integer(store::fld::line_no));
    CHECK(docs.show(b).lines.size() == 1);  // another walk of DOCLINE inside this one
    return true;
  });
  CHECK(seen == std::vector<int64_t>{1, 2, 3});
}

// Issue 30: outside an action a data folder reads a range's rows ahead in read batches (8, 16,
// 32, then 64 rows after the first two) and hands them on once each batch has let go. Every
// row once, in order, wherever the range or the caller stops, and the caller may read other
// tables and change the rows meanwhile (inside a batch either would be refused).
TEST_CASE("a range read ahead in batches hands every row once in order, and its caller may read and change meanwhile",
          "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  const int32_t a = docs.create(DocType::quote, "PEETERS");
  const int32_t b = docs.create(DocType::quote, "PEETERS");  // its lines follow a's in the DOC index
  constexpr int kLines = 140;  // 2 alone + 8 + 16 + 32 + 64 = 122, then a second 64
  for (int i = 0; i < kLines; ++i) docs.add_line(a, art("BROOD", std::to_string(i + 1)));
  docs.add_line(b, art("LAMP", "1"));
  auto& s = c->storage();
  auto lines = [&](size_t most) {
    std::vector<int64_t> seen;
    s.range(store::Tbl::docline, "DOC", {Value::integer(a)}, [&](const store::Row& r) {
      seen.push_back(r.integer(store::fld::line_no));
      return seen.size() < most;
    });
    return seen;
  };
  for (size_t most : {size_t(1), size_t(2), size_t(3), size_t(10), size_t(11), size_t(26), size_t(27), size_t(122),
                      size_t(123), size_t(kLines), size_t(kLines + 5)}) {
    INFO("the caller stops after " << most);
    const auto seen = lines(most);
    REQUIRE(seen.size() == std::min<size_t>(most, kLines));
    for (size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == int64_t(i + 1));
  }
  // Backward over the whole DOC index (document, then line number), across several batches.
  std::vector<int64_t> back;
  s.walk(store::Tbl::docline, "DOC", {}, true, [&](const store::Row& r) {
    back.push_back(r.integer(store::fld::doc_id) * 1000 + r.integer(store::fld::line_no));
    return true;
  });
  REQUIRE(back.size() == size_t(kLines + 1));
  CHECK(back.front() == int64_t(b) * 1000 + 1);
  CHECK(back.back() == int64_t(a) * 1000 + 1);
  CHECK(std::adjacent_find(back.begin(), back.end(), std::less_equal<int64_t>()) == back.end());  // strictly falling
  // The caller reads another table and changes the row it was handed, each in its own action.
  int handed = 0;
  s.range(store::Tbl::docline, "DOC", {Value::integer(a)}, [&](const store::Row& r) {
    ++handed;
    CHECK(s.find(store::Tbl::customer, "CODE", {Value::text("PEETERS")}));
    store::Action act(s);
    store::Row ch;
    ch.text(store::fld::descr, "seen " + std::to_string(r.integer(store::fld::line_no)));
    s.update(store::Tbl::docline, r.id, ch);
    act.commit();
    return true;
  });
  CHECK(handed == kLines);
  const auto shown = docs.show(a).lines;
  REQUIRE(shown.size() == size_t(kLines));
  for (const auto& l : shown) CHECK(l.line.description == "seen " + std::to_string(l.line.lineno));
}

// Review of the read batches: the batch size was 8 << (round - 2), capped at 64 only after
// the shift: past about 3,770 rows the shift overflowed (undefined behaviour, which the
// sanitizer build stops at), and three batches read nothing.
TEST_CASE("[folder] a walk over thousands of rows hands every one on, in batches of at most 64", "[app][folder]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  {
    auto c = open(d.path());
    store::PartyInput in;
    in.code = "K0000";
    in.name = "Klant 0";
    store::Parties(*c, store::PartyKind::customer).add(in);
  }
  constexpr int kRows = 4000;
  {
    // Written straight into the table (thousands of actions would take seconds).
    xbase::OpenOptions o;
    o.exclusive = true;
    auto t = xbase::Table::open(store::folder::table_path(d.path(), store::table_def(store::Tbl::customer)), o);
    const size_t code = t->field_index_or_throw("CODE"), id = t->field_index_or_throw("ID");
    const auto first = t->read(1);
    std::vector<Value> values;
    for (size_t i = 0; i < t->fields().size(); ++i) values.push_back(first.get(i));
    for (int i = 1; i < kRows; ++i) {
      values[code] = Value::text(fmt::format("K{:04}", i));
      values[id] = Value::integer(i + 1);
      t->append(values);
    }
  }
  auto c = open(d.path());
  std::vector<std::string> codes;
  c->storage().walk(store::Tbl::customer, "CODE", {}, false, [&](const store::Row& r) {
    codes.push_back(r.text(store::fld::code));
    return true;
  });
  REQUIRE(codes.size() == size_t(kRows));
  for (int i = 0; i < kRows; ++i) CHECK(codes[size_t(i)] == fmt::format("K{:04}", i));
}

// Second review of the read batches: the size of a round was tested only by a walk long
// enough to overflow it, which only the sanitizer build could see.
TEST_CASE("[folder] the rows a range reads per round stay between 1 and 64", "[app][folder]") {
  using store::folder::FolderStorage;
  CHECK(std::vector<size_t>{FolderStorage::batch_rows(0), FolderStorage::batch_rows(1), FolderStorage::batch_rows(2),
                            FolderStorage::batch_rows(3), FolderStorage::batch_rows(4), FolderStorage::batch_rows(5)} ==
        std::vector<size_t>{1, 1, 8, 16, 32, 64});
  bool bounded = true;
  for (size_t round = 0; round < 100000; ++round)
    bounded = bounded && FolderStorage::batch_rows(round) >= 1 && FolderStorage::batch_rows(round) <= 64;
  CHECK(bounded);
}

// Review of the read batches: a row read ahead that does not decode must fail the range only
// where the caller reaches it; a caller that stopped before it never met it.
TEST_CASE("[folder] a row read ahead that does not decode fails a range only where the caller reaches it",
          "[app][folder]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  int32_t a = 0;
  {
    auto c = open(d.path());
    base_data(*c);
    store::Documents docs(*c);
    a = docs.create(DocType::quote, "PEETERS");
    for (int i = 0; i < 6; ++i) docs.add_line(a, art("BROOD", std::to_string(i + 1)));
  }
  {
    // Line 5's quantity made unreadable in the file.
    const auto path = store::folder::table_path(d.path(), store::table_def(store::Tbl::docline));
    xbase::OpenOptions o;
    o.exclusive = true;
    auto t = xbase::Table::open(path, o);
    const size_t lineno = t->field_index_or_throw("LINENO");
    uint32_t rec = 0;
    t->scan([&](const xbase::Record& r) {
      if (std::stoi(r.get(lineno).str()) == 5) rec = r.recno();
      return rec == 0;
    });
    REQUIRE(rec != 0);
    const uint64_t at = uint64_t(t->info().header_length) + uint64_t(rec - 1) * t->info().record_length +
                        t->fields()[t->field_index_or_throw("QTY")].offset;
    t->close();
    auto f = xbase::FileSystem::os().open(path, xbase::OpenMode::read_write);
    f->write_at(at, "1.2.3.4x", 8);
  }
  auto c = open(d.path());
  auto lines = [&](size_t most) {
    std::vector<int64_t> seen;
    c->storage().range(store::Tbl::docline, "DOC", {Value::integer(a)}, [&](const store::Row& r) {
      seen.push_back(r.integer(store::fld::line_no));
      return seen.size() < most;
    });
    return seen;
  };
  CHECK(lines(3) == std::vector<int64_t>{1, 2, 3});
  CHECK(lines(4) == std::vector<int64_t>{1, 2, 3, 4});
  CHECK_THROWS(lines(6));
}

// Third review of the read batches: inside an action rows were read ahead too (no batch, but
// up to 64 rows before the caller saw them): a row the action changed meanwhile was handed on
// as it was before.
TEST_CASE("[folder] inside an action a range hands each row on as it is when reached", "[app][folder]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  const int32_t a = docs.create(DocType::quote, "PEETERS");
  for (int i = 0; i < 20; ++i) docs.add_line(a, art("BROOD", std::to_string(i + 1)));
  auto& s = c->storage();
  std::map<int64_t, std::string> seen;
  store::Action act(s);
  s.range(store::Tbl::docline, "DOC", {Value::integer(a)}, [&](const store::Row& r) {
    const int64_t n = r.integer(store::fld::line_no);
    seen[n] = r.text(store::fld::descr);
    if (n >= 3) {  // past the rows read alone: the next one changed before it is reached
      std::optional<store::Row> next = s.find(store::Tbl::docline, "DOC", {Value::integer(a), Value::integer(n + 1)});
      if (next) {
        store::Row ch;
        ch.text(store::fld::descr, "changed before line " + std::to_string(n + 1) + " was reached");
        s.update(store::Tbl::docline, next->id, ch);
      }
    }
    return true;
  });
  act.commit();
  REQUIRE(seen.size() == 20u);
  for (int64_t n = 4; n <= 20; ++n) CHECK(seen[n] == "changed before line " + std::to_string(n) + " was reached");
}

// Issue 30: a document's articles are looked up together (Storage::find_each: on a data
// folder one read batch for all of them).
TEST_CASE("both backends: find_each answers each key in its order, a missing key empty, past a deleted row",
          "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  const int32_t a = docs.create(DocType::quote, "PEETERS");
  for (int i = 0; i < 4; ++i) docs.add_line(a, art(i % 2 ? "LAMP" : "BROOD", std::to_string(i + 1)));
  auto& s = c->storage();
  {
    // Line 1 removed: the DOC key's first row is line 2 now.
    store::Action act(s);
    auto first = s.find(store::Tbl::docline, "DOC", {Value::integer(a), Value::integer(1)});
    REQUIRE(first);
    s.remove(store::Tbl::docline, first->id);
    act.commit();
  }
  const auto rows = s.find_each(store::Tbl::docline, "DOC",
                                {{Value::integer(a), Value::integer(3)}, {Value::integer(a + 50)}, {Value::integer(a)},
                                 {Value::integer(a), Value::integer(3)}, {Value::integer(a), Value::integer(1)}});
  REQUIRE(rows.size() == 5u);
  REQUIRE(rows[0]);
  CHECK(rows[0]->integer(store::fld::line_no) == 3);
  CHECK_FALSE(rows[1]);
  REQUIRE(rows[2]);
  CHECK(rows[2]->integer(store::fld::line_no) == 2);
  REQUIRE(rows[3]);
  CHECK(rows[3]->id == rows[0]->id);
  CHECK_FALSE(rows[4]);
  // What a document's page shows: each line with its article's code.
  const auto shown = docs.show(a).lines;
  REQUIRE(shown.size() == 3u);
  CHECK(shown[0].article_code == "LAMP");
  CHECK(shown[1].article_code == "BROOD");
  CHECK(shown[2].article_code == "LAMP");
}

TEST_CASE("both backends: find_locked returns the first row of a key, locked and as it is now, past a deleted one, and has_key",
          "[app]") {
  TempDir d;
  store::Company::init(store_test::company_at(d.path()), licensed());
  auto c = open(d.path());
  base_data(*c);
  store::Documents docs(*c);
  int32_t a = docs.create(DocType::quote, "PEETERS");
  for (int i = 0; i < 3; ++i) docs.add_line(a, art("BROOD", std::to_string(i + 1)));
  auto& s = c->storage();
  auto other = open(d.path(), "bert");
  const std::vector<Value> key = {Value::integer(a)};
  {
    store::Action act(s);
    auto first = s.find_locked(store::Tbl::docline, "DOC", key, std::chrono::milliseconds(500));
    REQUIRE(first);
    CHECK(first->integer(store::fld::line_no) == 1);
    // Ours until the action ends: another workstation waits for it, then is told.
    store::Action theirs(other->storage());
    CHECK_THROWS_AS(other->storage().lock(store::Tbl::docline, first->id, std::chrono::milliseconds(50)), store::Busy);
    // A row it removes is not found again; the next row of the key is.
    s.remove(store::Tbl::docline, first->id);
    auto next = s.find_locked(store::Tbl::docline, "DOC", key, std::chrono::milliseconds(500));
    REQUIRE(next);
    CHECK(next->integer(store::fld::line_no) == 2);
    act.commit();
  }
  // Removed for everyone now: the first row of the key is line 2.
  {
    store::Action act(s);
    auto now = s.find_locked(store::Tbl::docline, "DOC", key, std::chrono::milliseconds(500));
    REQUIRE(now);
    CHECK(now->integer(store::fld::line_no) == 2);
    CHECK_FALSE(s.find_locked(store::Tbl::docline, "DOC", {Value::integer(a + 100)}, std::chrono::milliseconds(500)));
  }
  CHECK(s.has_key(store::Tbl::docline, "DOC", key));
  CHECK_FALSE(s.has_key(store::Tbl::docline, "DOC", {Value::integer(a + 100)}));
}

// Customer K<i> "Klant <i>", every third one in Brugge, the others in Gent.
static void add_numbered_customer(store::Parties& customers, int i) {
  store::PartyInput in;
  in.code = fmt::format("K{:02}", i);
  in.name = fmt::format("Klant {}", i);
  in.city = i % 3 == 0 ? "Brugge" : "Gent";
  customers.add(in);
}

TEST_CASE("a party list with a limit stops after that many, in code order, searched or not", "[app]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  store::Parties customers(*c, store::PartyKind::customer);
  for (int i = 30; i >= 1; --i) add_numbered_customer(customers, i);
  store::PartyFilter f;
  f.limit = 5;
  auto page = customers.list(f);
  REQUIRE(page.size() == 5);
  CHECK(page.front().code == "K01");
  CHECK(page.back().code == "K05");
  f.search = "brugge";
  page = customers.list(f);
  REQUIRE(page.size() == 5);
  CHECK(page.front().code == "K03");
  CHECK(page.back().code == "K15");
  f.limit = 0;
  CHECK(customers.list(f).size() == 10);
  f.limit = 100;
  CHECK(customers.list(f).size() == 10);
}

TEST_CASE("both backends: a walk seeks an index key and goes forward or back from it, or from either end", "[app]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  store::Parties customers(*c, store::PartyKind::customer);
  for (const char* code : {"K03", "K01", "K05X", "K05", "K02", "K07", "K04"}) {
    store::PartyInput in;
    in.code = code;
    in.name = std::string("Klant ") + code;
    customers.add(in);
  }
  auto codes = [&](std::vector<Value> from, bool backward, size_t most = 100) {
    std::vector<std::string> out;
    c->storage().walk(store::Tbl::customer, "CODE", from, backward, [&](const store::Row& r) {
      out.push_back(r.text(store::fld::code));
      return out.size() < most;
    });
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(codes({}, false) == V{"K01", "K02", "K03", "K04", "K05", "K05X", "K07"});
  CHECK(codes({}, true, 3) == V{"K07", "K05X", "K05"});
  CHECK(codes({Value::text("K05")}, false, 3) == V{"K05", "K05X", "K07"});
  CHECK(codes({Value::text("k05")}, true, 3) == V{"K05", "K04", "K03"});  // the index is case-insensitive
  CHECK(codes({Value::text("K06")}, true) == V{"K05X", "K05", "K04", "K03", "K02", "K01"});
  CHECK(codes({Value::text("K06")}, false) == V{"K07"});
  CHECK(codes({Value::text("K08")}, true, 1) == V{"K07"});
  CHECK(codes({Value::text("K08")}, false).empty());
  CHECK(codes({Value::text("A")}, true).empty());
  std::vector<int64_t> ids;
  c->storage().walk(store::Tbl::customer, "ID", {Value::integer(3)}, true, [&](const store::Row& r) {
    ids.push_back(r.integer(store::fld::id));
    return true;
  });
  CHECK(ids == std::vector<int64_t>{3, 2, 1});
}

TEST_CASE("a party page seeks the code beside it: after the last code shown, or before the first", "[app]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  store::Parties customers(*c, store::PartyKind::customer);
  for (int i = 1; i <= 12; ++i) add_numbered_customer(customers, i);
  auto codes = [](const std::vector<store::Party>& ps) {
    std::vector<std::string> out;
    for (const auto& p : ps) out.push_back(p.code);
    return out;
  };
  using V = std::vector<std::string>;
  store::PartyFilter f;
  f.limit = 3;
  f.after = "k05";
  CHECK(codes(customers.list(f)) == V{"K06", "K07", "K08"});
  f.after = "K11";
  CHECK(codes(customers.list(f)) == V{"K12"});
  f.after = "";
  f.before = "K05";
  CHECK(codes(customers.list(f)) == V{"K02", "K03", "K04"});
  f.before = "K02";
  CHECK(codes(customers.list(f)) == V{"K01"});
  f.before = "K99";  // not a code: the page before where it would be
  CHECK(codes(customers.list(f)) == V{"K10", "K11", "K12"});
  f.before = "";
  f.after = "K03";
  f.search = "brugge";
  CHECK(codes(customers.list(f)) == V{"K06", "K09", "K12"});
  f.after = "K05";
  CHECK(codes(customers.list(f)) == V{"K06", "K09", "K12"});
  f.after = "";
  f.before = "K12";
  f.limit = 2;
  CHECK(codes(customers.list(f)) == V{"K06", "K09"});
}

TEST_CASE("a document page: the newest first up to a limit, filtered, with parties, sources and payment states", "[app]") {
  BaseCompany b;
  auto& c = *b.c;
  store::Documents docs(c);
  std::vector<int32_t> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(docs.create(DocType::invoice, "PEETERS"));
    docs.add_line(ids.back(), art("BROOD", "2"));
  }
  docs.finalize(ids[0]);
  docs.finalize(ids[1]);
  const int32_t quote = docs.create(DocType::quote, "PEETERS");
  docs.add_line(quote, art("LAMP", "1"));
  docs.finalize(quote);
  const int32_t made = docs.convert(quote, DocType::invoice).doc.id;
  store::DocFilter f;
  f.newest_first = true;
  f.limit = 3;
  auto page = docs.list(f);
  REQUIRE(page.size() == 3);
  CHECK(page[0].doc.id == made);
  CHECK(page[0].source_label == docs.show(quote).label);
  CHECK(page[1].doc.id == quote);
  CHECK(page[2].doc.id == ids[3]);
  CHECK(page[2].party_code == "PEETERS");
  CHECK(page[2].party_name == "Bakkerij Peeters");
  f.status = domain::DocStatus::final;
  f.type = DocType::invoice;
  page = docs.list(f);
  REQUIRE(page.size() == 2);
  CHECK(page[0].doc.id == ids[1]);
  REQUIRE(page[0].payment);
  CHECK(page[0].payment->open == page[0].doc.total_incl);
  // The same documents, states and names as the whole list gives.
  auto all = docs.list(store::DocFilter{});
  CHECK(all.size() == 6);
  CHECK(all[1].doc.id == page[0].doc.id);
  REQUIRE(all[1].payment);
  CHECK(all[1].payment->open == page[0].payment->open);
  store::DocFilter own;
  own.party = "PEETERS";
  own.newest_first = true;
  own.limit = 2;
  page = docs.list(own);
  REQUIRE(page.size() == 2);
  CHECK(page[0].doc.id == made);
  CHECK(page[1].doc.id == quote);

  // One status or one type by its index (schema 5), the newest first or the oldest first.
  store::DocFilter drafts;
  drafts.status = domain::DocStatus::draft;
  drafts.newest_first = true;
  drafts.limit = 10;
  page = docs.list(drafts);
  REQUIRE(page.size() == 3);
  CHECK(page[0].doc.id == made);
  CHECK(page[1].doc.id == ids[3]);
  CHECK(page[2].doc.id == ids[2]);
  drafts.newest_first = false;
  drafts.limit = 1;
  page = docs.list(drafts);
  REQUIRE(page.size() == 1);
  CHECK(page[0].doc.id == ids[2]);
  store::DocFilter quotes;
  quotes.type = DocType::quote;
  quotes.newest_first = true;
  quotes.limit = 10;
  page = docs.list(quotes);
  REQUIRE(page.size() == 1);
  CHECK(page[0].doc.id == quote);
  store::DocFilter withdrawn;
  withdrawn.status = domain::DocStatus::withdrawn;
  withdrawn.newest_first = true;
  withdrawn.limit = 10;
  CHECK(docs.list(withdrawn).empty());

  auto sum = docs.summary(1);
  CHECK(sum.n_drafts == 3);  // two invoices and the converted one
  REQUIRE(sum.drafts.size() == 1);
  CHECK(sum.drafts[0].doc.id == made);
  CHECK(sum.n_open == 2);
  REQUIRE(sum.open.size() == 1);
  CHECK(sum.open[0].doc.id == ids[1]);
  CHECK(sum.open[0].party_code == "PEETERS");
  REQUIRE(sum.open[0].payment);
  CHECK(sum.n_overdue == 0);
}

TEST_CASE("both backends: a draft's line moved to another place, the others close up, refused out of range or on a final document", "[app]") {
  BaseCompany b;
  store::Documents docs(*b.c);
  const int32_t id = docs.create(DocType::invoice, "PEETERS");
  docs.add_line(id, art("BROOD", "1"));
  docs.add_line(id, art("LAMP", "2"));
  docs.add_line(id, art("BROOD", "3"));
  const auto total = docs.show(id).doc.total_incl;
  auto order = [&] {
    std::vector<std::string> out;
    for (const auto& l : docs.show(id).lines) out.push_back(fmt::format("{}:{}{}", l.line.lineno, l.article_code, l.line.quantity.round(0).mantissa()));
    return out;
  };
  docs.move_line(id, 3, 1);
  CHECK(order() == std::vector<std::string>{"1:BROOD3", "2:BROOD1", "3:LAMP2"});
  docs.move_line(id, 1, 3);
  CHECK(order() == std::vector<std::string>{"1:BROOD1", "2:LAMP2", "3:BROOD3"});
  CHECK(docs.show(id).doc.total_incl == total);
  CHECK_THROWS_WITH(docs.move_line(id, 2, 4), Catch::Contains("has lines 1 to 3: there is no place 4"));
  CHECK_THROWS_WITH(docs.move_line(id, 5, 1), Catch::Contains("has no line 5"));
  docs.finalize(id);
  CHECK_THROWS_AS(docs.move_line(id, 2, 1), store::UserError);
  CHECK(order() == std::vector<std::string>{"1:BROOD1", "2:LAMP2", "3:BROOD3"});
}

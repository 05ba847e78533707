// Issue 19, numbering and dates: numbers follow date order within a series, dates far from
// today or in closed years are refused, fiscal years that do not start in January, and the
// free list of multi-user numbering handed out in date order.
#include <catch2/catch.hpp>

#include "domain/ogm.h"
#include "store/fiscal_years.h"
#include "store/numbering.h"
#include "store/settings.h"
#include "store_fixture.h"

using namespace store_test;
using xbase::test::TempDir;

namespace {

struct Company {
  TempDir dir;
  std::unique_ptr<store::Company> c;
  Company() {
    store::Company::init(store_test::company_at(dir.path()), licensed());
    c = open(dir.path());
    base_data(*c);
  }
};

int32_t draft(store::Documents& docs, xbase::Date date, DocType type = DocType::invoice) {
  int32_t id = docs.create(type, "PEETERS", date);
  docs.add_line(id, art("BROOD", "1"));
  return id;
}

}  // namespace

TEST_CASE("invoices dated 2026-11-30 and 2026-01-05 got numbers 3 and 4: a date before the series' last is refused",
          "[app]") {
  store::FixedToday today(day(2026, 12, 2));
  Company co;
  store::Documents docs(*co.c);
  for (int d : {2, 3}) docs.finalize(draft(docs, day(2026, 11, d)));
  auto third = docs.finalize(draft(docs, day(2026, 11, 30)));
  CHECK(third.doc.number == 3);
  int32_t late = draft(docs, day(2026, 1, 5));
  try {
    docs.finalize(late);
    FAIL("number 4 went to a document dated before number 3");
  } catch (const store::UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains("2026-11-30"));
    CHECK_THAT(e.what(), Catch::Contains("--redate"));
  }
  CHECK(docs.show(late).doc.status == domain::DocStatus::draft);  // nothing changed
  auto moved = docs.finalize(late, redate());  // the user confirmed
  CHECK(moved.doc.number == 4);
  CHECK(store::iso(moved.doc.date) == "2026-11-30");
  CHECK(moved.warnings.size() == 1);
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("dates before the previous fiscal year, far ahead, or impossible are refused", "[app]") {
  store::FixedToday today(day(2026, 3, 10));
  Company co;
  store::Documents docs(*co.c);
  CHECK_THROWS_WITH(docs.create(DocType::invoice, "PEETERS", day(25, 1, 1)),
                    Catch::Contains("before the previous fiscal year"));
  CHECK_THROWS_WITH(docs.create(DocType::invoice, "PEETERS", day(9999, 12, 31)),
                    Catch::Contains("more than 30 days after today"));
  CHECK_THROWS_WITH(docs.create(DocType::invoice, "PEETERS", day(2026, 4, 10)), Catch::Contains("2026-04-09"));
  // The previous fiscal year takes documents in its grace period only (31 days by default).
  CHECK_THROWS_WITH(docs.create(DocType::invoice, "PEETERS", day(2025, 12, 20)),
                    Catch::Contains("which took documents until 2026-01-31"));
  store::change_setting(*co.c, "previous_year_grace_days", "90");
  auto old = docs.finalize(draft(docs, day(2025, 12, 20)));
  CHECK(old.doc.year == 2025);
  CHECK(old.doc.number == 1);
  CHECK_THROWS_WITH(store::change_setting(*co.c, "previous_year_grace_days", "400"), Catch::Contains("0 to 366"));
}

TEST_CASE("a closed fiscal year takes no documents, and neither the current year nor one with drafts is closed", "[app]") {
  store::FixedToday today(day(2026, 1, 20));
  Company co;
  store::Documents docs(*co.c);
  store::FiscalYears years(*co.c);
  docs.finalize(draft(docs, day(2025, 12, 30)));
  int32_t waiting = draft(docs, day(2025, 12, 31));
  CHECK_THROWS_WITH(years.close(2026), Catch::Contains("the current one"));
  CHECK_THROWS_WITH(years.close(2025), Catch::Contains("still has 1 draft dated in it"));
  docs.cancel(waiting);
  auto closed = years.close(2025);
  CHECK(closed.closed);
  CHECK(closed.finals == 1);
  CHECK_THROWS_WITH(years.close(2025), Catch::Contains("closed already"));
  CHECK_THROWS_WITH(docs.create(DocType::invoice, "PEETERS", day(2025, 12, 31)),
                    Catch::Contains("fiscal year 2025 is closed"));
  CHECK_THROWS_AS(store::change_setting(*co.c, "closed_years", ""), store::UserError);  // never reopened
  auto list = years.list();
  REQUIRE(list.size() == 2);
  CHECK(list[0].year == 2025);
  CHECK(list[0].closed);
  CHECK_FALSE(list[1].closed);
}

TEST_CASE("a fiscal year starting in April: numbers, labels and payment references follow it", "[app]") {
  store::FixedToday today(day(2027, 2, 1));
  Company co;
  store::change_setting(*co.c, "fiscal_year_start_month", "4");
  store::Documents docs(*co.c);
  auto inv = docs.finalize(draft(docs, day(2027, 2, 1)));
  CHECK(inv.doc.year == 2026);  // 2026-04-01 .. 2027-03-31
  CHECK(inv.label == "invoice 2026/1");
  CHECK(inv.doc.ogm == domain::ogm_from_number(2026000001));
  // Fixed once documents exist.
  CHECK_THROWS_WITH(store::change_setting(*co.c, "fiscal_year_start_month", "1"),
                    Catch::Contains("documents are numbered in the fiscal years it defines"));
  // The next fiscal year starts its own series on 1 April.
  store::FixedToday april(day(2027, 4, 1));
  auto next = docs.finalize(draft(docs, day(2027, 4, 1)));
  CHECK(next.label == "invoice 2027/1");
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("multi-user: a released number went to an invoice dated after a higher number, now only a fitting date takes it",
          "[app]") {
  store::FixedToday today(day(2026, 2, 1));
  Company co;
  store::Numbering(*co.c).set_mode(domain::NumberingMode::multiuser, std::nullopt);
  store::Documents docs(*co.c);
  int32_t one = draft(docs, day(2026, 1, 10));
  int32_t two = draft(docs, day(2026, 1, 10));
  int32_t three = draft(docs, day(2026, 1, 12));
  docs.finalize(one);
  docs.finalize(three);
  docs.cancel(two);  // number 2 waits, between 2026-01-10 and 2026-01-12
  auto verify_says = store::verify(*co.c);
  REQUIRE(verify_says.size() == 1);
  CHECK_THAT(verify_says[0], Catch::Contains("number 2 is not issued"));
  // A new invoice dated today (2026-02-01) would break the order with number 2: it gets 4.
  int32_t later = draft(docs, day(2026, 2, 1));
  CHECK(docs.show(later).doc.number == 4);
  // One dated 2026-01-11 fits between 1 and 3: it takes number 2.
  int32_t fits = draft(docs, day(2026, 1, 11));
  CHECK(docs.show(fits).doc.number == 2);
  docs.finalize(fits);
  docs.finalize(later);
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("multi-user: a reserved number's draft dated after the next issued number is refused, or moved", "[app]") {
  store::FixedToday today(day(2026, 2, 1));
  Company co;
  store::Numbering(*co.c).set_mode(domain::NumberingMode::multiuser, std::nullopt);
  store::Documents docs(*co.c);
  int32_t first = draft(docs, day(2026, 1, 10));   // number 1, reserved on the 10th
  int32_t second = draft(docs, day(2026, 1, 15));  // number 2
  docs.finalize(second);
  store::DraftChange ch;
  ch.date = day(2026, 1, 20);  // after number 2's date
  docs.change(first, ch);
  CHECK_THROWS_WITH(docs.finalize(first), Catch::Contains("invoice 2026/2 is dated 2026-01-15"));
  auto moved = docs.finalize(first, redate());
  CHECK(moved.doc.number == 1);
  CHECK(store::iso(moved.doc.date) == "2026-01-15");
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("after switching numbering modes a number stayed in the free list: serialized numbering hands it out",
          "[app]") {
  store::FixedToday today(day(2026, 3, 10));
  Company co;
  store::Numbering numbering(*co.c);
  numbering.set_mode(domain::NumberingMode::multiuser, std::nullopt);
  store::Documents docs(*co.c);
  int32_t a = draft(docs, day(2026, 3, 10));
  int32_t b = draft(docs, day(2026, 3, 10));
  int32_t c = draft(docs, day(2026, 3, 10));
  docs.finalize(a);
  docs.finalize(c);
  docs.cancel(b);
  numbering.set_mode(domain::NumberingMode::serialized, std::nullopt);
  CHECK_FALSE(store::verify(*co.c).empty());  // 2 waits below final 3: verify says so
  auto next = docs.finalize(draft(docs, day(2026, 3, 10)));
  CHECK(next.doc.number == 2);
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("a draft moved to another fiscal year gives its reserved number back and takes one there", "[app]") {
  store::FixedToday today(day(2026, 1, 15));
  Company co;
  store::Numbering(*co.c).set_mode(domain::NumberingMode::multiuser, std::nullopt);
  store::Documents docs(*co.c);
  int32_t a = draft(docs, day(2026, 1, 15));
  int32_t b = draft(docs, day(2026, 1, 15));
  CHECK(docs.show(b).doc.number == 2);
  store::DraftChange ch;
  ch.date = day(2025, 12, 31);
  auto moved = docs.change(b, ch);
  CHECK(moved.doc.year == 2025);
  CHECK(moved.doc.number == 1);
  docs.finalize(a);
  docs.finalize(b);
  CHECK(store::verify(*co.c).empty());  // INV 2026 stepped back to 1; INV 2025 holds 1
}

// What only the PostgreSQL backend has to show (the rest of the store suite runs on it
// unchanged, see store_fixture.h): a lost connection loses the running action whole and says
// so, the program reconnects for the next one; a seat is freed when its program is killed; a
// refused duplicate does not spoil the action it happened in. Runs only against a server
// (tests/app/postgres/with_postgres.sh); without one it fails, never passes silently.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "store/parties.h"
#include "store/payments.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_schema.h"
#include "store_fixture.h"
#include "test_util.h"

using namespace invoicing;
using namespace store_test;
using xbase::test::TempDir;

namespace {

// Ends every other session of the company's database, as a server restart or a dropped
// network would.
void cut_connections(const std::string& target) {
  store::postgres::PgConnection admin(target);
  admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
             "pg_backend_pid()");
}

store::Row customer(const std::string& code) {
  store::Row r;
  r.text(store::fld::code, code).text(store::fld::name, code);
  return r;
}

}  // namespace

TEST_CASE("PostgreSQL: the suite runs against a server", "[postgres]") { REQUIRE(on_database()); }

TEST_CASE("PostgreSQL: a lost connection rolls the action back, says so, and the next action reconnects",
          "[postgres]") {
  REQUIRE(on_database());
  TempDir d;
  const auto target = company_at(d.path());
  store::Company::init(target, licensed());
  auto c = open(d.path());
  auto& s = c->storage();
  {
    store::Action a(s);
    auto r = customer("HALF");
    s.insert(store::Tbl::customer, r);
    cut_connections(target.string());
    try {
      a.commit();
      FAIL("an action committed over a lost connection");
    } catch (const store::StorageUnavailable& e) {
      const std::string m = e.what();
      CHECK(m.find("connection to the database") != std::string::npos);
      CHECK(m.find("nothing was changed") != std::string::npos);
    }
  }
  // The same program goes on: a new connection, and nothing of the lost action in it.
  CHECK(store::Parties(*c, store::PartyKind::customer).list().empty());
  store::PartyInput p;
  p.code = "WHOLE";
  p.name = "Whole";
  store::Parties(*c, store::PartyKind::customer).add(p);
  auto other = open(d.path(), "bert");
  CHECK(store::Parties(*other, store::PartyKind::customer).list().size() == 1);
}

TEST_CASE("PostgreSQL: a seat ended with its session (a server restart) is taken again by the next action",
          "[postgres]") {
  REQUIRE(on_database());
  TempDir d;
  const auto target = company_at(d.path());
  store::InitOptions o;
  o.licence = invoicing::test::test_licence(domain::Edition::basic);  // 3 seats
  store::Company::init(target, o);
  auto c = open(d.path());
  REQUIRE(c->seat() == 1);
  cut_connections(target.string());  // the working session and the seat's
  store::PartyInput p;
  p.code = "LOST";
  p.name = "Lost";
  CHECK_THROWS_AS(store::Parties(*c, store::PartyKind::customer).add(p), store::StorageUnavailable);
  p.code = "AFTER";
  p.name = "After";
  store::Parties(*c, store::PartyKind::customer).add(p);
  // Another program sees the seat held again, by this one.
  auto other = open(d.path(), "bert");
  bool ours_held = false;
  for (const auto& h : other->seat_holders()) ours_held = ours_held || (h.slot == 1 && h.who.user == "anna");
  CHECK(ours_held);
  CHECK(other->seat() == 2);
}

TEST_CASE("PostgreSQL: a duplicate key refused inside an action leaves the rest of the action", "[postgres]") {
  REQUIRE(on_database());
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  auto& s = c->storage();
  store::Action a(s);
  auto x = customer("X");
  s.insert(store::Tbl::customer, x);
  auto x2 = customer("x");  // the CODE index is case-insensitive
  CHECK_THROWS_AS(s.insert(store::Tbl::customer, x2), store::DuplicateKey);
  auto y = customer("Y");
  s.insert(store::Tbl::customer, y);
  a.commit();
  CHECK(rows(*c, store::Tbl::customer) == 2);
}

TEST_CASE("PostgreSQL: a record lock held elsewhere makes the waiter Busy after its wait, then free", "[postgres]") {
  REQUIRE(on_database());
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto a = open(d.path(), "anna");
  auto b = open(d.path(), "bert");
  auto r = customer("LOCKED");
  {
    store::Action act(a->storage());
    a->storage().insert(store::Tbl::customer, r);
    act.commit();
  }
  store::Action held(a->storage());
  a->storage().lock(store::Tbl::customer, r.id, std::chrono::milliseconds(100));
  {
    store::Action waiting(b->storage());
    auto t0 = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(b->storage().lock(store::Tbl::customer, r.id, std::chrono::milliseconds(300)), store::Busy);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(250));
    // The action that waited is still usable.
    auto other = customer("OTHER");
    b->storage().insert(store::Tbl::customer, other);
    waiting.commit();
  }
  held.commit();
  store::Action now(b->storage());
  b->storage().lock(store::Tbl::customer, r.id, std::chrono::milliseconds(300));
  now.commit();
}

TEST_CASE("PostgreSQL: a killed program's seat is free again, and seats name their holders", "[postgres]") {
  REQUIRE(on_database());
  TempDir d;
  store::InitOptions o;
  o.licence = invoicing::test::test_licence(domain::Edition::basic);  // 3 seats
  store::Company::init(company_at(d.path()), o);
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  const pid_t kid = fork();
  if (kid == 0) {
    close(ready[0]);
    auto c = open(d.path(), "bert");
    char ok = c->seat() ? 'y' : 'n';
    if (write(ready[1], &ok, 1) != 1) _exit(2);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char ok = 0;
  REQUIRE(read(ready[0], &ok, 1) == 1);
  REQUIRE(ok == 'y');
  auto a = open(d.path(), "anna");
  auto holders = a->seat_holders();
  REQUIRE(holders.size() == 2);
  CHECK(holders[0].who.user == "bert");
  CHECK(!holders[0].ours);
  CHECK(holders[1].ours);
  kill(kid, SIGKILL);
  waitpid(kid, nullptr, 0);
  // The server notices the closed socket at once; allow it a moment.
  for (int i = 0; i < 100 && a->seat_holders().size() != 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(a->seat_holders().size() == 1);
  auto c = open(d.path(), "carl");
  CHECK(c->seat() == 1);
}

TEST_CASE("PostgreSQL: a database of schema 4 is upgraded to the STATUS and TYPE indexes, PURCHIMP and the open amounts when opened", "[postgres]") {
  REQUIRE(on_database());
  TempDir d;
  const auto target = company_at(d.path());
  store::Company::init(target, licensed());
  int32_t paid_in_part = 0;
  {
    store::FixedToday today(day(2026, 3, 10));
    auto c = open(d.path());
    base_data(*c);
    store::Documents docs(*c);
    paid_in_part = invoice(docs, "PEETERS", {art("LAMP", "10")}).doc.id;  // 84.10
    store::PaymentInput in;
    in.doc = paid_in_part;
    in.amount = "40";
    store::Payments(*c).add(in);
  }
  {
    // A database as schema 4 made it: no document index by status or type (5), no table of
    // imported e-invoices (6), no open amounts kept (7), no company files (8).
    store::postgres::PgConnection db(target.string());
    db.exec_script(
        "DROP INDEX \"doc_status\"; DROP INDEX \"doc_type\"; DROP TABLE \"purchimp\"; "
        "ALTER TABLE \"doc\" DROP COLUMN \"openamt\"; DROP TABLE \"company_file\"; UPDATE \"schema\" SET \"version\" = 4");
    const auto missing = store::postgres::check_schema(db);
    INFO(fmt::format("{}", fmt::join(missing, "; ")));
    CHECK(missing.size() == 6);
    CHECK(std::count(missing.begin(), missing.end(), "company_file: the table is missing") == 1);
    CHECK(std::count(missing.begin(), missing.end(), "DOC: index STATUS is missing") == 1);
    CHECK(std::count(missing.begin(), missing.end(), "DOC: index TYPE is missing") == 1);
  }
  {
    store::OpenOptions ro;
    ro.read_only = true;
    ro.take_seat = false;
    CHECK_THROWS_WITH(store::Company::open(target, ro), Catch::Contains("upgrading it needs write access"));
  }
  auto c = open(d.path());
  REQUIRE(c->upgrade());
  CHECK(c->upgrade()->from == 4);
  CHECK(c->upgrade()->to == store::kSchemaVersion);
  store::postgres::PgConnection db(target.string());
  CHECK(store::postgres::check_schema(db).empty());
  CHECK(store::postgres::schema_stamp(db).version == store::kSchemaVersion);
  CHECK(store::Company::schema_version_of(target) == store::kSchemaVersion);
  // What is left to pay computed for the invoice already there.
  store::FixedToday today(day(2026, 3, 10));
  CHECK(store::Documents(*c).show(paid_in_part).doc.open.to_string(2) == "44.10");
  CHECK(store::verify(*c).empty());
  // Schema 8's company files work in the upgraded database.
  c->storage().write_file(store::FileKind::layout, "invoice.ini", "[page]\nmargin_top = 30\n");
  CHECK(c->storage().read_file(store::FileKind::layout, "invoice.ini") == "[page]\nmargin_top = 30\n");
}

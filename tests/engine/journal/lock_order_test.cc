// Lock order in a transaction (issue 29). A transaction keeps its locks until it ends; it
// took the index lock with its first change and then waited for the next record's lock while
// keeping it, the reverse of a writer that takes record before index (Visual FoxPro, and this
// engine outside transactions): each waited for the other until one timed out. Now a
// transaction gives its index locks up before it waits for a record lock, and keys its
// records again when the other writer changed the index meanwhile. The other writer is a
// second process (a fork of this test) that locks record 2, then changes it (index lock).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "test_util.h"
#include "xbase/check.h"
#include "xbase/cursor.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

using namespace xbase;
using xbase::test::TempDir;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

OpenOptions shared_waiting(std::chrono::seconds s) {
  OpenOptions o;
  o.lock_wait = LockWait::up_to(s);
  o.internal_lock_timeout = s;
  return o;
}

std::string names_in_tag_order(Table& t) {
  std::string s;
  Cursor c(t, "NAME");
  for (bool ok = c.go_top(); ok; ok = c.skip(1)) s += t.read(c.recno()).get("NAME").str() + " ";
  return s;
}

}  // namespace

TEST_CASE("a transaction and a writer that locks record then index do not wait for each other",
          "[transaction][lock]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("NAME C(10)"));
    for (const char* n : {"A1", "A2", "A3"}) t->append(std::vector<Value>{Value::text(n)});
    t->create_tag({"NAME", "NAME", "", false, false, false});
  }
  int to_child[2], from_child[2];
  REQUIRE(::pipe(to_child) == 0);
  REQUIRE(::pipe(from_child) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // The other writer (opened before the transaction: opening reads the index under its
    // lock): record 2's lock, then its change under the index lock.
    ::close(to_child[1]);
    int rc = 0;
    try {
      auto other = Table::open(p, shared_waiting(std::chrono::seconds(8)));
      char c = 'O';
      (void)!::write(from_child[1], &c, 1);
      if (::read(to_child[0], &c, 1) != 1) ::_exit(3);
      const uint32_t two = 2;
      other->lock_records({&two, 1});
      (void)!::write(from_child[1], &c, 1);
      other->update(2, 0, Value::text("Y2"));  // waits for our index lock
      other->unlock_all();
    } catch (const std::exception& e) {
      try {
        test::write_file(d / "other.txt", e.what());
      } catch (...) {
      }
      rc = 1;
    } catch (...) {
      rc = 2;
    }
    ::_exit(rc);
  }
  ::close(from_child[1]);  // a child that fails before it writes ends the read
  auto from_other = [&](const char* what) {
    char c = 0;
    if (::read(from_child[0], &c, 1) == 1) return;
    int status = 0;
    ::waitpid(pid, &status, 0);
    FAIL("the other writer ended before " << what << ": status " << status << ": "
                                          << test::read_file(d / "other.txt"));
  };
  from_other("it opened the table");

  auto ours = Table::open(p, shared_waiting(std::chrono::seconds(8)));
  Transaction tx{ours.get()};
  ours->update(1, 0, Value::text("X1"));  // record 1, then the index lock, kept
  char go = 'G';
  REQUIRE(::write(to_child[1], &go, 1) == 1);
  from_other("it locked record 2");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // it waits for the index now

  const auto start = Clock::now();
  ours->update(2, 0, Value::text("X2"));  // record 2's lock: the other writer holds it
  tx.commit();
  const double waited = std::chrono::duration<double>(Clock::now() - start).count();
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // the other writer got the index lock and finished
  CHECK(waited < 3.0);              // neither waited for a timeout

  // Record 2 is ours (changed after the other writer's change), and the tag says so: the
  // other writer's key Y2 went when the transaction keyed its records again.
  CHECK(ours->read(2).get("NAME").str() == "X2");
  CHECK(names_in_tag_order(*ours) == "A3 X1 X2 ");
  ours->close();
  auto after = check_table(p);
  CHECK(after.problems() == 0);
}

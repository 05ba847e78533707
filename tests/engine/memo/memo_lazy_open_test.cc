// Shared use opens a table's memo file at the first memo read or write, not at Table::open
// (issue 30): most opens read no memo, and on a share each file opened is several round
// trips. A memo file that is missing still warns at open; one that cannot be read fails the
// first memo use with its name. Memos written after the late open round-trip, in
// transactions (the memo file is staged like the table's other files) and beside another
// process's writes.
#include <catch2/catch.hpp>

#include <functional>

#include "io/forwarding_fs.h"
#include "other_process.h"
#include "test_util.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

// The real file system, counting the opens of memo files (.FPT), which it refuses while
// `down` (a dropped connection: the operating system refuses the open).
class MemoOpens final : public ForwardingFileSystem {
 public:
  MemoOpens() : ForwardingFileSystem(FileSystem::os()) {}
  int opens = 0;
  bool down = false;
  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    if (p.extension() != ".FPT") return base_.open(p, mode);
    ++opens;
    if (down) throw Error(Errc::io, {p.string(), {}, {}, {}}, "open failed: Host is down");
    return base_.open(p, mode);
  }
};

// ID, NOTE (memo), NAME; record 1 has a memo, record 2 none.
std::filesystem::path make_table(const TempDir& d) {
  auto p = d / "T.DBF";
  auto t = Table::create(p, parse_field_list("ID N(5), NOTE M, NAME C(10)"));
  t->append(std::vector<Value>{Value::integer(1), Value::text("first note"), Value::text("one")});
  t->append(std::vector<Value>{Value::integer(2), Value::text(""), Value::text("two")});
  return p;
}

OpenOptions shared(FileSystem* fs) {
  OpenOptions o;
  o.fs = fs;
  return o;
}

std::string note(Table& t, uint32_t r) { return t.read(r).get(1).str(); }

}  // namespace

TEST_CASE("a shared open opens no memo file until a memo is read", "[memo][multiuser]") {
  TempDir d;
  auto p = make_table(d);
  MemoOpens fs;
  auto t = Table::open(p, shared(&fs));
  CHECK(fs.opens == 0);
  CHECK(t->info().memo_path == (d / "T.FPT").string());  // found at open
  // Other fields, an empty memo, a change and an append without memo text: no memo file.
  CHECK(t->read(1).get(2).str() == "one");
  CHECK(note(*t, 2).empty());
  t->update(1, 2, Value::text("uno"));
  t->update(2, 1, Value::text(""));
  t->append(std::vector<Value>{Value::integer(3), Value::text(""), Value::text("three")});
  CHECK(fs.opens == 0);
  CHECK(t->info().memo_block_size == 0);  // not known yet
  CHECK(note(*t, 1) == "first note");
  CHECK(fs.opens == 1);
  CHECK(t->info().memo_block_size == 64);
  t->update(2, 1, Value::text("second note"));
  CHECK(note(*t, 2) == "second note");
  CHECK(fs.opens == 1);
  t.reset();
  auto again = Table::open(p, OpenOptions{});
  CHECK(note(*again, 1) == "first note");
  CHECK(note(*again, 2) == "second note");
}

TEST_CASE("a memo written first after a shared open round-trips", "[memo][multiuser]") {
  TempDir d;
  auto p = make_table(d);
  MemoOpens fs;
  {
    auto t = Table::open(p, shared(&fs));
    t->update(2, 1, Value::text("written first"));  // the memo lock is on the file opened now
    t->append(std::vector<Value>{Value::integer(3), Value::text(std::string(500, 'x')), Value::text("three")});
    CHECK(fs.opens == 1);
    CHECK(note(*t, 2) == "written first");
  }
  auto t = Table::open(p, OpenOptions{});
  CHECK(note(*t, 1) == "first note");
  CHECK(note(*t, 2) == "written first");
  CHECK(note(*t, 3) == std::string(500, 'x'));
}

TEST_CASE("a memo file first opened in a transaction is staged: commit and rollback cover it", "[memo][multiuser]") {
  TempDir d;
  auto p = make_table(d);
  MemoOpens fs;
  const uint64_t size_before = std::filesystem::file_size(d / "T.FPT");
  SECTION("rollback") {
    auto t = Table::open(p, shared(&fs));
    {
      Transaction tx{t.get()};
      t->update(2, 1, Value::text("rolled back"));
      t->append(std::vector<Value>{Value::integer(3), Value::text("also rolled back"), Value::text("three")});
      CHECK(fs.opens == 1);
      CHECK(note(*t, 2) == "rolled back");
      CHECK(std::filesystem::file_size(d / "T.FPT") == size_before);  // staged, not written
      tx.rollback();
    }
    CHECK(std::filesystem::file_size(d / "T.FPT") == size_before);
    CHECK(t->record_count() == 2);
    CHECK(note(*t, 2).empty());
    // The memo header was read again: the next memo goes where the rolled-back one went.
    t->update(2, 1, Value::text("after rollback"));
    CHECK(note(*t, 2) == "after rollback");
    CHECK(note(*t, 1) == "first note");
  }
  SECTION("commit") {
    auto t = Table::open(p, shared(&fs));
    {
      Transaction tx{t.get()};
      t->update(2, 1, Value::text("committed"));
      CHECK(fs.opens == 1);
      tx.commit();
    }
    CHECK(std::filesystem::file_size(d / "T.FPT") > size_before);
    CHECK(note(*t, 2) == "committed");
  }
  auto t = Table::open(p, OpenOptions{});
  CHECK(note(*t, 1) == "first note");
  const std::string two = note(*t, 2);
  CHECK((two == "after rollback" || two == "committed"));
}

#ifndef _WIN32  // the other process is a fork()
TEST_CASE("a memo file first opened after another process wrote memos reads and writes beside them", "[memo][multiuser]") {
  TempDir d;
  auto p = make_table(d);
  MemoOpens fs;
  auto t = Table::open(p, shared(&fs));
  CHECK(t->read(2).get(2).str() == "two");
  REQUIRE(xbase::test::in_other_process(p, OpenOptions{}, [](Table& o) {
    o.update(2, 1, Value::text("the other's note"));
    o.append(std::vector<Value>{Value::integer(3), Value::text("the other's append"), Value::text("three")});
  }));
  CHECK(fs.opens == 0);
  CHECK(note(*t, 2) == "the other's note");
  CHECK(note(*t, 3) == "the other's append");
  t->update(1, 1, Value::text(std::string(200, 'm')));  // a new block after the other's
  REQUIRE(xbase::test::in_other_process(p, OpenOptions{}, [](Table& o) {
    if (o.read(1).get(1).str() != std::string(200, 'm') || o.read(3).get(1).str() != "the other's append")
      throw std::runtime_error("memos differ");
  }));
  CHECK(note(*t, 2) == "the other's note");
}
#endif

TEST_CASE("a missing memo file warns at a shared open, an unreadable one at its first use", "[memo][multiuser]") {
  TempDir d;
  auto p = make_table(d);
  auto has = [](Table& t, WarnCode c) {
    for (const auto& w : t.warnings())
      if (w.code == c) return true;
    return false;
  };
  SECTION("missing") {
    std::filesystem::remove(d / "T.FPT");
    auto t = Table::open(p, OpenOptions{});
    CHECK(has(*t, WarnCode::memo_missing));
    CHECK(t->info().memo_path.empty());
  }
  SECTION("unreadable") {
    std::filesystem::resize_file(d / "T.FPT", 4);  // shorter than its header
    auto t = Table::open(p, OpenOptions{});
    CHECK_FALSE(has(*t, WarnCode::memo_unreadable));
    CHECK(t->read(2).get(2).str() == "two");
    CHECK(note(*t, 2).empty());  // no memo: nothing to read
    try {
      (void)note(*t, 1);
      FAIL("the memo was read from a file shorter than its header");
    } catch (const Error& e) {
      CHECK(e.where().file == (d / "T.FPT").string());
      CHECK_THAT(e.what(), Catch::Contains("memo fields cannot be read"));
    }
    CHECK(has(*t, WarnCode::memo_unreadable));
    CHECK(t->info().memo_path.empty());
    CHECK_THROWS_AS(t->update(2, 1, Value::text("x")), Error);  // the same error, not a write
    // memo_at_open (check, repair, xbase info) and exclusive use learn it at open, as before.
    t.reset();
    OpenOptions now;
    now.memo_at_open = true;
    auto t2 = Table::open(p, now);
    CHECK(has(*t2, WarnCode::memo_unreadable));
    CHECK(t2->info().memo_path.empty());
  }
}

// A memo file the operating system refused to open (a dropped connection) was remembered as
// unreadable for the table's life: a front end that keeps its tables open failed every memo
// until it restarted. Now such a refusal is asked again at the next memo use (warned once); a
// file that is not a memo file still fails every use without asking again.
TEST_CASE("a memo file the connection failed to open is opened again at the next memo use", "[memo][multiuser]") {
  TempDir d;
  auto p = make_table(d);
  MemoOpens fs;
  auto t = Table::open(p, shared(&fs));
  fs.down = true;
  CHECK_THROWS_AS(note(*t, 1), Error);
  CHECK_THROWS_AS(note(*t, 1), Error);
  fs.down = false;
  CHECK(note(*t, 1) == "first note");
  t->update(2, 1, Value::text("after the outage"));
  CHECK(note(*t, 2) == "after the outage");
  size_t said = 0;
  for (const auto& w : t->warnings()) said += w.code == WarnCode::memo_unreadable;
  CHECK(said == 1);
}

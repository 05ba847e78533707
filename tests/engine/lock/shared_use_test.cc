// Shared and exclusive use between two opens of the same table. Each open has its own open
// file description, so its locks conflict with the other's exactly as another process's would.
#include <catch2/catch.hpp>

#include <chrono>

#include "io/forwarding_fs.h"
#include "test_util.h"
#include "xbase/cursor.h"
#include "xbase/file.h"
#include "xbase/lock.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::TempDir;

namespace {

fs::path make_table(const TempDir& d) {
  auto p = d / "T.DBF";
  auto t = Table::create(p, parse_field_list("ID N(6), NAME C(20)"));
  for (int i = 1; i <= 5; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text("name " + std::to_string(i))});
  t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
  t->close();
  return p;
}

OpenOptions shared(LockWait w = LockWait::immediate()) {
  OpenOptions o;
  o.lock_wait = w;
  o.internal_lock_timeout = std::chrono::milliseconds(200);
  return o;
}

std::string name_of(Table& t, uint32_t r) {
  std::string s = t.read(r).get(1).str();
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

Errc code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("no error");
  return Errc::io;
}

}  // namespace

TEST_CASE("exclusive use is refused while the table is open and keeps others out", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  OpenOptions excl;
  excl.exclusive = true;
  {
    auto a = Table::open(p, shared());
    CHECK(code_of([&] { Table::open(p, excl); }) == Errc::in_use);
    auto b = Table::open(p, shared());  // shared beside shared is fine
  }
  auto x = Table::open(p, excl);
  CHECK(code_of([&] { Table::open(p, shared()); }) == Errc::in_use);
  OpenOptions ro;
  ro.read_only = true;
  CHECK(code_of([&] { Table::open(p, ro); }) == Errc::in_use);
}

TEST_CASE("a record locked by one user cannot be locked or changed by another", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  auto a = Table::open(p, shared());
  auto b = Table::open(p, shared());
  a->lock_record(2);
  CHECK(a->holds_lock(2));
  try {
    b->lock_record(2);
    FAIL("locked twice");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::lock_timeout);
    CHECK(e.where().record == 2u);
    CHECK(std::string(e.what()).find("record 2") != std::string::npos);
  }
  CHECK_FALSE(b->holds_lock(2));
  CHECK(code_of([&] { b->update(2, 1, Value::text("changed")); }) == Errc::lock_timeout);
  CHECK(code_of([&] { b->remove(2); }) == Errc::lock_timeout);
  CHECK(name_of(*b, 2) == "name 2");
  CHECK(code_of([&] { b->lock_file(); }) == Errc::lock_timeout);
  b->lock_record(3);  // other records are free
  b->update(4, 1, Value::text("four"));  // automatic lock of a free record
  CHECK(name_of(*a, 4) == "four");
  // All or none: record 3 is b's, so a gets neither 1 nor 3.
  CHECK(code_of([&] {
          std::vector<uint32_t> rs{1, 3};
          a->lock_records(rs);
        }) == Errc::lock_timeout);
  CHECK_FALSE(a->holds_lock(1));
  b->lock_record(1);
  a->unlock_all();
  b->lock_record(2);
  b->unlock_all();
  a->lock_file();
  CHECK(a->holds_file_lock());
  CHECK(a->holds_lock(5));
  CHECK(code_of([&] { b->lock_record(5); }) == Errc::lock_timeout);
  a->unlock_all();
  b->lock_record(5);
}

TEST_CASE("a lock wait with retries gives up after its attempts", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  auto a = Table::open(p, shared());
  auto b = Table::open(p, shared(LockWait::retry(3, std::chrono::milliseconds(20))));
  a->lock_record(1);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(code_of([&] { b->lock_record(1); }) == Errc::lock_timeout);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(60));
}

TEST_CASE("a reader sees what another user appended and changed, records and index", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  auto a = Table::open(p, shared());
  auto b = Table::open(p, shared());
  CHECK(b->record_count() == 5);
  CHECK(b->seek("NAME", Value::text("NAME 3")) == 3u);
  Cursor by_name(*b, "NAME");
  REQUIRE(by_name.go_bottom());
  CHECK(by_name.recno() == 5);

  uint32_t r = a->append(std::vector<Value>{Value::integer(6), Value::text("zz last")});
  a->update(3, 1, Value::text("aa first"));
  CHECK(b->record_count() == 6);
  CHECK(name_of(*b, 6) == "zz last");
  CHECK(name_of(*b, 3) == "aa first");
  CHECK(b->seek("NAME", Value::text("NAME 3")) == std::nullopt);
  CHECK(b->seek("NAME", Value::text("AA")) == 3u);
  REQUIRE(by_name.go_bottom());
  CHECK(by_name.recno() == r);
  REQUIRE(by_name.go_top());
  CHECK(by_name.recno() == 3);
  CHECK(b->verify_tag("NAME").empty());
  // And the other way round, while b walks the tag.
  b->update(6, 1, Value::text("mm middle"));
  CHECK(a->seek("NAME", Value::text("MM")) == 6u);
  CHECK(a->key_count("NAME") == 6);
}

TEST_CASE("bulk scans in shared use read what was written before they began", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  auto a = Table::open(p, shared());
  auto b = Table::open(p, shared());
  std::vector<std::string> names;
  b->scan([&](const Record& rec) {
    names.push_back(rec.get(1).str());
    return true;
  });
  CHECK(names.size() == 5);
  a->update(1, 1, Value::text("renamed"));
  a->append(std::vector<Value>{Value::integer(6), Value::text("six")});
  names.clear();
  b->scan([&](const Record& rec) {
    names.push_back(rec.get(1).str());
    return true;
  });
  REQUIRE(names.size() == 6);
  CHECK(names[0].rfind("renamed", 0) == 0);
  CHECK(names[5].rfind("six", 0) == 0);
}

TEST_CASE("changes of structure need exclusive use", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  auto a = Table::open(p, shared());
  CHECK(code_of([&] { a->create_tag({"ID", "ID", "", false, false, false}); }) == Errc::usage);
  CHECK(code_of([&] { a->drop_tag("NAME"); }) == Errc::usage);
  CHECK(code_of([&] { a->reindex(); }) == Errc::usage);
  CHECK(code_of([&] { a->pack(); }) == Errc::usage);
  CHECK(code_of([&] { a->zap(); }) == Errc::usage);
  a->close();
  OpenOptions wb;
  wb.write_behind = true;
  CHECK(code_of([&] { Table::open(p, wb); }) == Errc::usage);
}

TEST_CASE("pack keeps exclusive use across the files it swaps in", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  OpenOptions excl;
  excl.exclusive = true;
  auto x = Table::open(p, excl);
  x->remove(2);
  x->pack();
  CHECK(x->record_count() == 4);
  CHECK(code_of([&] { Table::open(p, shared()); }) == Errc::in_use);
  x->close();
  CHECK(Table::open(p, shared())->record_count() == 4);
}

// An append whose memo value is empty writes nothing to the memo file, so it needs no memo
// lock: appends of records without notes were waiting on (and paying for) that lock.
TEST_CASE("an append with an empty memo does not wait for the memo lock", "[lock]") {
  TempDir d;
  auto p = d / "N.DBF";
  Table::create(p, parse_field_list("ID N(6), NOTE M"))->close();
  auto memo = FileSystem::os().open(d / "N.FPT", OpenMode::read_write);
  const LockRange m = LockLayout::memo();
  REQUIRE(memo->lock(m.offset, m.length, LockMode::exclusive, false));  // another user allocating
  auto t = Table::open(p, shared());
  CHECK(t->append(std::vector<Value>{Value::integer(1), Value::text("")}) == 1);
  CHECK(t->append(std::vector<Value>{Value::integer(2)}) == 2);
  // A note of its own waits for the memo lock, and gets it once the other user is done.
  CHECK(code_of([&] { t->append(std::vector<Value>{Value::integer(3), Value::text("a note")}); }) ==
        Errc::lock_timeout);
  memo->unlock(m.offset, m.length);
  CHECK(t->append(std::vector<Value>{Value::integer(3), Value::text("a note")}) == 3);
  CHECK(t->read(3).get(1).str() == "a note");
  CHECK(t->read(1).get(1).str().empty());
}

// dBASE's 'B' field keeps its value in the memo file (a binary memo, where Visual FoxPro's 'B'
// is a double): writing one allocates memo blocks, which needs the memo lock like a memo.
TEST_CASE("a dBASE B field waits for the memo lock like a memo field", "[lock]") {
  TempDir d;
  auto p = d / "B.DBF";
  CreateOptions c;
  c.format = Format::dbase4;
  Table::create(p, parse_field_list("ID N(6), B M"), c)->close();
  {
    // We create no dBASE 'B' fields; other programs do. The memo field becomes one: its
    // descriptor's type byte (the second descriptor, at 32 + 32 + 11) says 'B'.
    auto dbf = FileSystem::os().open(p, OpenMode::read_write);
    const uint8_t b = 'B';
    dbf->write_at(32 + 32 + 11, &b, 1);
  }
  fs::path memo_path;
  for (const auto& e : fs::directory_iterator(d.path()))
    if (e.path().extension() == ".DBT" || e.path().extension() == ".dbt") memo_path = e.path();
  REQUIRE(!memo_path.empty());
  auto memo = FileSystem::os().open(memo_path, OpenMode::read_write);
  const LockRange m = LockLayout::memo();
  REQUIRE(memo->lock(m.offset, m.length, LockMode::exclusive, false));
  auto t = Table::open(p, shared());
  CHECK(code_of([&] { t->append(std::vector<Value>{Value::integer(1), Value::binary("bytes")}); }) ==
        Errc::lock_timeout);
  memo->unlock(m.offset, m.length);
  CHECK(t->append(std::vector<Value>{Value::integer(1), Value::binary("bytes")}) == 1);
  CHECK(t->read(1).get(1).str() == "bytes");
}

// A small index file is read whole at open, under the index lock (issue 30); those bytes must
// not outlive another user's change made after the open, nor the opener's own writes.
TEST_CASE("an index read whole at open is not served after another user's change", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  auto a = Table::open(p, shared());
  auto b = Table::open(p, shared());  // b has read the whole CDX and no page of it since
  a->update(3, 1, Value::text("aa first"));
  a->append(std::vector<Value>{Value::integer(6), Value::text("zz last")});
  CHECK(b->seek("NAME", Value::text("NAME 3")) == std::nullopt);
  CHECK(b->seek("NAME", Value::text("AA")) == 3u);
  CHECK(b->seek("NAME", Value::text("ZZ")) == 6u);
  // b's own change, then reads of it: from what b wrote, not from the bytes read at open.
  auto c = Table::open(p, shared());
  c->update(2, 1, Value::text("bb second"));
  CHECK(c->seek("NAME", Value::text("BB")) == 2u);
  CHECK(c->seek("NAME", Value::text("NAME 2")) == std::nullopt);
  CHECK(c->verify_tag("NAME").empty());
  CHECK(a->seek("NAME", Value::text("BB")) == 2u);
}

namespace {
// Counts the unlock calls on DBF files: a file of this file system has no POSIX descriptor, as
// a Windows handle has none, so the engine treats it as a file whose close may keep its locks.
class Unlocks final : public ForwardingFileSystem {
 public:
  Unlocks() : ForwardingFileSystem(FileSystem::os()) {}
  int unlocks = 0;
  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    auto f = base_.open(p, mode);
    if (p.extension() != ".DBF") return f;
    return std::make_unique<Counted>(std::move(f), unlocks);
  }

 private:
  struct Counted final : ForwardingFile {
    Counted(std::unique_ptr<File> f, int& n) : ForwardingFile(std::move(f)), n_(n) {}
    void unlock(uint64_t off, uint64_t len) override {
      ++n_;
      base_->unlock(off, len);
    }
    int& n_;
  };
};
}  // namespace

// Windows frees a closed handle's locks only "eventually": a program that ended with a seat
// (a record lock) held left colleagues waiting for it. A POSIX close drops them in the same
// call, so there the engine makes none (issue 30: a round trip on a share).
TEST_CASE("a table closed with record locks held unlocks them where a close does not drop them", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  Unlocks fs;
  OpenOptions o = shared();
  o.fs = &fs;
  auto t = Table::open(p, o);
  t->lock_record(2);
  t->lock_record(4);
  fs.unlocks = 0;
  t->close();
  CHECK(fs.unlocks == 3);  // the two records and the shared-use lock
}

// UNIQUE tags in shared use (issue 29). When the record that stands for a key in a UNIQUE tag
// leaves it, the next record with that key takes its place (the heir). The records of each key
// were gathered by one scan and then kept, but another process can change a record without
// touching the tag (its new key is held by a lower record): the kept list still had it under
// its old key, so it became the heir of a key it no longer has, and the tag pointed at a
// record without that key. The other writer is a second process (a fork of this test).
#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "other_process.h"
#include "test_util.h"
#include "xbase/cursor.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;
namespace fs = std::filesystem;

namespace {

OpenOptions shared_use() {
  OpenOptions o;
  o.lock_wait = LockWait::up_to(std::chrono::seconds(8));
  o.internal_lock_timeout = std::chrono::seconds(8);
  return o;
}


// "key:recno" for every entry of the tag, in tag order.
std::string entries(Table& t, const char* tag) {
  std::string s;
  Cursor c(t, tag);
  for (bool ok = c.go_top(); ok; ok = c.skip(1))
    s += t.read(c.recno()).get("K").str() + ":" + std::to_string(c.recno()) + " ";
  return s;
}

}  // namespace

TEST_CASE("a record another process gave a new key does not become the heir of its old key in a UNIQUE tag",
          "[table][index][multiuser]") {
  TempDir d;
  auto p = d / "U.DBF";
  {
    auto t = Table::create(p, parse_field_list("K C(2)"));
    for (const char* k : {"A", "A", "A", "B"}) t->append(std::vector<Value>{Value::text(k)});
    t->create_tag({"K", "K", "", true, false, false});  // UNIQUE
  }
  auto t = Table::open(p, shared_use());
  // Record 1 leaves key A: record 2 takes it (the records of each key are gathered now).
  t->update(1, 0, Value::text("C"));
  CHECK(entries(*t, "K") == "A:2 B:4 C:1 ");
  // Another process moves record 3 from A to C; record 1 holds C, so the tag is unchanged.
  REQUIRE(xbase::test::in_other_process(p, shared_use(), [](Table& o) { o.update(3, 0, Value::text("C")); }));
  // Record 2 leaves A: no record has A any more, so A leaves the tag (record 3 has C).
  t->update(2, 0, Value::text("D"));
  CHECK(entries(*t, "K") == "B:4 C:1 D:2 ");
  CHECK(t->verify_tag("K").empty());
  t.reset();
  auto fresh = Table::open(p, shared_use());
  CHECK(fresh->verify_tag("K").empty());
}

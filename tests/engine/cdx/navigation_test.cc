// Navigation in tag order through xbase::Cursor: GO TOP/BOTTOM, SKIP both ways, SEEK (exact,
// partial, soft) and SET SCOPE, for ascending and descending tags, and while the table changes.
#include <catch2/catch.hpp>

#include "test_util.h"
#include "xbase/cursor.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;

namespace {

std::vector<uint32_t> walk(Cursor& c, bool forward) {
  std::vector<uint32_t> out;
  for (bool ok = forward ? c.go_top() : c.go_bottom(); ok; ok = c.skip(forward ? 1 : -1)) out.push_back(c.recno());
  return out;
}

std::unique_ptr<Table> make(const TempDir& d) {
  auto t = Table::create(d / "n.dbf", parse_field_list("NAME C(10), N N(6), D D"));
  const char* names[] = {"pear", "apple", "fig", "banana", "apricot", "cherry", "apple", "kiwi"};
  int n = 0;
  for (const char* nm : names) {
    std::vector<Value> v = {Value::text(nm), Value::integer(n * 7 % 5), Value::date({2024, 1, 1 + n})};
    t->append(v);
    ++n;
  }
  t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
  t->create_tag({"NDESC", "N", "", false, false, true});
  return t;
}

}  // namespace

TEST_CASE("walking a tag both ways gives its order and its reverse", "[cdx]") {
  TempDir d;
  auto t = make(d);
  for (const char* tag : {"NAME", "NDESC"}) {
    INFO(tag);
    Cursor c(*t, tag);
    auto fwd = walk(c, true);
    CHECK(fwd == t->tag_order(tag));
    auto back = walk(c, false);
    std::reverse(back.begin(), back.end());
    CHECK(back == fwd);
  }
  Cursor by_recno(*t);
  CHECK(walk(by_recno, true) == std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("seek exact partial and soft", "[cdx]") {
  TempDir d;
  auto t = make(d);
  Cursor c(*t, "NAME");
  CHECK(c.find(Value::text("APPLE"), SeekMode::exact));
  CHECK(c.recno() == 2);  // the first APPLE in key order (lowest record number)
  CHECK(c.skip());
  CHECK(c.recno() == 7);
  CHECK_FALSE(c.find(Value::text("APP"), SeekMode::exact));
  CHECK(c.find(Value::text("AP"), SeekMode::partial));
  CHECK(c.recno() == 2);
  CHECK_FALSE(c.find(Value::text("BL"), SeekMode::partial));
  CHECK(c.eof());
  CHECK_FALSE(c.find(Value::text("BL"), SeekMode::soft));
  CHECK(c.recno() == 6);  // CHERRY, the next key after BL
  CHECK_FALSE(c.find(Value::text("ZZZ"), SeekMode::soft));
  CHECK(c.eof());
  Cursor d2(*t, "NDESC");
  CHECK(d2.find(Value::integer(3), SeekMode::exact));
  CHECK(d2.read().get("N").str() == "3");
}

TEST_CASE("scopes limit navigation to a key range", "[cdx]") {
  TempDir d;
  auto t = make(d);
  Cursor c(*t, "NAME");
  c.set_scope(Value::text("AP"), Value::text("B"));
  std::vector<uint32_t> got = walk(c, true);
  CHECK(got == std::vector<uint32_t>{2, 7, 5, 4});  // APPLE APPLE APRICOT BANANA
  got = walk(c, false);
  CHECK(got == std::vector<uint32_t>{4, 5, 7, 2});
  Cursor desc(*t, "NDESC");
  desc.set_scope(Value::integer(1), Value::integer(3));
  for (bool ok = desc.go_top(); ok; ok = desc.skip()) {
    int n = std::stoi(desc.read().get("N").str());
    CHECK(n >= 1);
    CHECK(n <= 3);
  }
  CHECK(desc.go_top());
  CHECK(desc.read().get("N").str() == "3");  // descending: the top is the largest
}

TEST_CASE("a cursor keeps its place while records change", "[cdx]") {
  TempDir d;
  auto t = make(d);
  Cursor c(*t, "NAME");
  REQUIRE(c.find(Value::text("CHERRY"), SeekMode::exact));
  uint32_t here = c.recno();
  // Records before and after move around; the cursor still steps to the right neighbour.
  t->update(1, 0, Value::text("aaa"));  // pear -> AAA, now first
  t->update(8, 0, Value::text("zzz"));  // kiwi -> ZZZ, now last
  REQUIRE(c.skip());
  CHECK(c.read().get("NAME").str() == "fig");
  REQUIRE(c.skip(-1));
  CHECK(c.recno() == here);
  // The current record's own key changes: the next step starts from where it was.
  t->update(here, 0, Value::text("zz0"));
  REQUIRE(c.skip());
  CHECK(c.read().get("NAME").str() == "fig");
  CHECK(walk(c, true) == t->tag_order("NAME"));
}

// Navigation in tag order: SET ORDER, GO TOP/BOTTOM, SKIP both ways, SEEK (exact, partial,
// soft) and SET SCOPE, for ascending and descending tags, and while the table changes.
#include <catch2/catch.hpp>

#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;

namespace {

std::vector<uint32_t> walk(Table& t, bool forward) {
  std::vector<uint32_t> out;
  for (bool ok = forward ? t.go_top() : t.go_bottom(); ok; ok = t.skip(forward ? 1 : -1)) out.push_back(t.recno());
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
    t->set_order(tag);
    auto fwd = walk(*t, true);
    CHECK(fwd == t->tag_order(tag));
    auto back = walk(*t, false);
    std::reverse(back.begin(), back.end());
    CHECK(back == fwd);
  }
  t->set_order("");
  CHECK(walk(*t, true) == std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("seek exact partial and soft", "[cdx]") {
  TempDir d;
  auto t = make(d);
  t->set_order("NAME");
  CHECK(t->find(Value::text("APPLE"), SeekMode::exact));
  CHECK(t->recno() == 2);  // the first APPLE in key order (lowest record number)
  CHECK(t->skip());
  CHECK(t->recno() == 7);
  CHECK_FALSE(t->find(Value::text("APP"), SeekMode::exact));
  CHECK(t->find(Value::text("AP"), SeekMode::partial));
  CHECK(t->recno() == 2);
  CHECK_FALSE(t->find(Value::text("BL"), SeekMode::partial));
  CHECK(t->eof());
  CHECK_FALSE(t->find(Value::text("BL"), SeekMode::soft));
  CHECK(t->recno() == 6);  // CHERRY, the next key after BL
  CHECK_FALSE(t->find(Value::text("ZZZ"), SeekMode::soft));
  CHECK(t->eof());
  t->set_order("NDESC");
  CHECK(t->find(Value::integer(3), SeekMode::exact));
  CHECK(t->read(t->recno()).get("N").str() == "3");
}

TEST_CASE("scopes limit navigation to a key range", "[cdx]") {
  TempDir d;
  auto t = make(d);
  t->set_order("NAME");
  t->set_scope(Value::text("AP"), Value::text("B"));
  std::vector<uint32_t> got = walk(*t, true);
  CHECK(got == std::vector<uint32_t>{2, 7, 5, 4});  // APPLE APPLE APRICOT BANANA
  got = walk(*t, false);
  CHECK(got == std::vector<uint32_t>{4, 5, 7, 2});
  t->set_order("NDESC");
  t->set_scope(Value::integer(1), Value::integer(3));
  for (bool ok = t->go_top(); ok; ok = t->skip()) {
    int n = std::stoi(t->read(t->recno()).get("N").str());
    CHECK(n >= 1);
    CHECK(n <= 3);
  }
  CHECK(t->go_top());
  CHECK(t->read(t->recno()).get("N").str() == "3");  // descending: the top is the largest
}

TEST_CASE("a cursor keeps its place while records change", "[cdx]") {
  TempDir d;
  auto t = make(d);
  t->set_order("NAME");
  REQUIRE(t->find(Value::text("CHERRY"), SeekMode::exact));
  uint32_t here = t->recno();
  // Records before and after move around; the cursor still steps to the right neighbour.
  t->update(1, 0, Value::text("aaa"));  // pear -> AAA, now first
  t->update(8, 0, Value::text("zzz"));  // kiwi -> ZZZ, now last
  REQUIRE(t->skip());
  CHECK(t->read(t->recno()).get("NAME").str() == "fig");
  REQUIRE(t->skip(-1));
  CHECK(t->recno() == here);
  // The current record's own key changes: the next step starts from where it was.
  t->update(here, 0, Value::text("zz0"));
  REQUIRE(t->skip());
  CHECK(t->read(t->recno()).get("NAME").str() == "fig");
  CHECK(walk(*t, true) == t->tag_order("NAME"));
}

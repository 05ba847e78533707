// xbase::Cursor: positions of their own, several on one table at once, in record order and in
// tag order (scope, SEEK exact/partial/soft, descending tags), over deleted records and FOR
// tags as the navigation before it did, and what pack, zap and drop_tag leave of a position.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "test_util.h"
#include "xbase/cursor.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;

namespace {

// DOC is the document a line belongs to, POS its position on the document.
std::unique_ptr<Table> lines(const TempDir& d) {
  auto t = Table::create(d / "lines.dbf", parse_field_list("DOC N(6), POS N(3), ITEM C(10)"));
  const int docs[] = {3, 1, 2, 1, 3, 2, 1, 3};
  int pos = 0;
  for (int doc : docs)
    t->append(std::vector<Value>{Value::integer(doc), Value::integer(++pos), Value::text("item " + std::to_string(pos))});
  t->create_tag({"DOC", "STR(DOC,6)+STR(POS,3)", "", false, false, false});
  t->create_tag({"ITEM", "UPPER(ITEM)", "", false, false, false});
  t->create_tag({"ITEMD", "UPPER(ITEM)", "", false, false, true});
  return t;
}

std::vector<uint32_t> walk(Cursor& c) {
  std::vector<uint32_t> out;
  for (bool ok = c.go_top(); ok; ok = c.skip()) out.push_back(c.recno());
  return out;
}

// The record numbers of one document's lines, found through a cursor of its own (as the
// store finds a document's lines).
std::vector<uint32_t> lines_of(Table& t, int doc) {
  Cursor c(t, "DOC");
  std::vector<uint32_t> out;
  for (bool ok = c.find(Value::text(fmt::format("{:>6}", doc))); ok && !c.eof(); ok = c.skip()) {
    if (std::stoi(c.read().get("DOC").str()) != doc) break;
    out.push_back(c.recno());
  }
  return out;
}

}  // namespace

TEST_CASE("cursor: walking a document's lines keeps the caller's cursor where it was", "[cursor]") {
  // Before cursors, the lines were found by switching the table's one order to DOC and back
  // to record order: a caller walking ITEM lost its order and its place.
  TempDir d;
  auto t = lines(d);
  Cursor outer(*t, "ITEM");
  std::vector<uint32_t> seen;
  for (bool ok = outer.go_top(); ok; ok = outer.skip()) {
    seen.push_back(outer.recno());
    int doc = std::stoi(outer.read().get("DOC").str());
    auto inner = lines_of(*t, doc);
    CHECK(std::find(inner.begin(), inner.end(), outer.recno()) != inner.end());
  }
  CHECK(seen == t->tag_order("ITEM"));
  CHECK(lines_of(*t, 1) == std::vector<uint32_t>{2, 4, 7});
  CHECK(lines_of(*t, 3) == std::vector<uint32_t>{1, 5, 8});
}

TEST_CASE("cursor: several cursors on one table move independently", "[cursor]") {
  TempDir d;
  auto t = lines(d);
  Cursor by_recno(*t), by_doc(*t, "DOC"), by_item(*t, "ITEM"), by_doc2(*t, "doc");
  CHECK(by_recno.tag().empty());
  CHECK(by_doc2.tag() == "DOC");  // the name as stored
  REQUIRE(by_recno.go_top());
  REQUIRE(by_doc.go_bottom());
  REQUIRE(by_item.go_top());
  REQUIRE(by_doc2.go_top());
  REQUIRE(by_recno.skip(2));
  REQUIRE(by_doc.skip(-1));
  CHECK(by_recno.recno() == 3);
  CHECK(by_doc.recno() == 5);   // DOC 3 POS 5, before DOC 3 POS 8
  CHECK(by_item.recno() == 1);  // "item 1"
  CHECK(by_doc2.recno() == 2);  // DOC 1 POS 2
  REQUIRE(by_doc2.skip());
  CHECK(by_doc2.recno() == 4);
  CHECK(by_doc.recno() == 5);
  CHECK(walk(by_doc) == t->tag_order("DOC"));
  CHECK(walk(by_recno) == std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("cursor: find exact, partial and soft, ascending and descending", "[cursor]") {
  TempDir d;
  auto t = lines(d);
  for (const char* tag : {"ITEM", "ITEMD"}) {
    INFO(tag);
    Cursor c(*t, tag);
    CHECK(c.find(Value::text("ITEM 4"), SeekMode::exact));
    CHECK(c.recno() == 4);
    CHECK_FALSE(c.find(Value::text("ITEM"), SeekMode::exact));
    CHECK(c.eof());
    CHECK(c.recno() == 0);
    // A descending tag finds as an ascending one does (the first match in ascending key
    // order, soft: the next key up), as the table's own navigation did; it then walks down.
    CHECK(c.find(Value::text("ITEM"), SeekMode::partial));
    CHECK(c.recno() == 1);
    CHECK_FALSE(c.find(Value::text("ITEM 45"), SeekMode::partial));
    CHECK(c.eof());
    CHECK_FALSE(c.find(Value::text("ITEM 45"), SeekMode::soft));
    CHECK(c.recno() == 5);
    REQUIRE(c.skip());
    CHECK(c.recno() == (std::string(tag) == "ITEM" ? 6u : 4u));
  }
}

TEST_CASE("cursor: a scope with one open end", "[cursor]") {
  TempDir d;
  auto t = lines(d);
  Cursor c(*t, "DOC");
  c.set_scope(std::nullopt, Value::text(fmt::format("{:>6}", 1)));
  CHECK(walk(c) == std::vector<uint32_t>{2, 4, 7});
  c.set_scope(Value::text(fmt::format("{:>6}", 3)), std::nullopt);
  CHECK(walk(c) == std::vector<uint32_t>{1, 5, 8});
  REQUIRE(c.go_bottom());
  CHECK(c.recno() == 8);
  CHECK_FALSE(c.skip());
  CHECK(c.eof());
  c.set_scope(std::nullopt, std::nullopt);
  CHECK(walk(c).size() == 8);
}

TEST_CASE("cursor: record order visits deleted records, a FOR tag only what it indexes", "[cursor]") {
  TempDir d;
  auto t = lines(d);
  t->create_tag({"LIVE", "ITEM", "!DELETED()", false, false, false});
  t->create_tag({"DOC2", "POS", "DOC = 2", false, false, false});
  t->remove(3);
  t->remove(6);
  Cursor all(*t);
  CHECK(walk(all) == std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8});
  REQUIRE(all.go_top());
  REQUIRE(all.skip(2));
  CHECK(all.read().deleted());
  Cursor live(*t, "LIVE");
  CHECK(walk(live) == std::vector<uint32_t>{1, 2, 4, 5, 7, 8});
  Cursor doc2(*t, "DOC2");
  CHECK(walk(doc2) == std::vector<uint32_t>{3, 6});  // deleted, but the FOR says nothing of it
  REQUIRE(doc2.go_top());
  CHECK_FALSE(doc2.skip(2));
  CHECK(doc2.eof());
  // In record order a skip past either end stops there.
  REQUIRE(all.go_bottom());
  CHECK_FALSE(all.skip(1));
  CHECK(all.eof());
  REQUIRE(all.go_top());
  CHECK_FALSE(all.skip(-1));
}

TEST_CASE("cursor: what needs a tag is refused in record order, an unknown tag is named", "[cursor]") {
  TempDir d;
  auto t = lines(d);
  Cursor c(*t);
  CHECK_THROWS_WITH(c.find(Value::text("x")), Catch::Contains("tag"));
  CHECK_THROWS_WITH(c.set_scope(Value::text("a"), std::nullopt), Catch::Contains("tag"));
  CHECK_THROWS_WITH(Cursor(*t, "NOPE"), Catch::Contains("NOPE"));
  CHECK(c.recno() == 0);
  CHECK(c.eof());
  CHECK_THROWS_AS(c.read(), Error);  // positioned nowhere
}

TEST_CASE("cursor: zap and pack unposition, a dropped tag is named at the next move", "[cursor]") {
  TempDir d;
  auto t = lines(d);
  Cursor item(*t, "ITEM"), doc(*t, "DOC"), rec(*t);
  REQUIRE(item.find(Value::text("ITEM 6")));
  REQUIRE(rec.go_bottom());
  t->remove(2);
  t->pack();
  CHECK(item.eof());
  CHECK(rec.eof());
  CHECK(walk(item) == t->tag_order("ITEM"));
  REQUIRE(item.find(Value::text("ITEM 6")));
  CHECK(item.recno() == 5);  // record 6 became 5
  t->drop_tag("DOC");
  CHECK_THROWS_WITH(doc.go_top(), Catch::Contains("DOC"));
  t->zap();
  CHECK(item.eof());
  CHECK_FALSE(item.go_top());
  CHECK_FALSE(rec.go_top());
}

TEST_CASE("cursor: a tag missing because its index is damaged names the index file and says to run check", "[cursor]") {
  // Issue 24: a damaged CDX surfaced as "the table has no index open" or "no tag named DOC",
  // though the tag exists in the file: the user could not tell a damaged file from a typo.
  TempDir d;
  lines(d)->close();
  {
    auto f = FileSystem::os().open(d / "lines.cdx", OpenMode::read_write);
    const std::vector<uint8_t> junk(512, 0xEE);  // the index header page overwritten
    f->write_at(0, junk.data(), junk.size());
  }
  auto t = Table::open(d / "lines.dbf");
  auto message = [&](auto&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  for (const std::string& m : {message([&] {
         Cursor c(*t, "DOC");  // in shared use the index is read at the first move
         c.go_top();
       }), message([&] { t->seek("DOC", Value::text("1")); })}) {
    INFO(m);
    CHECK(m.find("the structural index is damaged and not used (lines.cdx: ") != std::string::npos);
    CHECK(m.find("run `xbase check " + (d / "lines.dbf").string() + "`") != std::string::npos);
  }
}

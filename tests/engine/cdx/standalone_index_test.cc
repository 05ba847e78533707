// Standalone (non-structural) CDX files: INDEX ON ... TAG ... OF other.cdx and SET INDEX TO.
// While open they are used and kept up to date like the structural index; closed, they are
// left alone (and go stale, as in VFP, until reindexed).
#include <catch2/catch.hpp>

#include "test_util.h"
#include "xbase/cursor.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::TempDir;

namespace {

const TagSpec kId{"ID", "ID", "", false, false, false};
const TagSpec kName{"NAME", "UPPER(NAME)", "", false, false, false};

std::unique_ptr<Table> make(const TempDir& d, bool structural) {
  auto t = Table::create(d / "T.DBF", parse_field_list("ID N(6), NAME C(20)"));
  const char* names[] = {"peeters", "Janssens", "maes", "Claes", "wouters"};
  for (int i = 0; i < 5; ++i)
    t->append(std::vector<Value>{Value::integer(i + 1), Value::text(names[i])});
  if (structural) t->create_tag(kId);
  return t;
}

OpenOptions excl() {
  OpenOptions o;
  o.exclusive = true;
  return o;
}

}  // namespace

TEST_CASE("a tag in a standalone index is used and maintained beside the structural ones", "[cdx]") {
  TempDir d;
  auto t = make(d, true);
  t->create_tag(kName, d / "OTHER.CDX");
  REQUIRE(fs::exists(d / "OTHER.CDX"));
  REQUIRE(t->tags().size() == 2);
  CHECK(t->tags()[0].index_file == (d / "T.CDX").string());  // named after T.DBF
  CHECK(t->tags()[1].index_file == (d / "OTHER.CDX").string());
  CHECK(t->tag_order("NAME") == std::vector<uint32_t>{4, 2, 3, 1, 5});
  uint32_t r = t->append(std::vector<Value>{Value::integer(6), Value::text("Aerts")});
  t->update(3, 1, Value::text("Zeger"));
  t->remove(1);
  CHECK(t->tag_order("NAME") == std::vector<uint32_t>{r, 4, 2, 1, 5, 3});
  CHECK(t->verify_tag("NAME").empty());
  CHECK(t->verify_tag("ID").empty());
  CHECK(t->seek("NAME", Value::text("JANS")) == 2u);
  {
    Cursor c(*t, "NAME");
    REQUIRE(c.go_top());
    CHECK(c.recno() == r);
  }
  CHECK_THROWS_AS(t->create_tag({"NAME", "ID", "", false, false, false}), Error);  // name taken
  t->close();

  // Reopened, the standalone index is not open until asked for.
  t = Table::open(d / "T.DBF", excl());
  CHECK(t->tags().size() == 1);
  CHECK_THROWS_AS(t->seek("NAME", Value::text("A")), Error);
  t->open_index(d / "OTHER.CDX");
  CHECK(t->seek("NAME", Value::text("AERTS")) == 6u);
  // Changes while it is open reach it; pack rebuilds it, and a cursor keeps its tag
  // (unpositioned, as VFP leaves a work area after PACK).
  Cursor c(*t, "NAME");
  REQUIRE(c.go_top());
  t->pack();
  CHECK(t->record_count() == 5);
  CHECK(c.tag() == "NAME");
  CHECK(c.eof());
  CHECK(t->verify_tag("NAME").empty());
  REQUIRE(c.go_top());
  CHECK(c.read().get(1).str().rfind("Aerts", 0) == 0);
  // Dropping its last tag removes the file, as for the structural index.
  t->drop_tag("NAME");
  CHECK_FALSE(fs::exists(d / "OTHER.CDX"));
  CHECK(t->tags().size() == 1);
}

TEST_CASE("a standalone index goes stale while closed and reindex repairs it", "[cdx]") {
  TempDir d;
  {
    auto t = make(d, false);
    t->create_tag(kName, d / "names.cdx");
    CHECK_FALSE(t->info().structural_index);  // the table still has no structural index
  }
  {
    auto t = Table::open(d / "T.DBF", excl());
    t->append(std::vector<Value>{Value::integer(6), Value::text("Aerts")});
  }
  auto t = Table::open(d / "T.DBF", excl());
  t->open_index(d / "names.cdx");
  CHECK_FALSE(t->verify_tag("NAME").empty());  // record 6 is missing from it
  t->reindex();
  CHECK(t->verify_tag("NAME").empty());
  CHECK(t->tag_order("NAME").front() == 6);
}

TEST_CASE("another user's changes reach a standalone index in shared use", "[cdx]") {
  TempDir d;
  {
    auto t = make(d, true);
    t->create_tag(kName, d / "OTHER.CDX");
  }
  auto a = Table::open(d / "T.DBF");
  auto b = Table::open(d / "T.DBF");
  a->open_index(d / "OTHER.CDX");
  b->open_index(d / "OTHER.CDX");
  CHECK(b->seek("NAME", Value::text("MAES")) == 3u);
  a->update(3, 1, Value::text("Mertens"));
  CHECK(b->seek("NAME", Value::text("MAES")) == std::nullopt);
  CHECK(b->seek("NAME", Value::text("MERT")) == 3u);
  CHECK(b->verify_tag("NAME").empty());
}

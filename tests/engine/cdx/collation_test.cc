// A tag under a collation other than MACHINE (VFP's GENERAL, DUTCH, ...) holds weight keys
// this engine does not compute: it must be readable but never written, so a change to the
// table is refused instead of leaving the tag wrong.
#include <catch2/catch.hpp>
#include <fstream>

#include "cdx/cdx_file.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;

TEST_CASE("a GENERAL collation tag is reported and protected from writes", "[cdx]") {
  TempDir d;
  {
    auto t = Table::create(d / "g.dbf", parse_field_list("NAME C(10)"));
    std::vector<Value> v = {Value::text("b")};
    t->append(v);
    t->create_tag({"NAME", "NAME", "", false, false, false});
  }
  uint32_t header_offset;
  {
    auto f = cdx::CdxFile::open(FileSystem::os().open(d / "g.cdx", OpenMode::read_only));
    header_offset = f->find("NAME")->header_offset;
  }
  {
    // Mark the tag GENERAL, as VFP would after INDEX ON ... with SET COLLATE TO "GENERAL".
    std::fstream f(d / "g.cdx", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(header_offset + 494);
    f.write("GENERAL\0", 8);
  }
  auto t = Table::open(d / "g.dbf");
  REQUIRE(t->tags().size() == 1);
  CHECK(t->tags()[0].collation == "GENERAL");
  CHECK(t->tags()[0].problem.find("collation GENERAL") != std::string::npos);
  CHECK(t->tag_order("NAME") == std::vector<uint32_t>{1});
  std::vector<Value> v = {Value::text("a")};
  CHECK_THROWS_AS(t->append(v), Error);
  CHECK(t->record_count() == 1);
}

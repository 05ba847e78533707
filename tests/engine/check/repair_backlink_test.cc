// Repair of a table that belongs to a Visual FoxPro database (DBC): the 263-byte backlink after
// the field descriptors names the database, and a repair that rewrites the table or its header
// must keep it (issue 29), or the table loses its long names and its database.
#include <catch2/catch.hpp>

#include "test_util.h"
#include "xbase/check.h"
#include "xbase/repair.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

std::string backlink_of(const std::filesystem::path& p) {
  std::string b = test::read_file(p);
  size_t header_len = uint8_t(b[8]) | size_t(uint8_t(b[9])) << 8;
  std::string link = b.substr(header_len - 263, 263);
  return link.substr(0, link.find('\0'));
}

std::filesystem::path member_table(const TempDir& d) {
  auto p = d / "ITEMS.DBF";
  CreateOptions c;
  c.backlink = "shop.dbc";
  auto t = Table::create(p, parse_field_list("ID I, NAME C(20), NOTE M"), c);
  for (int i = 1; i <= 5; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text("item " + std::to_string(i)),
                                 Value::text("note " + std::to_string(i))});
  t->create_tag({"NAME", "NAME", "", false, false, false});
  return p;
}

}  // namespace

TEST_CASE("repair keeps a database member table's backlink", "[check]") {
  TempDir d;
  auto p = member_table(d);
  REQUIRE(backlink_of(p) == "shop.dbc");
  // Damage: the last record cut short.
  std::string bytes = test::read_file(p);
  bytes.resize(bytes.size() - 10);
  test::write_file(p, bytes);
  auto r = repair_table(p);
  CHECK(r.changed);
  CHECK(backlink_of(p) == "shop.dbc");
  CHECK(check_table(p).problems() == 0);
  OpenOptions ro;
  ro.read_only = true;
  auto t = Table::open(p, ro);
  CHECK(t->info().backlink == "shop.dbc");
}

TEST_CASE("repair that quarantines records keeps a database member table's backlink", "[check]") {
  TempDir d;
  auto p = member_table(d);
  // Record 2's memo pointer points far past the end of the memo file.
  std::string bytes = test::read_file(p);
  size_t header_len = uint8_t(bytes[8]) | size_t(uint8_t(bytes[9])) << 8;
  size_t record_len = uint8_t(bytes[10]) | size_t(uint8_t(bytes[11])) << 8;
  size_t note = header_len + record_len + 1 + 4 + 20;
  bytes[note] = '\xFF';
  bytes[note + 1] = '\xFF';
  bytes[note + 2] = '\xFF';
  test::write_file(p, bytes);
  REQUIRE(check_table(p).problems() > 0);
  auto r = repair_table(p);
  CHECK(r.changed);
  CHECK(backlink_of(p) == "shop.dbc");
  CHECK(check_table(p).problems() == 0);
}

// dBASE II tables (version byte 0x02: 8-byte header, 16-byte descriptors, count at offset 1):
// read as dBASE II, instead of misread as dBASE III ("header length 19781 is past the end of
// the file"); opened read-only only.
#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;

namespace {

// A dBASE II file: 8-byte header, 16-byte descriptors NAME C(10), QTY N(5), then 0x0D padded
// to 521 bytes, and two records.
std::string dbase2_file() {
  std::string h(521, '\0');
  h[0] = 0x02;
  h[1] = 2;  // records
  h[3] = 12; h[4] = 31; h[5] = 84;  // MM DD YY
  h[6] = 16;  // record length: 1 + 10 + 5
  auto field = [&](size_t at, const char* name, char type, uint8_t len, uint16_t addr) {
    std::memcpy(&h[at], name, std::strlen(name));
    h[at + 11] = type;
    h[at + 12] = char(len);
    h[at + 13] = char(addr & 0xFF);
    h[at + 14] = char(addr >> 8);
  };
  field(8, "NAME", 'C', 10, 1);
  field(24, "QTY", 'N', 5, 11);
  h[40] = 0x0D;
  return h + " Widget        7" + " Gadget       12" + "\x1A";
}

}  // namespace

TEST_CASE("a dBASE II table is read: its fields and records as dBASE II lays them out", "[dbf]") {
  test::TempDir d;
  test::write_file(d / "OLD.DBF", dbase2_file());
  OpenOptions ro;
  ro.read_only = true;
  auto t = Table::open(d / "OLD.DBF", ro);
  CHECK(t->warnings().empty());
  REQUIRE(t->record_count() == 2);
  REQUIRE(t->fields().size() == 2);
  CHECK(t->fields()[0].name == "NAME");
  CHECK(t->fields()[1].type == FieldType::numeric);
  CHECK(t->read(1).get(0).str() == "Widget");
  CHECK(t->read(1).get(1).str() == "7");
  CHECK(t->read(2).get(0).str() == "Gadget");
  CHECK(t->read(2).get(1).str() == "12");
}

TEST_CASE("a dBASE II table is not opened for writing (its header is not dBASE III's)", "[dbf]") {
  test::TempDir d;
  test::write_file(d / "OLD.DBF", dbase2_file());
  try {
    Table::open(d / "OLD.DBF");
    FAIL("a dBASE II table opened for writing");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::usage);
    CHECK(std::string(e.what()).find("dBASE II table (version byte 0x02) can be opened read-only only") != std::string::npos);
  }
  CHECK(test::read_file(d / "OLD.DBF") == dbase2_file());  // nothing written
}

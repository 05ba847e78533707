// dBASE II tables (version byte 0x02): refused by name instead of misread as dBASE III
// ("header length 19781 is past the end of the file").
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

TEST_CASE("dbase2 table is refused as dBASE II, not misread as dBASE III", "[dbf]") {
  test::TempDir d;
  test::write_file(d / "OLD.DBF", dbase2_file());
  try {
    Table::open(d / "OLD.DBF", [] { OpenOptions o; o.read_only = true; return o; }());
    FAIL("a dBASE II table opened");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::format);
    CHECK(std::string(e.what()).find("a dBASE II table") != std::string::npos);
    CHECK(std::string(e.what()).find("2 records") != std::string::npos);
    CHECK(std::string(e.what()).find("past the end of the file") == std::string::npos);
  }
}

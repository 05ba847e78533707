// Byte layout of what the engine writes, checked against XBASE_REFERENCE.md where the Python
// readers cannot tell (they ignore the bits in question), so that other products read our files
// the way we mean them.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;

namespace {

struct Raw {
  std::string bytes;
  uint16_t header_len, record_len;
  const char* record(uint32_t recno) const {
    return bytes.data() + header_len + size_t(recno - 1) * record_len;
  }
};

Raw raw_of(const std::filesystem::path& p) {
  Raw r;
  r.bytes = test::read_file(p);
  REQUIRE(r.bytes.size() >= 32);
  auto u = [&](size_t i) { return uint16_t(uint8_t(r.bytes[i]) | uint8_t(r.bytes[i + 1]) << 8); };
  r.header_len = u(8);
  r.record_len = u(10);
  return r;
}

}  // namespace

TEST_CASE("new VFP records have _NullFlags bits only where fields own them", "[interop][layout]") {
  // Reference 2.13: bits go to V/Q length bits and nullable fields in order; "unused high bits
  // of the last byte should be written as 0". Fields: A.null=0, B.len=1, C.len=2, C.null=3.
  test::TempDir dir;
  auto path = dir / "nf.dbf";
  {
    CreateOptions co;
    co.format = Format::vfp;
    auto t = Table::create(path, parse_field_list("A C(10) NULL, B V(20), C V(5) NULL, D I"), co);
    t->append();  // 1: blank: B and C are short (length 0), nothing null
    std::vector<Value> v = {Value::text("x"), Value::text(std::string(20, 'b')), Value::null(),
                            Value::integer(1)};
    t->append(v);  // 2: B full width (length bit 0), C null
    std::vector<Value> w = {Value::null(), Value::text("b"), Value::text("12345"),
                            Value::integer(2)};
    t->append(w);  // 3: A null, B short, C full width
    t->close();
  }
  Raw r = raw_of(path);
  // _NullFlags is the last field: one byte at the end of the record.
  auto flags = [&](uint32_t recno) { return uint8_t(r.record(recno)[r.record_len - 1]); };
  CHECK(int(flags(1)) == 0x06);       // B.len, C.len
  CHECK((flags(2) & ~0x04) == 0x08);  // C.null (C's length bit is not significant when null)
  CHECK(int(flags(3)) == 0x03);       // A.null, B.len
  for (uint32_t i = 1; i <= 3; ++i) CHECK((flags(i) & 0xF0) == 0);  // unused bits stay 0
}

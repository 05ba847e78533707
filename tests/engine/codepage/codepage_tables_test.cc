// Codepage tables: single-byte mappings both ways, unmappable characters, a multi-byte
// codepage, and the DBF header mark <-> codepage number table.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <map>
#include <string>

#include "codepage/converter.h"
#include "codepage/single_byte_tables.h"
#include "test_util.h"
#include "xbase/codepage.h"
#include "xbase/error.h"

namespace {

const xbase::Codepage& cp(int n) { return xbase::Codepage::get(n); }

}  // namespace

TEST_CASE("cp1252 maps Western European letters both ways", "[engine][codepage]") {
  CHECK(cp(1252).number() == 1252);
  CHECK(cp(1252).decode("\xE9") == "é");
  CHECK(cp(1252).encode("é") == "\xE9");
  CHECK(cp(1252).decode("\x80") == "€");
  CHECK(cp(1252).encode("€") == "\x80");
  CHECK(cp(1252).encode("Ærø Ünïcødé") ==
        "\xC6r\xF8 \xDCn\xEF"
        "c\xF8"
        "d\xE9");
  CHECK(cp(1252).decode("plain ASCII") == "plain ASCII");
  // Every byte survives decode -> encode, even the five the codepage leaves undefined.
  std::string all;
  for (int b = 0; b < 256; ++b) all += char(b);
  CHECK(cp(1252).encode(cp(1252).decode(all)) == all);
}

TEST_CASE("a character missing from the codepage is a codepage error", "[engine][codepage]") {
  try {
    cp(1252).encode("abc Ω");
    FAIL("Ω (U+03A9) was encoded in cp1252");
  } catch (const xbase::Error& e) {
    CHECK(e.code() == xbase::Errc::codepage);
    CHECK_THAT(e.what(), Catch::Contains("U+03A9"));
  }
  CHECK_THROWS_AS(cp(850).encode("€"), xbase::Error);          // cp850 has no euro sign
  CHECK_THROWS_AS(cp(866).encode("é"), xbase::Error);          // nor has Russian DOS é
  CHECK_THROWS_AS(cp(1252).encode("\xFF\xFE"), xbase::Error);  // invalid UTF-8
}

TEST_CASE("cp850 (DOS Latin-1) differs from cp1252", "[engine][codepage]") {
  CHECK(cp(850).decode("\x8E\x94\x81") == "Äöü");
  CHECK(cp(850).decode("\x82") == "é");
  CHECK(cp(850).decode("\xF5") == "§");
  CHECK(cp(850).encode("Äöü!§") == "\x8E\x94\x81!\xF5");
  CHECK(cp(850).decode("\xC4") == "─");  // box drawing
  CHECK(cp(437).decode("\x82") == "é");
}

TEST_CASE("cp866 and cp1251 hold Cyrillic", "[engine][codepage]") {
  CHECK(cp(866).decode("\x80") == "А");
  CHECK(cp(866).decode("\x9F") == "Я");
  CHECK(cp(866).decode("\xA0") == "а");
  CHECK(cp(866).decode("\xE0") == "р");
  CHECK(cp(866).decode("\xF1") == "ё");
  CHECK(cp(866).encode("Привет") == "\x8F\xE0\xA8\xA2\xA5\xE2");
  CHECK(cp(1251).encode("Привет") == "\xCF\xF0\xE8\xE2\xE5\xF2");
  CHECK(cp(1251).decode("\xC6") == "Ж");
}

TEST_CASE("cp936 is multi-byte GBK", "[engine][codepage]") {
  CHECK(cp(936).decode("\xD6\xD0\xCE\xC4") == "中文");
  CHECK(cp(936).encode("中文") == "\xD6\xD0\xCE\xC4");
  CHECK(cp(936).encode("abc中") == "abc\xD6\xD0");
  CHECK(cp(936).decode("abc") == "abc");
  CHECK(cp(936).encode(cp(936).decode("\xB1\xB1\xBE\xA9")) == "\xB1\xB1\xBE\xA9");  // 北京
  CHECK_THROWS_AS(cp(936).encode("Ærø"), xbase::Error);  // Æ is not in GBK
}

TEST_CASE("DBF codepage marks map to codepage numbers", "[engine][codepage]") {
  CHECK(xbase::codepage_from_mark(0x03) == 1252);
  CHECK(xbase::codepage_from_mark(0x01) == 437);
  CHECK(xbase::codepage_from_mark(0x02) == 850);
  CHECK(xbase::codepage_from_mark(0x65) == 866);
  CHECK(xbase::codepage_from_mark(0xC9) == 1251);
  CHECK(xbase::codepage_from_mark(0x7A) == 936);
  CHECK(xbase::codepage_from_mark(0x00) == 0);
  CHECK(xbase::mark_from_codepage(1252) == 0x03);
  CHECK(xbase::mark_from_codepage(850) == 0x02);
  CHECK(xbase::mark_from_codepage(866) == 0x65);
  CHECK(xbase::mark_from_codepage(936) == 0x7A);
  CHECK(xbase::mark_from_codepage(12345) == 0);
  // The marks VFP writes read back as the same codepage.
  for (int n : {437, 850, 852, 866, 874, 932, 936, 949, 950, 1250, 1251, 1252, 1253, 1254, 1255,
                1256, 1257}) {
    INFO("codepage " << n);
    CHECK(xbase::Codepage::known(n));
    CHECK(xbase::codepage_from_mark(xbase::mark_from_codepage(n)) == n);
  }
}

TEST_CASE("unknown codepages are refused", "[engine][codepage]") {
  CHECK_FALSE(xbase::Codepage::known(4242));
  try {
    xbase::Codepage::get(4242);
    FAIL("codepage 4242 exists");
  } catch (const xbase::Error& e) {
    CHECK(e.code() == xbase::Errc::unsupported);
  }
}

namespace {

// FNV-1a over what a codepage makes of all 256 bytes: decoded, upper- and lower-cased.
uint64_t table_digest(const xbase::Codepage& c, std::string& listing) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += char(b);
  std::string text = c.decode(all) + '|' + c.upper(all) + '|' + c.lower(all);
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : text) h = (h ^ ch) * 0x100000001b3ull;
  // Per byte, for finding the difference: byte=UTF-8 of its character/UPPER()/LOWER().
  listing.clear();
  for (int b = 0; b < 256; ++b) {
    std::string one(1, char(b));
    listing += fmt::format("\n{:02X}=", b);
    for (unsigned char u : c.decode(one)) listing += fmt::format("{:02X}", u);
    listing += fmt::format("/{:02X}/{:02X}", uint8_t(c.upper(one)[0]), uint8_t(c.lower(one)[0]));
  }
  return h;
}

}  // namespace

// The single-byte tables are shared code over the platform's converter (ICU on Linux, the
// Win32 API on Windows): both must give the same characters and the same UPPER()/LOWER()
// bytes, or a table would read differently on a Windows workstation. Digests made with ICU.
TEST_CASE("single-byte codepages decode and change case alike on every platform", "[engine][codepage]") {
  const std::pair<int, uint64_t> expected[] = {
      {437, 0x3766a4c1644e532eull}, {737, 0xc8ed53554fdda8daull}, {850, 0xb9341f959795f98dull},
      {852, 0x19143514743b0654ull}, {857, 0xad7aef4ce421f4b6ull}, {860, 0x6780343b3199f188ull},
      {861, 0xd543a5444a8445bdull}, {863, 0xf3fc44a7e0c837f0ull}, {865, 0x85778e73b3a557faull},
      {866, 0x2a63ecf039ce8f98ull}, {874, 0xd6eea13e1d7e8d67ull}, {1250, 0x408103f49a8605d9ull},
      {1251, 0x9a8cc9e365ff7ec9ull}, {1252, 0xc81ed939cf07372aull}, {1253, 0xb6eb66646c13adbaull},
      {1254, 0x948f166a9434a194ull}, {1255, 0xb6f3b1ee8e677532ull}, {1256, 0xc6bdc819a2c8004bull},
      {1257, 0x9656d38fb8fc6602ull}, {10000, 0xfad96dc2156c0991ull}, {10006, 0xb8cb7a6c911f3eb2ull},
      {10007, 0xf48f2075198bcdcdull}, {10029, 0xddd0db376870196bull},
  };
  for (const auto& [n, digest] : expected) {
    std::string listing;
    uint64_t got = table_digest(cp(n), listing);
    INFO("codepage " << n << ": digest 0x" << std::hex << got << "; byte=character/UPPER/LOWER:" << listing);
    CHECK(got == digest);
  }
}

#ifndef _WIN32
namespace {

// What ICU makes of each byte of a single-byte codepage: its character, and the bytes of its
// upper- and lower-case letter (the byte itself when the codepage lacks it).
struct IcuTable {
  std::array<char32_t, 256> chars{};
  std::array<uint8_t, 256> upper{}, lower{};
};

IcuTable icu_table(const xbase::codepage::SingleByteTable& t) {
  auto cnv = xbase::codepage::open_converter(t.number, t.icu);
  IcuTable r;
  std::map<char32_t, uint8_t> from;
  for (int b = 0; b < 256; ++b) {
    // A byte the codepage leaves undefined is the control character of its number, as on
    // Windows: every byte string stays round-trippable.
    r.chars[size_t(b)] = cnv->byte(uint8_t(b)).value_or(char32_t(b));
    from.emplace(r.chars[size_t(b)], uint8_t(b));
  }
  for (int b = 0; b < 256; ++b) {
    auto u = from.find(xbase::codepage::to_upper(r.chars[size_t(b)]));
    auto l = from.find(xbase::codepage::to_lower(r.chars[size_t(b)]));
    r.upper[size_t(b)] = u != from.end() ? u->second : uint8_t(b);
    r.lower[size_t(b)] = l != from.end() ? l->second : uint8_t(b);
  }
  return r;
}

}  // namespace

TEST_CASE("the shared single-byte tables are ICU's", "[engine][codepage]") {
  for (size_t i = 0; i < xbase::codepage::kSingleByteTableCount; ++i) {
    const auto& t = xbase::codepage::kSingleByteTables[i];
    IcuTable icu = icu_table(t);
    for (int b = 0; b < 256; ++b) {
      INFO("codepage " << t.number << " byte " << b);
      CHECK(uint32_t(t.chars[b]) == uint32_t(icu.chars[size_t(b)]));
      CHECK(int(t.upper[b]) == int(icu.upper[size_t(b)]));
      CHECK(int(t.lower[b]) == int(icu.lower[size_t(b)]));
    }
  }
}

// Writes engine/src/codepage/single_byte_tables.cc from ICU (hidden; run by hand after adding
// a codepage to the list, with XBASE_WRITE_CODEPAGE_TABLES=the file's path).
TEST_CASE("generate the single-byte tables from ICU", "[.generate]") {
  const char* out_path = std::getenv("XBASE_WRITE_CODEPAGE_TABLES");
  REQUIRE(out_path);
  std::string out =
      "// Generated from ICU by tests/engine/codepage/codepage_tables_test.cc (its \"[.generate]\"\n"
      "// case): the character, UPPER() and LOWER() of every byte of each single-byte codepage.\n"
      "#include \"codepage/single_byte_tables.h\"\n\nnamespace xbase::codepage {\n\n"
      "const SingleByteTable kSingleByteTables[] = {\n";
  auto rows = [&](auto values, const char* form, int per) {
    out += "     {\n";
    for (int b = 0; b < 256; ++b) {
      out += b % per == 0 ? "      " : " ";
      out += fmt::format(fmt::runtime(form), uint32_t(values[size_t(b)]));
      out += b == 255 ? "\n" : b % per == per - 1 ? ",\n" : ",";
    }
  };
  for (size_t i = 0; i < xbase::codepage::kSingleByteTableCount; ++i) {
    const auto& t = xbase::codepage::kSingleByteTables[i];
    IcuTable icu = icu_table(t);
    out += fmt::format("    {{{}, \"{}\",\n", t.number, t.icu);
    rows(icu.chars, "0x{:04X}", 12);
    out += "     },\n";
    rows(icu.upper, "0x{:02X}", 16);
    out += "     },\n";
    rows(icu.lower, "0x{:02X}", 16);
    out += "     }},\n";
  }
  out += "};\n\nconst size_t kSingleByteTableCount = sizeof kSingleByteTables / sizeof kSingleByteTables[0];\n\n"
         "}  // namespace xbase::codepage\n";
  xbase::test::write_file(out_path, out);
}
#endif

// Codepage tables: single-byte mappings both ways, unmappable characters, a multi-byte
// codepage, and the DBF header mark <-> codepage number table.
#include <catch2/catch.hpp>
#include <string>

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

// Text on its way into XML, PDF and spreadsheets.
#include <catch2/catch.hpp>

#include "outputs/labels.h"
#include "outputs/text_clean.h"

using namespace invoicing::outputs;
using invoicing::domain::Decimal;

TEST_CASE("clean_text keeps UTF-8 and drops what XML 1.0 forbids", "[outputs][text]") {
  CHECK(clean_text("Zoë & Fils — € 12") == "Zoë & Fils — € 12");
  CHECK(clean_text("a\x01" "b\x7F" "c\td\ne") == "abc\td\ne");
  CHECK(clean_text("caf\xE9") == "caf\xEF\xBF\xBD");            // Latin-1 é is not UTF-8
  CHECK(clean_text("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  CHECK(clean_text("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(clean_text("\xEF\xBF\xBF") == "");                       // U+FFFF
  CHECK(clean_text("\xF0\x9F\x8D\xBA") == "\xF0\x9F\x8D\xBA");   // 🍺
  CHECK(clean_text("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");   // cut short
}

TEST_CASE("Numbers and dates as each language writes them", "[outputs][text]") {
  const Decimal d = *Decimal::parse("-1234567.5");
  CHECK(format_number(d, "nl", 2) == "-1.234.567,50");
  CHECK(format_number(d, "fr", 2) == "-1\u00A0234\u00A0567,50");
  CHECK(format_number(d, "en", 2) == "-1,234,567.50");
  CHECK(format_number(*Decimal::parse("2.500"), "nl", -1) == "2,5");
  CHECK(format_number(*Decimal::parse("3.000"), "nl", -1) == "3");
  CHECK(format_number(*Decimal::parse("12.5"), "nl", -2) == "12,50");
  CHECK(format_number(*Decimal::parse("0.1234"), "en", -2) == "0.1234");
  CHECK(format_number(*Decimal::parse("999.995"), "nl", 2) == "1.000,00");
  using namespace std::chrono;
  CHECK(format_date(year{2026} / March / 5, "fr") == "05/03/2026");
  CHECK(format_date(year{2026} / March / 5, "en") == "5 Mar 2026");
}

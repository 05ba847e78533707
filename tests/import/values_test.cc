// Values as exports write them: decimal comma or point, day-first dates, Excel serials,
// yes/no in three languages.
#include "import/values.h"

#include <catch2/catch.hpp>

using namespace invoicing::import;

TEST_CASE("Decimal text with either mark and thousands separators", "[import][values]") {
  CHECK(parse_decimal_text("1.234,56", ',') == "1234.56");
  CHECK(parse_decimal_text("1.234,56", '.') == "1234.56");  // both marks: the last decides
  CHECK(parse_decimal_text("1,234.56", ',') == "1234.56");
  CHECK(parse_decimal_text("1234,5", '.') == "1234.5");  // not three digits: a decimal mark
  CHECK(parse_decimal_text("12.50", ',') == "12.50");
  CHECK(parse_decimal_text("0,125", '.') == "0.125");  // "0," groups nothing
  CHECK(parse_decimal_text("1.234.567", ',') == "1234567");
  CHECK(parse_decimal_text("1 234,56", ',') == "1234.56");
  CHECK(parse_decimal_text("1\xC2\xA0"
                           "234,56",
                           ',') == "1234.56");  // no-break space
  CHECK(parse_decimal_text("\xE2\x82\xAC 12,50", ',') == "12.50");
  CHECK(parse_decimal_text("12,50 EUR", ',') == "12.50");
  CHECK(parse_decimal_text("-3,5", ',') == "-3.5");
  CHECK(parse_decimal_text("3,5-", ',') == "-3.5");
  CHECK(parse_decimal_text("-0,00", ',') == "0.00");
  // The one ambiguous shape follows the file's mark.
  CHECK(parse_decimal_text("1.234", ',') == "1234");
  CHECK(parse_decimal_text("1.234", '.') == "1.234");
  CHECK(parse_decimal_text("1,234", ',') == "1.234");
  CHECK(parse_decimal_text("1,234", '.') == "1234");
  // Not numbers.
  CHECK_FALSE(parse_decimal_text("", ','));
  CHECK_FALSE(parse_decimal_text("12a", ','));
  CHECK_FALSE(parse_decimal_text("1.23.4", ','));  // groups of three only
  CHECK_FALSE(parse_decimal_text("1,2,3.4", ','));
  CHECK_FALSE(parse_decimal_text("1.234,5,6", ','));
  CHECK_FALSE(parse_decimal_text("--1", ','));
}

TEST_CASE("The decimal mark a value shows beyond doubt", "[import][values]") {
  CHECK(decimal_mark_evidence("12,50") == ',');
  CHECK(decimal_mark_evidence("12.5") == '.');
  CHECK(decimal_mark_evidence("1.234,56") == ',');
  CHECK(decimal_mark_evidence("1.234.567") == ',');
  CHECK(decimal_mark_evidence("1.234") == 0);
  CHECK(decimal_mark_evidence("12") == 0);
  CHECK(decimal_mark_evidence("abc") == 0);
}

TEST_CASE("Spreadsheet numbers become plain decimal text of 15 digits", "[import][values]") {
  CHECK(normalize_number("12.5") == "12.5");
  CHECK(normalize_number("12.300000000000001") == "12.3");
  CHECK(normalize_number("0.30000000000000004") == "0.3");
  CHECK(normalize_number("1.2345E-3") == "0.0012345");
  CHECK(normalize_number("1E+21") == "1000000000000000000000");
  CHECK(normalize_number("-0.5") == "-0.5");
  CHECK(normalize_number("0") == "0");
  CHECK(normalize_number("007") == "7");
  CHECK(normalize_number("99.9999999999999999") == "100");
  CHECK_FALSE(normalize_number("1,5"));
  CHECK_FALSE(normalize_number("1e"));
  CHECK_FALSE(normalize_number("abc"));
  CHECK_FALSE(normalize_number("1e999999"));
  CHECK(number_from_double(0.1 + 0.2) == "0.3");
  CHECK(number_from_double(34.95) == "34.95");
  CHECK(number_from_double(-2) == "-2");
}

TEST_CASE("Excel serial dates in both date systems", "[import][values]") {
  // 45352 days after 1899-12-30 is 2024-03-01 (Excel shows 45352 as 01/03/2024).
  CHECK(date_from_serial("45352", false) == "2024-03-01");
  CHECK(date_from_serial("45352.75", false) == "2024-03-01 18:00:00");
  CHECK(date_from_serial("0.5", false, true) == "12:00:00");
  CHECK(date_from_serial("1", false) == "1900-01-01");
  CHECK(date_from_serial("59", false) == "1900-02-28");
  CHECK_FALSE(date_from_serial("60", false));  // Excel's 29/02/1900, a day that never was
  CHECK(date_from_serial("61", false) == "1900-03-01");
  CHECK(date_from_serial("0", true) == "1904-01-01");
  CHECK(date_from_serial("43889", true) == date_from_serial("45351", false));  // 1462 apart
  CHECK_FALSE(date_from_serial("-1", false));
  CHECK_FALSE(date_from_serial("99999999", false));
}

TEST_CASE("Dates day first or ISO, booleans in three languages", "[import][values]") {
  CHECK(parse_date_text("01/03/2024") == "2024-03-01");
  CHECK(parse_date_text("1-3-2024") == "2024-03-01");
  CHECK(parse_date_text("01.03.2024") == "2024-03-01");
  CHECK(parse_date_text("2024-03-01") == "2024-03-01");
  CHECK(parse_date_text("29/02/2024 14:30") == "2024-02-29");
  CHECK_FALSE(parse_date_text("29/02/2023"));
  CHECK_FALSE(parse_date_text("31/04/2024"));
  CHECK_FALSE(parse_date_text("01/03/24"));
  CHECK_FALSE(parse_date_text("2024/03-01"));
  CHECK_FALSE(parse_date_text("13/13/2024"));
  for (const char* yes : {"ja", "Oui", "YES", "1", "x", "X", "waar", "vrai", "j"}) {
    CHECK(parse_boolean_text(yes) == true);
  }
  for (const char* no : {"nee", "Non", "no", "0", "faux", "N"}) {
    CHECK(parse_boolean_text(no) == false);
  }
  CHECK_FALSE(parse_boolean_text("misschien"));
  CHECK_FALSE(parse_boolean_text(""));
}

TEST_CASE("The formula guard of CSV exports comes off again, exactly once", "[import][values]") {
  CHECK(without_formula_guard("'=SUM(A1)") == "=SUM(A1)");
  CHECK(without_formula_guard("'+32 2 123 45 67") == "+32 2 123 45 67");
  CHECK(without_formula_guard("'-5") == "-5");
  CHECK(without_formula_guard("'@home") == "@home");
  CHECK(without_formula_guard("''=x") == "'=x");  // the export guarded "'=x" as "''=x"
  CHECK(without_formula_guard("'''-") == "''-");
  CHECK_FALSE(without_formula_guard("'t Fonteintje"));
  CHECK_FALSE(without_formula_guard("=SUM(A1)"));  // not guarded: taken as it is
  CHECK_FALSE(without_formula_guard("'"));
  CHECK_FALSE(without_formula_guard("''"));
  CHECK_FALSE(without_formula_guard(""));
}

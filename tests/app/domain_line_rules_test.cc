// Line input is stored exactly or refused; documents do not go negative (issue 19).
#include <catch2/catch.hpp>

#include "domain/line_rules.h"

using namespace invoicing::domain;

namespace {
Decimal d(const char* s) { return *Decimal::parse(s); }
LineInput line(const char* q, const char* p, const char* disc = "0") {
  return {d(q), d(p), d(disc), VatCategory::standard, Decimal::from_integer(21)};
}
const DocRef kInvoice{DocType::invoice, 2026, 0, 7};
}  // namespace

TEST_CASE("Regression: a quantity of 1.0005 and a 9-decimal price are refused, not rounded",
          "[app][domain][lines]") {
  // What happened: the draft computed from the typed values, the final one from the stored
  // (rounded) ones, and the two disagreed.
  const LineInput typed = line("1.0005", "100.000000001");
  const LineInput stored{typed.quantity.round(3), typed.unit_price.round(4), typed.discount_percent,
                         typed.category, typed.vat_rate};
  REQUIRE(compute_totals({typed}).total_incl != compute_totals({stored}).total_incl);
  Verdict v = check_line(typed, 1);
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason == "line 1: a quantity has at most 3 decimals: 1.0005");
  v = check_line(line("1", "100.000000001"), 2);
  CHECK(v.reason == "line 2: a unit price has at most 4 decimals: 100.000000001");
  v = check_line(line("1", "1", "10.125"), 3);
  CHECK(v.reason == "line 3: a discount has at most 2 decimals: 10.125");
  // Trailing zeros are not extra precision.
  CHECK(check_line(line("1.5000", "2.10000"), 1).ok);
}

TEST_CASE("What passes is stored unchanged, so draft and final totals agree",
          "[app][domain][lines]") {
  for (const LineInput& l :
       {line("1.001", "100.1235"), line("3", "19.99", "12.5"), line("-1", "5")}) {
    REQUIRE(check_line(l, 1).ok);
    const LineInput stored{l.quantity.round(3), l.unit_price.round(4), l.discount_percent.round(2),
                           l.category, l.vat_rate};
    CHECK(compute_totals({l}).total_incl == compute_totals({stored}).total_incl);
  }
}

TEST_CASE("Values wider than their field are refused with the limit", "[app][domain][lines]") {
  CHECK(check_line(line("9999999999.999", "1"), 1).ok);
  Verdict v = check_line(line("10000000000", "1"), 1);
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason ==
        "line 1: a quantity has at most 10 digits before the decimal point: 10000000000");
  CHECK_FALSE(check_line(line("1", "-999999999.0001"), 1).ok);
  CHECK_FALSE(check_line(line("9223372036854775807", "1"), 1).ok);  // padding would overflow
  CHECK_FALSE(check_line(line("1", "1", "100.5"), 1).ok);
  CHECK_FALSE(check_line(line("1", "1", "-1"), 1).ok);
}

TEST_CASE("Zero quantities are refused", "[app][domain][lines]") {
  Verdict v = check_line(line("0.000", "12"), 4);
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason == "line 4: the quantity is 0");
}

TEST_CASE("Regression: a negative invoice is refused, refunds are credit notes",
          "[app][domain][lines]") {
  Verdict v = check_document_lines(kInvoice, {line("-1", "50")});
  REQUIRE_FALSE(v.ok);
  CHECK(
      v.reason ==
      "draft invoice totals -60.50: a document's total is not negative (refunds are credit notes)");
  CHECK(v.advice.find("--to credit-note") != std::string::npos);
  // A return line inside an invoice that stays positive is fine.
  CHECK(check_document_lines(kInvoice, {line("2", "50"), line("-1", "50")}).ok);
  CHECK_FALSE(
      check_document_lines(DocRef{DocType::credit_note, 2026, 3, 8}, {line("-1", "50")}).ok);
  CHECK_FALSE(check_document_lines(kInvoice, {}).ok);
  v = check_document_lines(kInvoice, {line("1", "5"), line("1.0005", "5")});
  CHECK(v.reason == "draft invoice, line 2: a quantity has at most 3 decimals: 1.0005");
}

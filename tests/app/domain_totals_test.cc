// Document totals: published EN 16931 examples reproduced to the cent, and Belgian
// mixed-rate invoices and credit notes where rounding per line would give another total.
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/money.h"
#include "domain/totals.h"

using invoicing::domain::apply_percent;
using invoicing::domain::compute_totals;
using invoicing::domain::Decimal;
using invoicing::domain::LineInput;
using invoicing::domain::Totals;
using invoicing::domain::VatCategory;

namespace {

Decimal d(const char* text) {
  std::optional<Decimal> v = Decimal::parse(text);
  REQUIRE(v.has_value());
  return *v;
}

LineInput line(const char* qty, const char* price, const char* rate,
               VatCategory category = VatCategory::standard, const char* discount = "0") {
  LineInput l;
  l.quantity = d(qty);
  l.unit_price = d(price);
  l.discount_percent = d(discount);
  l.category = category;
  l.vat_rate = d(rate);
  return l;
}

// What a program that rounds VAT per line would print: Σ round(net × rate / 100).
Decimal per_line_vat(const std::vector<LineInput>& lines, const Totals& t) {
  Decimal sum = Decimal::from_cents(0);
  for (size_t i = 0; i < lines.size(); ++i) {
    sum += apply_percent(t.line_net[i], lines[i].vat_rate).round(2);
  }
  return sum;
}

void check_breakdown(const Totals& t, size_t i, VatCategory category, const char* rate,
                     const char* base, const char* vat) {
  REQUIRE(t.breakdown.size() > i);
  INFO("breakdown " << i);
  CHECK(t.breakdown[i].category == category);
  CHECK(t.breakdown[i].rate == d(rate));
  CHECK(t.breakdown[i].base.to_string() == base);
  CHECK(t.breakdown[i].vat.to_string() == vat);
}

}  // namespace

// CEN/TC 434 example 1, as published with the EN 16931 validation artefacts:
// ConnectingEurope/eInvoicing-EN16931, ubl/examples/ubl-tc434-example1.xml (invoice
// 12115118, De Koksmaat, NL, EUR). Expected: VAT S 6 % base 183.23 VAT 10.99; S 21 % base
// 46.37 VAT 9.74; BT-109 229.60, BT-110 20.73, BT-112 250.33.
// Line 20 (FRITUUR VET 10 KG RETOUR) is published as quantity 6 with line amount −109.98;
// we express the return the way our documents do, as quantity −6 at 18.33.
TEST_CASE("EN 16931 example 1 (ubl-tc434-example1) reproduces exactly", "[app][domain][totals]") {
  const std::vector<LineInput> lines = {
      line("2", "9.95", "6"),  line("1", "9.85", "6"),   line("1", "8.29", "6"),
      line("2", "7.23", "6"),  line("1", "35.00", "6"),  line("1", "35.00", "6"),
      line("1", "10.65", "6"), line("1", "1.55", "6"),   line("3", "4.79", "6"),
      line("1", "8.29", "6"),  line("2", "8.29", "6"),   line("1", "9.95", "6"),
      line("2", "1.65", "6"),  line("1", "10.80", "21"), line("1", "3.90", "6"),
      line("2", "3.80", "21"), line("2", "4.67", "21"),  line("1", "18.63", "21"),
      line("6", "17.02", "6"), line("-6", "18.33", "6"),
  };
  const Totals t = compute_totals(lines);
  const std::vector<std::string> expected_nets = {
      "19.90", "9.85", "8.29", "14.46", "35.00", "35.00", "10.65", "1.55",  "14.37",  "8.29",
      "16.58", "9.95", "3.30", "10.80", "3.90",  "7.60",  "9.34",  "18.63", "102.12", "-109.98"};
  REQUIRE(t.line_net.size() == expected_nets.size());
  for (size_t i = 0; i < expected_nets.size(); ++i) {
    INFO("line " << i + 1);
    CHECK(t.line_net[i].to_string() == expected_nets[i]);
  }
  REQUIRE(t.breakdown.size() == 2);
  check_breakdown(t, 0, VatCategory::standard, "21", "46.37", "9.74");
  check_breakdown(t, 1, VatCategory::standard, "6", "183.23", "10.99");
  CHECK(t.total_excl.to_string() == "229.60");
  CHECK(t.total_vat.to_string() == "20.73");
  CHECK(t.total_incl.to_string() == "250.33");
}

// CEN/TC 434 example 4: ConnectingEurope/eInvoicing-EN16931,
// ubl/examples/ubl-tc434-example4.xml (invoice TOSL110, DK, DKK). Expected: S 25 % base
// 1500.00 VAT 375.00; S 12 % base 2500.00 VAT 300.00; BT-109 4000.00, BT-110 675.00,
// BT-112 4675.00.
TEST_CASE("EN 16931 example 4 (ubl-tc434-example4) reproduces exactly", "[app][domain][totals]") {
  const std::vector<LineInput> lines = {
      line("1000", "1.00", "25"),
      line("100", "5.00", "25"),
      line("500", "5.00", "12"),
  };
  const Totals t = compute_totals(lines);
  CHECK(t.line_net[0].to_string() == "1000.00");
  CHECK(t.line_net[1].to_string() == "500.00");
  CHECK(t.line_net[2].to_string() == "2500.00");
  REQUIRE(t.breakdown.size() == 2);
  check_breakdown(t, 0, VatCategory::standard, "25", "1500.00", "375.00");
  check_breakdown(t, 1, VatCategory::standard, "12", "2500.00", "300.00");
  CHECK(t.total_excl.to_string() == "4000.00");
  CHECK(t.total_vat.to_string() == "675.00");
  CHECK(t.total_incl.to_string() == "4675.00");
}

// Peppol BIS Billing 3.0 example for VAT category E: OpenPEPPOL/peppol-bis-invoice-3,
// rules/examples/vat-category-E.xml (10 × 120.00 GBP, category E, 0 %). Expected: E 0 %
// base 1200.00 VAT 0.00; BT-109 1200.00, BT-110 0.00, BT-112 1200.00.
TEST_CASE("Peppol BIS 3.0 vat-category-E example reproduces exactly", "[app][domain][totals]") {
  const Totals t = compute_totals({line("10", "120.00", "0", VatCategory::exempt)});
  REQUIRE(t.breakdown.size() == 1);
  check_breakdown(t, 0, VatCategory::exempt, "0", "1200.00", "0.00");
  CHECK(t.total_excl.to_string() == "1200.00");
  CHECK(t.total_vat.to_string() == "0.00");
  CHECK(t.total_incl.to_string() == "1200.00");
}

namespace {
// A Belgian invoice with 21 % and 6 % lines and line discounts, built so that rounding the
// VAT per line would give 11.82 while EN 16931 (per breakdown) gives 11.80.
std::vector<LineInput> belgian_mixed() {
  return {
      line("5", "2.50", "21"),                              // 12.50 → 2.625
      line("3", "2.50", "21"),                              //  7.50 → 1.575
      line("10", "3.25", "21"),                             // 32.50 → 6.825
      line("4", "1.25", "6", VatCategory::standard, "15"),  //  5.00 − 0.75 = 4.25 → 0.255
      line("1", "0.25", "6"),                               //  0.25 → 0.015
      line("3", "2.75", "6"),                               //  8.25 → 0.495
  };
}
}  // namespace

TEST_CASE("Belgian mixed-rate invoice rounds VAT per breakdown, not per line",
          "[app][domain][totals]") {
  const std::vector<LineInput> lines = belgian_mixed();
  const Totals t = compute_totals(lines);
  REQUIRE(t.line_net.size() == 6);
  CHECK(t.line_net[3].to_string() == "4.25");
  CHECK(t.line_discount[3].to_string() == "0.75");
  CHECK(t.line_discount[0].to_string() == "0.00");
  REQUIRE(t.breakdown.size() == 2);
  check_breakdown(t, 0, VatCategory::standard, "21", "52.50", "11.03");  // 11.025
  check_breakdown(t, 1, VatCategory::standard, "6", "12.75", "0.77");    // 0.765
  CHECK(t.total_excl.to_string() == "65.25");
  CHECK(t.total_vat.to_string() == "11.80");
  CHECK(t.total_incl.to_string() == "77.05");
  // The example does tell the two methods apart.
  CHECK(per_line_vat(lines, t).to_string() == "11.82");
}

TEST_CASE("A credit note with negated quantities mirrors the invoice to the cent",
          "[app][domain][totals]") {
  std::vector<LineInput> lines = belgian_mixed();
  for (LineInput& l : lines) l.quantity = -l.quantity;
  const Totals t = compute_totals(lines);
  CHECK(t.line_net[3].to_string() == "-4.25");
  CHECK(t.line_discount[3].to_string() == "-0.75");
  REQUIRE(t.breakdown.size() == 2);
  check_breakdown(t, 0, VatCategory::standard, "21", "-52.50", "-11.03");
  check_breakdown(t, 1, VatCategory::standard, "6", "-12.75", "-0.77");
  CHECK(t.total_excl.to_string() == "-65.25");
  CHECK(t.total_vat.to_string() == "-11.80");
  CHECK(t.total_incl.to_string() == "-77.05");
  CHECK(per_line_vat(lines, t).to_string() == "-11.82");
  // Same with positive quantities and negative prices (a negative credit line).
  std::vector<LineInput> priced = belgian_mixed();
  for (LineInput& l : priced) l.unit_price = -l.unit_price;
  const Totals p = compute_totals(priced);
  CHECK(p.total_incl == t.total_incl);
  CHECK(p.total_vat == t.total_vat);
}

TEST_CASE("A return line inside an invoice reduces its breakdown", "[app][domain][totals]") {
  const std::vector<LineInput> lines = {
      line("1", "0.50", "21"),   // 0.105 per line → 0.11
      line("3", "0.50", "21"),   // 0.315 → 0.32
      line("-1", "0.50", "21"),  // −0.105 → −0.11
      line("5", "0.50", "21"),   // 0.525 → 0.53
  };
  const Totals t = compute_totals(lines);
  REQUIRE(t.breakdown.size() == 1);
  check_breakdown(t, 0, VatCategory::standard, "21", "4.00", "0.84");
  CHECK(per_line_vat(lines, t).to_string() == "0.85");
  CHECK(t.total_incl.to_string() == "4.84");
}

TEST_CASE("Line net amounts round to cents per line", "[app][domain][totals]") {
  const std::vector<LineInput> lines = {
      line("3", "9.99", "21", VatCategory::standard, "12.5"),  // 29.97 − 3.74625 → 3.75
      line("0.333", "10", "21"),                               // 3.33
      line("2.5", "0.333", "21"),                              // 0.8325 → 0.83
      line("1", "0.005", "21"),                                // 0.01 (half away from zero)
      line("-1", "0.005", "21"),                               // −0.01
      line("1", "0.0049", "21"),                               // 0.00
      line("7", "19.99", "12", VatCategory::standard, "100"),  // free: 0.00
  };
  const Totals t = compute_totals(lines);
  CHECK(t.line_discount[0].to_string() == "3.75");
  CHECK(t.line_net[0].to_string() == "26.22");
  CHECK(t.line_net[1].to_string() == "3.33");
  CHECK(t.line_net[2].to_string() == "0.83");
  CHECK(t.line_net[3].to_string() == "0.01");
  CHECK(t.line_net[4].to_string() == "-0.01");
  CHECK(t.line_net[5].to_string() == "0.00");
  CHECK(t.line_net[6].to_string() == "0.00");
  CHECK(t.line_discount[6].to_string() == "139.93");
  for (const Decimal& n : t.line_net) CHECK(n.scale() == 2);
  // 26.22 + 3.33 + 0.83 + 0.01 − 0.01 + 0.00 = 30.38 → VAT 6.3798 → 6.38
  REQUIRE(t.breakdown.size() == 2);
  check_breakdown(t, 0, VatCategory::standard, "21", "30.38", "6.38");
  check_breakdown(t, 1, VatCategory::standard, "12", "0.00", "0.00");
  CHECK(t.total_incl.to_string() == "36.76");
}

TEST_CASE("The breakdown is ordered by category, then rate descending", "[app][domain][totals]") {
  const std::vector<LineInput> lines = {
      line("1", "100", "0", VatCategory::intra_eu),
      line("1", "10", "6"),
      line("1", "20", "0", VatCategory::reverse_charge),
      line("1", "30", "21"),
      line("1", "1", "0", VatCategory::export_outside_eu),
      line("1", "2", "0", VatCategory::exempt),
      line("1", "40", "12"),
      line("1", "3", "0", VatCategory::zero_rated),
      line("1", "50", "21.00"),  // same group as 21
      line("1", "4", "0"),
  };
  const Totals t = compute_totals(lines);
  REQUIRE(t.breakdown.size() == 9);
  check_breakdown(t, 0, VatCategory::standard, "21", "80.00", "16.80");
  check_breakdown(t, 1, VatCategory::standard, "12", "40.00", "4.80");
  check_breakdown(t, 2, VatCategory::standard, "6", "10.00", "0.60");
  check_breakdown(t, 3, VatCategory::standard, "0", "4.00", "0.00");
  check_breakdown(t, 4, VatCategory::zero_rated, "0", "3.00", "0.00");
  check_breakdown(t, 5, VatCategory::exempt, "0", "2.00", "0.00");
  check_breakdown(t, 6, VatCategory::reverse_charge, "0", "20.00", "0.00");
  check_breakdown(t, 7, VatCategory::intra_eu, "0", "100.00", "0.00");
  check_breakdown(t, 8, VatCategory::export_outside_eu, "0", "1.00", "0.00");
  CHECK(t.total_excl.to_string() == "260.00");
  CHECK(t.total_vat.to_string() == "22.20");
  CHECK(t.total_incl.to_string() == "282.20");
}

TEST_CASE("Totals of no lines are zero", "[app][domain][totals]") {
  const Totals t = compute_totals({});
  CHECK(t.line_net.empty());
  CHECK(t.breakdown.empty());
  CHECK(t.total_excl.to_string() == "0.00");
  CHECK(t.total_vat.to_string() == "0.00");
  CHECK(t.total_incl.to_string() == "0.00");
}

TEST_CASE("compute_totals refuses inconsistent lines", "[app][domain][totals]") {
  CHECK_THROWS_AS(compute_totals({line("1", "10", "21", VatCategory::reverse_charge)}),
                  std::invalid_argument);
  CHECK_THROWS_AS(compute_totals({line("1", "10", "6", VatCategory::intra_eu)}),
                  std::invalid_argument);
  CHECK_THROWS_AS(compute_totals({line("1", "10", "-21")}), std::invalid_argument);
  CHECK_THROWS_AS(compute_totals({line("1", "10", "21", VatCategory::standard, "-5")}),
                  std::invalid_argument);
  CHECK_THROWS_AS(compute_totals({line("1", "10", "21", VatCategory::standard, "100.01")}),
                  std::invalid_argument);
  try {
    compute_totals({line("1", "1", "21"), line("1", "10", "21", VatCategory::reverse_charge)});
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("line 2") != std::string::npos);
    CHECK(what.find("AE") != std::string::npos);
  }
}

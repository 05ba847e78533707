// Matching bank lines to open invoices: OGM first, then exact amount and customer; never
// twice; unmatched lines say why.
#include <catch2/catch.hpp>

#include "domain/bank_match.h"
#include "domain/ogm.h"

using namespace invoicing::domain;

namespace {
Decimal d(const char* s) { return *Decimal::parse(s); }
BankLine line(const char* amount, const char* name, const char* iban, const char* ref,
              const char* text = "") {
  return {d(amount), name, iban, ref, text};
}
OpenInvoice inv(int n, const char* customer, const char* open, std::string ogm = {}) {
  return {DocRef{DocType::invoice, 2026, n, n}, customer, d(open), std::move(ogm)};
}
const std::vector<CustomerIdentity> kCustomers = {{"ACME", "Acme NV", {"BE71096123456769"}},
                                                  {"BOLT", "Bolt BV", {"NL91ABNA0417164300"}}};
}  // namespace

TEST_CASE("OGMs are found in references and free text", "[app][domain][match]") {
  CHECK(find_ogm("202600000192") == "202600000192");
  CHECK(find_ogm("+++202/6000/00192+++") == "202600000192");
  CHECK(find_ogm("betaling ***202/6000/00192*** bedankt") == "202600000192");
  CHECK(find_ogm("factuur 2026/1 +++202/6000/00192+++") == "202600000192");
  CHECK(find_ogm("+++202/6000/00193+++").empty());  // wrong check digits
  CHECK(find_ogm("order 12345").empty());
}

TEST_CASE("An invoice is never paid twice: the same OGM twice leaves the second unmatched",
          "[app][domain][match]") {
  const std::vector<OpenInvoice> open = {inv(1, "ACME", "121.00", ogm_from_number(2026000001))};
  const BankMatchResult r = match_bank_lines({line("121.00", "Acme NV", "", "202600000192"),
                                              line("121.00", "Acme NV", "", "202600000192")},
                                             open, kCustomers);
  REQUIRE(r.matches.size() == 1);
  REQUIRE(r.unmatched.size() == 1);
  CHECK(r.unmatched[0].line == 1);
  CHECK(r.unmatched[0].why ==
        "structured communication +++202/6000/00192+++ is that of invoice 2026/1, which is paid "
        "already");
}

TEST_CASE("Two partial payments with the OGM, and an overpayment noted as surplus",
          "[app][domain][match]") {
  const std::vector<OpenInvoice> open = {inv(1, "ACME", "100.00", "202600000192")};
  BankMatchResult r = match_bank_lines(
      {line("40", "", "", "202600000192"), line("70", "", "", "", "+++202/6000/00192+++")}, open,
      kCustomers);
  REQUIRE(r.matches.size() == 2);
  CHECK(r.matches[0].partial);
  CHECK(r.matches[1].amount == d("60"));
  CHECK(r.matches[1].surplus == d("10"));
  CHECK_FALSE(r.matches[1].partial);
}

TEST_CASE("A valid OGM of no open invoice is not guessed at by amount", "[app][domain][match]") {
  const std::vector<OpenInvoice> open = {inv(1, "ACME", "121.00")};
  BankMatchResult r = match_bank_lines(
      {line("121.00", "Acme NV", "BE71096123456769", "202600000293")}, open, kCustomers);
  CHECK(r.matches.empty());
  REQUIRE(r.unmatched.size() == 1);
  CHECK(r.unmatched[0].why ==
        "structured communication +++202/6000/00293+++ belongs to no open invoice");
}

TEST_CASE("Amount and customer: by IBAN, then by name, with ambiguity and unknowns explained",
          "[app][domain][match]") {
  const std::vector<OpenInvoice> open = {inv(1, "ACME", "121.00"), inv(2, "ACME", "50.00"),
                                         inv(3, "ACME", "50.00"), inv(4, "BOLT", "80.00")};
  BankMatchResult r = match_bank_lines(
      {
          line("121.00", "Someone else", "be71 0961 2345 6769", ""),  // IBAN wins over the name
          line("80.00", "BOLT  bv", "", ""),                          // by name
          line("50.00", "Acme NV", "", ""),                           // two invoices of 50
          line("33.00", "Acme NV", "", ""),                           // no such amount
          line("10.00", "Stranger", "DE89370400440532013000", ""),    // no such customer
          line("121.00", "Acme NV", "", ""),                          // invoice 1 is taken already
      },
      open, kCustomers);
  REQUIRE(r.matches.size() == 2);
  CHECK(r.matches[0].invoice.number == 1);
  CHECK(r.matches[0].by == MatchedBy::amount_and_iban);
  CHECK(r.matches[1].invoice.number == 4);
  CHECK(r.matches[1].by == MatchedBy::amount_and_name);
  REQUIRE(r.unmatched.size() == 4);
  CHECK(r.unmatched[0].why ==
        "no structured communication, and 2 open invoices of ACME for 50.00: invoice 2026/2, "
        "invoice 2026/3");
  CHECK(r.unmatched[1].why ==
        "no structured communication, and no open invoice of ACME for exactly 33.00");
  CHECK(r.unmatched[2].why ==
        "no structured communication, and no customer with IBAN DE89370400440532013000 or name "
        "\"Stranger\"");
  CHECK(r.unmatched[3].line == 5);
}

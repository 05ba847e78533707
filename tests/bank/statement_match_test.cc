// A whole statement matched to open invoices, in both formats: an OGM payment of one
// invoice, a partial payment, a payment by amount + IBAN without OGM, an unrelated debit,
// details of a bank-totalled batch (CODA) and a foreign-currency transfer known by name
// (camt.053).
#include <catch2/catch.hpp>

#include "bank/camt053.h"
#include "bank/coda.h"
#include "domain/bank_match.h"
#include "test_util.h"

using namespace invoicing;
using domain::DocRef;
using domain::DocType;
using domain::MatchedBy;

namespace {
domain::Decimal d(const char* s) { return *domain::Decimal::parse(s); }

std::vector<domain::BankLine> lines_of(const bank::Statement& s) {
  std::vector<domain::BankLine> out;
  for (const bank::Transaction& t : s.transactions)
    out.push_back(
        {t.amount, t.counterparty_name, t.counterparty_iban, t.structured_reference, t.free_text});
  return out;
}

domain::OpenInvoice inv(int n, const char* customer, const char* open, const char* ogm) {
  return {DocRef{DocType::invoice, 2026, n, 100 + n}, customer, d(open), ogm};
}

const std::vector<domain::OpenInvoice> kOpen = {inv(1, "ACME", "121.00", "+++202/6000/00192+++"),
                                                inv(2, "BOLT", "100.00", "+++202/6000/00293+++"),
                                                inv(3, "CARGO", "242.00", "+++202/6000/00394+++"),
                                                inv(4, "DELTA", "10.00", "+++202/6000/00495+++"),
                                                inv(5, "ECHO", "20.00", "+++202/6000/00596+++"),
                                                inv(6, "FOXTROT", "110.00", ""),
                                                inv(7, "CARGO", "99.00", "")};
const std::vector<domain::CustomerIdentity> kCustomers = {
    {"ACME", "ACME NV", {"BE71096123456769"}},
    {"CARGO", "Cargo SPRL", {"BE43 0689 9999 9501"}},
    {"FOXTROT", "Foxtrot Inc.", {}}};
}  // namespace

TEST_CASE("A CODA statement is matched to open invoices, each line once", "[app][bank][match]") {
  const auto st = bank::parse_coda(
      xbase::test::read_file(std::string(BANK_DATA_DIR) + "/statement.cod"), "s.cod");
  const domain::BankMatchResult r = domain::match_bank_lines(lines_of(st[0]), kOpen, kCustomers);
  REQUIRE(r.matches.size() == 5);
  CHECK(r.matches[0].invoice.number == 1);
  CHECK(r.matches[0].by == MatchedBy::ogm);
  CHECK_FALSE(r.matches[0].partial);
  CHECK(r.matches[1].invoice.number == 2);
  CHECK(r.matches[1].amount == d("50"));
  CHECK(r.matches[1].partial);
  CHECK(r.matches[2].invoice.number == 3);
  CHECK(r.matches[2].by == MatchedBy::amount_and_iban);
  CHECK(r.matches[3].invoice.number == 4);
  CHECK(r.matches[4].invoice.number == 5);
  REQUIRE(r.unmatched.size() == 1);
  CHECK(r.unmatched[0].line == 3);
  CHECK(r.unmatched[0].why == "a payment out (-35.50), not a customer paying");
}

TEST_CASE("A camt.053 statement is matched the same way, the foreign transfer by name",
          "[app][bank][match]") {
  const auto st = bank::parse_camt053(
      xbase::test::read_file(std::string(BANK_DATA_DIR) + "/statement.053.001.08.xml"), "s.xml");
  const domain::BankMatchResult r = domain::match_bank_lines(lines_of(st[0]), kOpen, kCustomers);
  REQUIRE(r.matches.size() == 4);
  CHECK(r.matches[0].invoice.number == 1);
  CHECK(r.matches[1].invoice.number == 2);
  CHECK(r.matches[1].partial);
  CHECK(r.matches[2].invoice.number == 3);
  CHECK(r.matches[3].invoice.number == 6);
  CHECK(r.matches[3].by == MatchedBy::amount_and_name);
  REQUIRE(r.unmatched.size() == 1);
  CHECK(r.unmatched[0].line == 3);
}

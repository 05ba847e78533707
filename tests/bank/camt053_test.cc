// The camt.053 parser on statements written from the ISO 20022 message definitions
// (data/statement.053.001.02.xml with a default namespace, .08 with a prefix), and its
// refusals: not XML, not camt.053, a DTD (the XML bomb), bad amounts, unbalanced totals.
#include "bank/camt053.h"

#include <catch2/catch.hpp>
#include <string>

#include "test_util.h"

using invoicing::bank::parse_camt053;
using invoicing::bank::Statement;
using invoicing::bank::StatementError;
using invoicing::domain::Date;
using invoicing::domain::Decimal;

namespace {
std::string sample(const char* version) {
  return xbase::test::read_file(std::string(BANK_DATA_DIR) + "/statement.053.001." + version +
                                ".xml");
}
Decimal d(const char* s) { return *Decimal::parse(s); }
std::string refusal(const std::string& bytes) {
  try {
    parse_camt053(bytes, "march.xml");
  } catch (const StatementError& e) {
    return e.what();
  }
  return "(accepted)";
}
std::string replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}
}  // namespace

TEST_CASE("camt.053: versions 02 and 08 read the same statement", "[app][bank][camt]") {
  for (const char* v : {"02", "08"}) {
    INFO(v);
    const std::vector<Statement> all = parse_camt053(sample(v), "statement.xml");
    REQUIRE(all.size() == 1);
    const Statement& s = all[0];
    CHECK(s.format == std::string("camt.053.001.") + v);
    CHECK(s.account == "NL91ABNA0417164300");
    CHECK(s.currency == "EUR");
    CHECK(s.sequence == "42");
    CHECK(s.date == Date{2026, 3, 10});
    CHECK(s.opening_balance == d("1000"));
    CHECK(s.closing_balance == d("1487.50"));
    REQUIRE(s.transactions.size() == 5);
    const auto& t = s.transactions;
    CHECK(t[0].amount == d("121"));
    CHECK(t[0].counterparty_name == "ACME NV");
    CHECK(t[0].counterparty_iban == "BE71096123456769");
    CHECK(t[0].counterparty_bic == "GKCCBEBB");
    CHECK(t[0].structured_reference == "202600000192");  // "+++202/6000/00192+++" normalised
    CHECK(t[1].structured_reference == "202600000293");
    CHECK(t[2].free_text == "Factuur 3 maart");
    CHECK(t[3].amount == d("-35.50"));
    CHECK(t[3].counterparty_name == "Energie NV");  // the creditor for a debit
    CHECK(t[3].counterparty_iban == "BE26210000000029");
    CHECK(t[4].amount == d("110"));
    REQUIRE(t[4].original_amount);
    CHECK(*t[4].original_amount == d("120"));
    CHECK(t[4].original_currency == "USD");
    CHECK(t[4].booking_date == Date{2026, 3, 10});
    CHECK(t[4].source == "Stmt[1]/Ntry[5]/NtryDtls/TxDtls[1]");
  }
}

TEST_CASE("camt.053: pending entries are left out, batches give one transaction each",
          "[app][bank][camt]") {
  // The debit pending instead of booked: it is not in the list and the balance check is off.
  std::string s = replace(sample("02"),
                          "<Sts>BOOK</Sts>\n        <BookgDt><Dt>2026-03-10</Dt></BookgDt>\n       "
                          " <ValDt><Dt>2026-03-10</Dt></ValDt>\n        <AcctSvcrRef>REF-35.50",
                          "<Sts>PDNG</Sts>\n        <BookgDt><Dt>2026-03-10</Dt></BookgDt>\n       "
                          " <ValDt><Dt>2026-03-10</Dt></ValDt>\n        <AcctSvcrRef>REF-35.50");
  CHECK(parse_camt053(s, "p.xml")[0].transactions.size() == 4);
  // The first entry as a batch of two transfers (100 + 21).
  s = replace(sample("02"), "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ACME NV",
              "<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt "
              "Ccy=\"EUR\">100.00</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>ZULU</Nm></Dbtr></"
              "RltdPties></TxDtls>"
              "<TxDtls><AmtDtls><TxAmt><Amt "
              "Ccy=\"EUR\">21.00</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>ACME NV");
  const auto t = parse_camt053(s, "b.xml")[0].transactions;
  REQUIRE(t.size() == 6);
  CHECK(t[0].amount == d("100"));
  CHECK(t[0].counterparty_name == "ZULU");
  CHECK(t[1].amount == d("21"));
  CHECK(refusal(replace(s, "<Amt Ccy=\"EUR\">21.00</Amt></TxAmt>",
                        "<Amt Ccy=\"EUR\">22.00</Amt></TxAmt>"))
            .find("Stmt[1]/Ntry[1] (line 12): the entry's amount 121.00 is not the sum of its "
                  "transactions (122.00)") != std::string::npos);
}

TEST_CASE("camt.053: an XML bomb is refused before anything expands", "[app][bank][camt]") {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [\n <!ENTITY a \"aaaaaaaaaa\">\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(" <!ENTITY ") + c + " \"";
    for (int i = 0; i < 10; ++i) bomb += std::string("&") + static_cast<char>(c - 1) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">&k;</Document>\n";
  CHECK(refusal(bomb).find(
            "march.xml: DOCTYPE (line 2): a document type declaration (DTD) is not accepted") == 0);
  // An external entity, the other way in.
  CHECK(refusal("<?xml version=\"1.0\"?><!DOCTYPE d SYSTEM \"file:///etc/passwd\"><Document/>")
            .find("DOCTYPE") != std::string::npos);
}

TEST_CASE("camt.053: what is not a camt.053 statement is refused naming the element",
          "[app][bank][camt]") {
  CHECK(refusal("not xml at all").find("march.xml: line 1: not well-formed XML") == 0);
  CHECK(refusal("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"/>")
            .find("namespace \"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\" is not camt.053") !=
        std::string::npos);
  CHECK(refusal("<Invoice/>") == "march.xml: root element: \"Invoice\" is not a camt.053 Document");
  CHECK(refusal(replace(sample("02"), "<Amt Ccy=\"EUR\">50.00</Amt>",
                        "<Amt Ccy=\"EUR\">50,00</Amt>")) ==
        "march.xml: Stmt[1]/Ntry[2]/Amt (line 23): \"50,00\" is not an amount (digits and an "
        "optional '.')");
  CHECK(refusal(replace(sample("02"), "<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>D</CdtDbtInd>")) ==
        "march.xml: Stmt[1]/Ntry[4]/CdtDbtInd: \"D\" is not CRDT or DBIT");
  CHECK(refusal(
            replace(sample("02"), "<Dt>2026-03-10</Dt></BookgDt>", "<Dt>2026-02-30</Dt></BookgDt>"))
            .find("Stmt[1]/Ntry[1]/BookgDt") != std::string::npos);
  CHECK(refusal(replace(sample("02"), "1487.50", "1487.51"))
            .find("the closing balance 1487.51 is not the opening balance 1000.00 plus the entries "
                  "(487.50)") != std::string::npos);
  CHECK(
      refusal(replace(sample("02"), "<Cd>CLBD</Cd>", "<Cd>XXXX</Cd>")).find("no closing balance") !=
      std::string::npos);
}

TEST_CASE("camt.053: amounts beyond 64 bits are refused, not thrown as overflow",
          "[app][bank][camt]") {
  std::string s = replace(sample("02"), "<Amt Ccy=\"EUR\">121.00</Amt>",
                          "<Amt Ccy=\"EUR\">9000000000000000000</Amt>");
  s = replace(s, "<Amt Ccy=\"EUR\">50.00</Amt>", "<Amt Ccy=\"EUR\">9000000000000000000</Amt>");
  CHECK(refusal(s) ==
        "march.xml: an amount, or the sum of the amounts, is beyond what the program counts");
}

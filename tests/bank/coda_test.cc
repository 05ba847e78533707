// The CODA parser on a statement written from the Febelfin layout (data/statement.cod), and
// its refusals of broken files, each naming the file, the line and the positions.
#include "bank/coda.h"

#include <catch2/catch.hpp>
#include <string>

#include "test_util.h"

using invoicing::bank::parse_coda;
using invoicing::bank::Statement;
using invoicing::bank::StatementError;
using invoicing::domain::Date;
using invoicing::domain::Decimal;

namespace {
std::string sample() {
  return xbase::test::read_file(std::string(BANK_DATA_DIR) + "/statement.cod");
}
Decimal d(const char* s) { return *Decimal::parse(s); }

// The sample with line `line` (1-based) changed at 1-based position `pos`.
std::string patched(int line, int pos, const std::string& with) {
  std::string s = sample();
  size_t at = 0;
  for (int i = 1; i < line; ++i) at = s.find('\n', at) + 1;
  s.replace(at + static_cast<size_t>(pos) - 1, with.size(), with);
  return s;
}

std::string refusal(const std::string& bytes) {
  try {
    parse_coda(bytes, "march.cod");
  } catch (const StatementError& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("CODA: balances, account and each movement of the sample", "[app][bank][coda]") {
  const std::vector<Statement> all = parse_coda(sample(), "statement.cod");
  REQUIRE(all.size() == 1);
  const Statement& s = all[0];
  CHECK(s.format == "CODA 2");
  CHECK(s.account == "BE68539007547034");
  CHECK(s.currency == "EUR");
  CHECK(s.sequence == "042");
  CHECK(s.date == Date{2026, 3, 10});
  CHECK(s.opening_balance == d("1000.00"));
  CHECK(s.closing_balance == d("1407.50"));
  // 4 simple movements, then a bank-totalled global of 30.00 replaced by its 2 details.
  REQUIRE(s.transactions.size() == 6);
  const auto& t = s.transactions;
  CHECK(t[0].amount == d("121.00"));
  CHECK(t[0].amount.scale() == 2);
  CHECK(t[0].structured_reference == "202600000192");
  CHECK(t[0].counterparty_name == "ACME NV");
  CHECK(t[0].counterparty_iban == "BE71096123456769");
  CHECK(t[0].counterparty_bic == "GKCCBEBB");
  CHECK(t[0].booking_date == Date{2026, 3, 10});
  CHECK(t[1].structured_reference == "202600000293");
  CHECK(t[1].counterparty_iban == "NL91ABNA0417164300");
  CHECK(t[2].structured_reference.empty());
  CHECK(t[2].free_text == "Factuur 3 maart dank u");
  CHECK(t[3].amount == d("-35.50"));
  CHECK(t[3].counterparty_name == "ENERGIE NV");
  CHECK(t[4].amount == d("10.00"));
  CHECK(t[4].structured_reference == "202600000495");
  CHECK(t[5].amount == d("20.00"));
  CHECK(t[5].counterparty_name == "ECHO NV");
  Decimal sum;
  for (const auto& x : t) sum += x.amount;
  CHECK(s.opening_balance + sum == s.closing_balance);
}

TEST_CASE("CODA: LF line ends, Latin-1 names and two statements in one file", "[app][bank][coda]") {
  std::string s = sample();
  std::string lf;
  for (char c : s)
    if (c != '\r') lf += c;
  // "ACME NV" → "ACMÉ NV" in Latin-1 (0xC9).
  lf.replace(lf.find("ACME NV"), 7, "ACM\xC9 NV");
  const auto all = parse_coda(lf + lf, "twice.cod");
  REQUIRE(all.size() == 2);
  CHECK(all[1].transactions[0].counterparty_name == "ACM\xC3\x89 NV");
}

TEST_CASE("CODA: broken files are refused naming file, line and positions", "[app][bank][coda]") {
  CHECK(refusal("") == "march.cod: not a CODA file: no records");
  CHECK(refusal("hello\n") == "march.cod: line 1: a CODA record is 128 characters, this one 5");
  CHECK(refusal(patched(1, 128, "1")) ==
        "march.cod: line 1 (record 0), positions 128-128: CODA version \"1\": only version 2 is "
        "read");
  CHECK(refusal(patched(3, 33, "00000000012X000")) ==
        "march.cod: line 3 (record 2.1), positions 33-47: \"00000000012X000\" is not 15 digits");
  CHECK(
      refusal(patched(3, 32, "7")) ==
      "march.cod: line 3 (record 2.1), positions 32-32: sign \"7\" is not 0 (credit) or 1 (debit)");
  CHECK(refusal(patched(3, 48, "310226")) ==
        "march.cod: line 3 (record 2.1), positions 48-53: \"310226\" is not a date DDMMYY");
  CHECK(refusal(patched(3, 1, "7"))
            .find("march.cod: line 3 (record 7), positions 1-1: record identification") == 0);
  // An amount changed: the movements no longer lead to the new balance.
  CHECK(refusal(patched(3, 33, "000000000122000")) ==
        "march.cod: line 24: the new balance 1407.50 is not the old balance 1000.00 plus the "
        "movements "
        "(408.50): records are missing or wrong");
  // Cut short: no trailer.
  std::string cut = sample();
  cut.resize(cut.rfind("9 "));
  CHECK(refusal(cut).find("the file ends inside a statement") != std::string::npos);
  // A 2.2 that continues nothing.
  std::string s = sample();
  size_t second = s.find('\n') + 1;
  size_t third = s.find('\n', second) + 1;
  s.insert(third, s.substr(s.find("\n22") + 1, 130));
  CHECK(refusal(s).find("march.cod: line 3: record 2.2 does not follow its record 2.1") == 0);
}

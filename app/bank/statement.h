// One bank statement as the invoicing program needs it, whatever format it came in (CODA
// from Belgian banks, camt.053 from Dutch and most other banks). Format code only: the
// parsers fill this, domain/bank_match.h decides what each transaction pays.
//
// Parsers throw StatementError for a file that is not a valid statement of their format,
// naming the file and the line (CODA) or element path (camt.053) — they never return half a
// statement.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/date.h"
#include "domain/money.h"

namespace invoicing::bank {

struct Transaction {
  domain::Date booking_date;
  std::optional<domain::Date> value_date;
  domain::Decimal amount;  // in the account's currency: + received, − paid out
  std::string currency;    // the account's currency
  // When the transfer was made in another currency: what was instructed, in which currency.
  std::optional<domain::Decimal> original_amount;
  std::string original_currency;
  std::string counterparty_name;  // UTF-8
  std::string counterparty_iban;  // upper case, no spaces; empty when not given
  std::string counterparty_bic;
  std::string
      structured_reference;  // OGM as 12 digits, or the reference as given (RF..., NL 16 digits)
  std::string free_text;     // unstructured communication, UTF-8
  std::string bank_reference;
  std::string source;  // where in the file: "line 7" / "Stmt[1]/Ntry[3]"
};

struct Statement {
  std::string format;   // "CODA 2", "camt.053.001.02" ...
  std::string account;  // IBAN (upper case, no spaces) or the account number as given
  std::string currency;
  std::string sequence;  // the statement's number
  domain::Date date;     // the statement's date (closing balance date)
  domain::Decimal opening_balance;
  domain::Decimal closing_balance;
  std::vector<Transaction> transactions;
};

class StatementError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace invoicing::bank

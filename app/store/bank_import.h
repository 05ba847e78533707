// Bank statements into payments: a CODA or camt.053 file read by app/bank, its lines matched
// to the open invoices (domain/bank_match.h: structured communication first, then exact amount
// and the customer known by IBAN or name), each match recorded as a payment in an action of its
// own under the invoice's lock. Every line carries a key made from what identifies it whatever
// the format (account, booking date, amount, counterparty, reference, and its place among equal
// lines), so a statement imported twice (or in both formats) is recognised and changes nothing.
#pragma once

#include <string>
#include <vector>

#include "domain/money.h"
#include "store/company.h"

namespace invoicing::store {

struct BankLineOutcome {
  std::string where;  // "statement 042, line 7"
  std::string booked;  // booking date
  domain::Decimal amount;
  std::string counterparty;
  // Matched: the invoice, what it got and what went on account, and how it was found.
  std::string invoice, customer, by;
  domain::Decimal paid, surplus;
  std::string why;  // unmatched: why
};

struct BankImportResult {
  std::string format;  // "CODA 2", "camt.053.001.08"
  size_t statements = 0, lines = 0;
  std::vector<BankLineOutcome> matched, unmatched, already;  // already: imported before
  bool recorded = false;  // false for a dry run
};

// `bytes`: the file's content; `file_name` for messages. A file that is neither CODA nor
// camt.053, or is damaged, is refused (UserError naming the file and the place) and nothing
// is recorded.
BankImportResult import_bank_statement(Company& c, const std::string& bytes, const std::string& file_name,
                                       bool dry_run);

}  // namespace invoicing::store

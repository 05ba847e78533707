// Which open invoice each line of a bank statement pays.
//
// 1. By structured communication (the OGM, "+++123/4567/89012+++"): taken from the line's
//    structured reference or, failing that, from its free text. A valid OGM that belongs to
//    no open invoice is listed as unmatched, not guessed at by amount: the customer meant a
//    particular invoice.
// 2. Then lines without an OGM by exact amount and customer: the customer is the one whose
//    known IBANs include the counterparty's IBAN, else whose name is the counterparty's name
//    (case and spacing ignored); the line must equal the open amount of exactly one of that
//    customer's invoices.
// An invoice is never paid twice: what a line pays comes off the invoice's open amount for
// the lines after it; a payment beyond the open amount is matched for the open amount and
// the rest noted as a credit for the customer. Debits (money going out) are not customer
// payments. Every line that stays unmatched is listed with why.
#pragma once

#include <string>
#include <vector>

#include "domain/document.h"
#include "domain/money.h"

namespace invoicing::domain {

struct BankLine {
  Decimal amount;  // + received, − paid out
  std::string counterparty_name;
  std::string counterparty_iban;
  std::string structured_reference;  // 12 digits for an OGM, or empty
  std::string free_text;
};

struct OpenInvoice {
  DocRef doc;
  std::string customer;
  Decimal open;     // still to be paid (payments.h InvoiceState::open)
  std::string ogm;  // its structured communication, any accepted form; empty when none
};

struct CustomerIdentity {
  std::string customer;
  std::string name;
  std::vector<std::string> ibans;
};

enum class MatchedBy { ogm, amount_and_iban, amount_and_name };

struct BankMatch {
  size_t line = 0;  // index into the lines given
  DocRef invoice;
  std::string customer;
  Decimal amount;        // allocated to the invoice
  Decimal surplus;       // paid beyond the open amount (a credit for the customer), else 0
  bool partial = false;  // the invoice stays partly open
  MatchedBy by = MatchedBy::ogm;
};

struct BankUnmatched {
  size_t line = 0;
  std::string why;
};

struct BankMatchResult {
  std::vector<BankMatch> matches;        // in line order
  std::vector<BankUnmatched> unmatched;  // in line order
};

// The OGM's 12 digits found in a reference or a free text, or empty.
std::string find_ogm(const std::string& text);

BankMatchResult match_bank_lines(const std::vector<BankLine>& lines,
                                 const std::vector<OpenInvoice>& invoices,
                                 const std::vector<CustomerIdentity>& customers);

}  // namespace invoicing::domain

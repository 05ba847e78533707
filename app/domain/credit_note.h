// Limits on the credit notes of one invoice (issue 19: "one invoice received three credit
// notes: balance −418.54, stock +6 for 2 sold"). Partial credit notes are allowed, per line
// or by amount, as long as, over all live credit notes of the invoice:
// - their totals (VAT included, positive amounts) never exceed the invoice's total, and
// - per article, the stock they bring back never exceeds what left with the invoice (or
//   with the delivery note it was made from).
// Amounts and quantities are positive here: a credit note's lines carry positive
// quantities, its direction comes from its type (document.h stock_direction).
#pragma once

#include <string>
#include <vector>

#include "domain/document.h"
#include "domain/money.h"
#include "domain/verdict.h"

namespace invoicing::domain {

struct ArticleQuantity {
  std::string article;  // the article's code, as users know it
  Decimal quantity;
};

struct InvoiceForCredit {
  DocRef invoice;
  DocStatus status = DocStatus::final;
  Decimal total_incl;                      // BT-112 of the invoice
  std::vector<ArticleQuantity> stock_out;  // per article, what left stock for this invoice
};

struct CreditNoteAmounts {
  DocRef credit_note;
  Decimal total_incl;                       // BT-112 of the credit note, positive
  std::vector<ArticleQuantity> stock_back;  // per article, what comes back (positive)
};

// What may still be credited: the amount and, per article of the invoice, the quantity.
struct CreditRoom {
  Decimal amount;
  std::vector<ArticleQuantity> stock;
};

// `earlier`: the invoice's other live credit notes (finals and other drafts; never the
// proposed one itself). Amounts and quantities may come out negative when earlier credit
// notes (made before this rule) already went past a limit.
CreditRoom credit_room(const InvoiceForCredit& invoice,
                       const std::vector<CreditNoteAmounts>& earlier);

// Before saving a credit note's lines and again when finalizing it (under the store's lock
// on the invoice): the invoice is final, the total is positive, and the amount and each
// article's quantity fit credit_room().
Verdict check_credit_note(const InvoiceForCredit& invoice,
                          const std::vector<CreditNoteAmounts>& earlier,
                          const CreditNoteAmounts& proposed);

}  // namespace invoicing::domain

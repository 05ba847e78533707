// What is left to pay on each final invoice, kept on the document (DOC.OPENAMT, schema 7) so
// that the dashboard counts the open and overdue invoices by the OPEN index instead of reading
// every invoice's payments. It is what the ledger says (domain/payments.h): the total less its
// final credit notes (up to the total) and the payments received for it; 0 for every other
// document. Each action that changes one of those writes the new amount in the same action:
// finalizing an invoice or a credit note, a payment added or removed, a bank statement line
// matched, a backup merged; an upgrade computes it for the documents already there, and
// `invoicing verify` reports a stored amount that differs.
#pragma once

#include <string>
#include <vector>

#include "store/records.h"
#include "store/storage.h"

namespace invoicing::store {

// What is left to pay on `d` now, from its credit notes and payments (read by index); 0 when
// it is not a final invoice. `except_payment`: a payment row left out (one being removed).
domain::Decimal computed_open_amount(Storage& s, const Document& d, RowId except_payment = 0);

// Inside an action: stores `open` on the invoice when it differs (writes DOC: before any
// table after it in the action).
void store_open_amount(Storage& s, const Document& d, const domain::Decimal& open);
// The same with the amount computed now.
void refresh_open_amount(Storage& s, int32_t doc_id);

// Every final invoice's amount computed from every credit note and payment, in one action;
// returns how many were changed (an upgrade from before schema 7).
size_t refresh_open_amounts(Storage& s);

// The invoices whose stored amount differs from what their credit notes and payments leave
// ("invoice 2026/4: stored as 0.00 left to pay, its payments leave 121.00").
std::vector<std::string> open_amount_problems(Storage& s);

}  // namespace invoicing::store

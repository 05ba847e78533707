// What the document modules of the store (drafts, finalization, document flow, payments,
// verify) share: reading a document and its lines, naming it as the rules do, totals from the
// stored values of its lines, turning a rule's refusal into the store's UserError, and the
// links between documents (what was made from what: the SOURCE index).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/credit_note.h"
#include "domain/document_flow.h"
#include "domain/totals.h"
#include "domain/verdict.h"
#include "store/company.h"
#include "store/parties.h"
#include "store/records.h"

namespace invoicing::store {

PartyKind party_kind(domain::DocType t);

// The document as the rules name it: a draft has no number (even one reserved for it).
domain::DocRef ref_of(const Document& d);

// Throws UserError with the refusal's reason and advice.
void require(const domain::Verdict& v);
template <class T>
T require(domain::Checked<T> c) {
  require(c.verdict);
  return std::move(*c.value);
}

// A decimal as typed ("12,5" with a decimal comma too); the rules judge its size. `what` names
// it in the refusal ("a quantity").
domain::Decimal typed_decimal(const std::string& text, const char* what);

// The document with this id; throws UserError "no document with id N".
Document document_by_id(Storage& s, int32_t id);
// Inside an action: locks the document's record and reads it again as it is now.
Document lock_document(Company& c, const Document& d);
std::vector<Line> lines_of(Storage& s, int32_t doc);

domain::LineInput input_of(const Line& l);
std::vector<domain::LineInput> inputs_of(const std::vector<Line>& ls);
// The totals of these lines, each line's net set from them; throws UserError.
domain::Totals totals_of(std::vector<Line>& ls);
void set_totals(Document& d, const domain::Totals& t);
Row totals_row(const Document& d);

// The documents made from `id`, directly or through others, with their status.
std::vector<domain::LinkedDoc> descendants(Storage& s, int32_t id);
// The documents made directly from `id`.
std::vector<Document> children(Storage& s, int32_t id);

struct LineView;  // store/documents.h

// What the credit-note rules need of an invoice: its total and, per article, the stock that
// left with it; and the invoice's live credit notes other than `except`.
struct CreditState {
  domain::InvoiceForCredit invoice;
  std::vector<domain::CreditNoteAmounts> earlier;
};
// `shown`: the invoice's lines with their articles as a view read them (not read again).
CreditState credit_state(Company& c, const Document& invoice, int32_t except,
                         const std::vector<LineView>* shown = nullptr);
// A credit note's amounts as the rules weigh them (its total, the stock it brings back).
domain::CreditNoteAmounts credit_amounts(Company& c, const Document& credit_note, const std::vector<Line>& ls);

}  // namespace invoicing::store

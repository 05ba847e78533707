// Document flow: which status changes are allowed, when a document may be converted, and
// when a final quote or order may be withdrawn. Pure functions over what the store reads
// from its records; each answers with a Verdict (see verdict.h) whose advice names a
// command that works.
//
// The rules (issue 19: "one quote was invoiced twice; one order took stock out twice"):
// - draft → final, draft → cancelled; final → withdrawn for quotes and orders only; nothing
//   leaves cancelled or withdrawn. A final invoice, credit note, delivery note or purchase
//   invoice never changes status again: an invoice is undone with a credit note.
// - A document is converted only when it is final, and once per target type: a second
//   conversion is refused naming the existing document. A conversion is also refused when a
//   live document made from the source (directly or through others) already leads to the
//   target (quote → order exists, so quote → invoice goes through that order) or came from
//   it (quote → invoice exists, so a new order from the quote would invoice it twice).
//   Credit notes are the exception: an invoice takes several, within the limits of
//   credit_note.h.
// - "Live" documents are drafts and finals; cancelled and withdrawn ones do not count (a
//   withdrawn order frees its quote to be converted again).
#pragma once

#include <vector>

#include "domain/document.h"
#include "domain/verdict.h"

namespace invoicing::domain {

// A document related to the one a rule is about, with its status.
struct LinkedDoc {
  DocRef ref;
  DocStatus status = DocStatus::draft;
};

// "draft", "final", "cancelled", "withdrawn".
const char* doc_status_name(DocStatus status);

// The statuses `type` may move to from `from`, as listed above.
std::vector<DocStatus> allowed_transitions(DocType type, DocStatus from);

// Before any status change (finalize, cancel, withdraw).
Verdict check_transition(const DocRef& doc, DocStatus from, DocStatus to);

// Before withdrawing a final quote or order: the transition, and no live document made from
// it (the descendants: documents made from it, directly or through others).
Verdict check_withdraw(const DocRef& doc, DocStatus status,
                       const std::vector<LinkedDoc>& descendants);

// Before converting `source` into a document of type `target`. `descendants`: every
// document made from the source, directly or through others, with its status (the store
// follows its source links).
Verdict check_conversion(const DocRef& source, DocStatus status, DocType target,
                         const std::vector<LinkedDoc>& descendants);

}  // namespace invoicing::domain

#include "domain/document_flow.h"

#include <fmt/format.h>

#include "domain/document_label.h"

namespace invoicing::domain {

namespace {

bool live(DocStatus s) { return s == DocStatus::draft || s == DocStatus::final; }

// True when a document of type `from` can become one of type `to` through one or more
// conversions.
bool reaches(DocType from, DocType to) {
  static const DocType kAll[] = {DocType::quote,   DocType::order,       DocType::delivery_note,
                                 DocType::invoice, DocType::credit_note, DocType::purchase_invoice};
  for (DocType mid : kAll) {
    if (!can_convert(from, mid)) continue;
    if (mid == to || reaches(mid, to)) return true;
  }
  return false;
}

// The CLI's spelling of a type (`--to credit-note`).
const char* cli_type(DocType t) {
  switch (t) {
    case DocType::quote:
      return "quote";
    case DocType::order:
      return "order";
    case DocType::delivery_note:
      return "delivery-note";
    case DocType::invoice:
      return "invoice";
    case DocType::credit_note:
      return "credit-note";
    case DocType::purchase_invoice:
      return "purchase-invoice";
  }
  return "?";
}

std::string label(const DocRef& d) { return document_label(d, "en"); }

// "an invoice", "a quote".
std::string a_name(DocType t) {
  std::string n = doc_type_name(t, "en");
  return (n[0] == 'o' || n[0] == 'i' ? "an " : "a ") + n;
}

std::string credit_note_advice(const DocRef& invoice) {
  return fmt::format("make a credit note for it: invoicing doc convert {} --to credit-note",
                     invoice.id);
}

// Why a final document of this type stays as it is, and what to do instead.
Verdict final_stays(const DocRef& doc, DocStatus to) {
  const std::string what = fmt::format("{} is final", label(doc));
  switch (doc.type) {
    case DocType::invoice:
      return Verdict::refuse(what + ": an issued invoice is never cancelled, withdrawn or edited",
                             credit_note_advice(doc));
    case DocType::credit_note:
      return Verdict::refuse(
          what + ": an issued credit note is never cancelled, withdrawn or edited",
          "to charge the amount again, make a new invoice for the customer: invoicing doc new "
          "--type invoice --party CODE");
    case DocType::quote:
    case DocType::order:
      return Verdict::refuse(
          fmt::format("{}: it can be withdrawn, not {}", what,
                      to == DocStatus::cancelled ? "cancelled" : "made a draft again"),
          fmt::format("withdraw it: invoicing doc withdraw {}", doc.id));
    case DocType::delivery_note:
      return Verdict::refuse(
          what + ": the goods left with it",
          fmt::format("invoice it (invoicing doc convert {} --to invoice); goods that come back "
                      "return with a credit note of that invoice",
                      doc.id));
    case DocType::purchase_invoice:
      return Verdict::refuse(what + ": a booked purchase invoice stays as the supplier sent it",
                             "record the supplier's credit note as a new purchase document");
  }
  return Verdict::refuse(what);
}

}  // namespace

const char* doc_status_name(DocStatus status) {
  switch (status) {
    case DocStatus::draft:
      return "draft";
    case DocStatus::final:
      return "final";
    case DocStatus::cancelled:
      return "cancelled";
    case DocStatus::withdrawn:
      return "withdrawn";
  }
  return "?";
}

std::vector<DocStatus> allowed_transitions(DocType type, DocStatus from) {
  switch (from) {
    case DocStatus::draft:
      return {DocStatus::final, DocStatus::cancelled};
    case DocStatus::final:
      if (type == DocType::quote || type == DocType::order) return {DocStatus::withdrawn};
      return {};
    case DocStatus::cancelled:
    case DocStatus::withdrawn:
      return {};
  }
  return {};
}

Verdict check_transition(const DocRef& doc, DocStatus from, DocStatus to) {
  if (from == to)
    return Verdict::refuse(fmt::format("{} is {} already", label(doc), doc_status_name(to)));
  for (DocStatus s : allowed_transitions(doc.type, from)) {
    if (s == to) return Verdict::allow();
  }
  switch (from) {
    case DocStatus::draft:
      // Only draft → withdrawn gets here.
      return Verdict::refuse(
          fmt::format("{} is a draft: only final quotes and orders are withdrawn", label(doc)),
          fmt::format("cancel the draft: invoicing doc cancel {}", doc.id));
    case DocStatus::final:
      return final_stays(doc, to);
    case DocStatus::cancelled:
      return Verdict::refuse(
          fmt::format("{} was cancelled; a cancelled draft stays cancelled", label(doc)),
          "make a new document");
    case DocStatus::withdrawn:
      return Verdict::refuse(
          fmt::format("{} was withdrawn; it stays on file as it was", label(doc)),
          fmt::format("make a new {}", doc_type_name(doc.type, "en")));
  }
  return Verdict::refuse(fmt::format("{}: no change from {} to {}", label(doc),
                                     doc_status_name(from), doc_status_name(to)));
}

Verdict check_withdraw(const DocRef& doc, DocStatus status,
                       const std::vector<LinkedDoc>& descendants) {
  Verdict v = check_transition(doc, status, DocStatus::withdrawn);
  if (!v) return v;
  for (const LinkedDoc& d : descendants) {
    if (!live(d.status)) continue;
    const std::string why =
        fmt::format("{} went on as {}; withdrawing it would leave that document without its source",
                    label(doc), label(d.ref));
    if (d.status == DocStatus::draft)
      return Verdict::refuse(
          why, fmt::format("cancel that draft first: invoicing doc cancel {}", d.ref.id));
    if (d.ref.type == DocType::quote || d.ref.type == DocType::order)
      return Verdict::refuse(
          why, fmt::format("withdraw {} first: invoicing doc withdraw {}", label(d.ref), d.ref.id));
    if (d.ref.type == DocType::invoice)
      return Verdict::refuse(why,
                             fmt::format("it is invoiced; make a credit note for {}: invoicing "
                                         "doc convert {} --to credit-note",
                                         label(d.ref), d.ref.id));
    return Verdict::refuse(why);
  }
  return Verdict::allow();
}

Verdict check_conversion(const DocRef& source, DocStatus status, DocType target,
                         const std::vector<LinkedDoc>& descendants) {
  if (!can_convert(source.type, target)) {
    std::string to;
    for (DocType t : {DocType::quote, DocType::order, DocType::delivery_note, DocType::invoice,
                      DocType::credit_note, DocType::purchase_invoice}) {
      if (can_convert(source.type, t)) to += (to.empty() ? "" : " or ") + a_name(t);
    }
    return Verdict::refuse(
        fmt::format("{} cannot become {}", a_name(source.type), a_name(target)),
        to.empty() ? std::string() : fmt::format("{} can become {}", a_name(source.type), to));
  }
  if (status == DocStatus::draft)
    return Verdict::refuse(fmt::format("{} is still a draft: only a final document is converted "
                                       "(a draft can still change)",
                                       label(source)),
                           fmt::format("finalize it first: invoicing doc finalize {}", source.id));
  if (status != DocStatus::final)
    return Verdict::refuse(fmt::format("{} was {}; it is not converted any more", label(source),
                                       doc_status_name(status)));
  // An invoice takes several (partial) credit notes; credit_note.h keeps them within limits.
  if (target == DocType::credit_note) return Verdict::allow();

  for (const LinkedDoc& d : descendants) {
    if (!live(d.status) || d.ref.type == DocType::credit_note) continue;
    const std::string existing = label(d.ref);
    const std::string act =
        d.status == DocStatus::draft
            ? fmt::format(
                  "finalize or cancel that draft: invoicing doc finalize {} / invoicing doc "
                  "cancel {}",
                  d.ref.id, d.ref.id)
            : std::string();
    if (d.ref.type == target)
      return Verdict::refuse(
          fmt::format("{} was converted already: into {}", label(source), existing), act);
    if (reaches(d.ref.type, target))
      return Verdict::refuse(
          fmt::format("{} went on as {}, which leads to a {} itself", label(source), existing,
                      doc_type_name(target, "en")),
          d.status == DocStatus::draft
              ? act
              : fmt::format("convert {} instead: invoicing doc convert {} --to {}", existing,
                            d.ref.id, cli_type(target)));
    if (reaches(target, d.ref.type))
      return Verdict::refuse(fmt::format("{} went on as {} already; a new {} from it would do the "
                                         "same work twice",
                                         label(source), existing, doc_type_name(target, "en")),
                             act);
  }
  return Verdict::allow();
}

}  // namespace invoicing::domain

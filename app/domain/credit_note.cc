#include "domain/credit_note.h"

#include <fmt/format.h>

#include <map>

#include "domain/document_label.h"

namespace invoicing::domain {

namespace {
std::map<std::string, Decimal> by_article(const std::vector<ArticleQuantity>& q) {
  std::map<std::string, Decimal> m;
  for (const ArticleQuantity& a : q) m[a.article] += a.quantity;
  return m;
}
}  // namespace

CreditRoom credit_room(const InvoiceForCredit& invoice,
                       const std::vector<CreditNoteAmounts>& earlier) {
  CreditRoom room;
  room.amount = invoice.total_incl;
  std::map<std::string, Decimal> stock = by_article(invoice.stock_out);
  for (const CreditNoteAmounts& c : earlier) {
    room.amount -= c.total_incl;
    for (const ArticleQuantity& a : c.stock_back) stock[a.article] -= a.quantity;
  }
  for (auto& [article, q] : stock) room.stock.push_back({article, q});
  return room;
}

Verdict check_credit_note(const InvoiceForCredit& invoice,
                          const std::vector<CreditNoteAmounts>& earlier,
                          const CreditNoteAmounts& proposed) {
  const std::string inv = document_label(invoice.invoice, "en");
  const std::string crn = document_label(proposed.credit_note, "en");
  if (invoice.invoice.type != DocType::invoice)
    return Verdict::refuse(fmt::format("a credit note corrects an invoice, not a {}",
                                       doc_type_name(invoice.invoice.type, "en")));
  if (invoice.status != DocStatus::final)
    return Verdict::refuse(
        fmt::format("{} is not final: a draft is changed or cancelled, not credited", inv));
  if (proposed.total_incl.sign() <= 0)
    return Verdict::refuse(
        fmt::format("{} for {} has a total of {}: a credit note's total is positive", crn, inv,
                    proposed.total_incl.to_string(2)),
        "enter the credited quantities as positive numbers");
  const CreditRoom room = credit_room(invoice, earlier);
  Decimal already = invoice.total_incl - room.amount;
  if (proposed.total_incl > room.amount) {
    return Verdict::refuse(
        fmt::format("{} for {} credits {}, but only {} of the invoice's {} is left to credit ({} "
                    "credited already)",
                    crn, inv, proposed.total_incl.to_string(2),
                    (room.amount.sign() < 0 ? Decimal() : room.amount).to_string(2),
                    invoice.total_incl.to_string(2), already.to_string(2)),
        "credit at most the amount left, per line or by amount");
  }
  std::map<std::string, Decimal> left;
  for (const ArticleQuantity& a : room.stock) left[a.article] = a.quantity;
  for (const auto& [article, q] : by_article(proposed.stock_back)) {
    if (q.sign() < 0)
      return Verdict::refuse(
          fmt::format("{}: article {} would leave stock again ({}); a credit "
                      "note only brings goods back",
                      crn, article, q.to_string()));
    if (q.is_zero()) continue;
    auto it = left.find(article);
    if (it == left.end())
      return Verdict::refuse(fmt::format("{}: article {} did not leave stock with {}, so it cannot "
                                         "come back with its credit note",
                                         crn, article, inv),
                             "credit it by amount, without an article");
    if (q > it->second)
      return Verdict::refuse(
          fmt::format("{}: {} of article {} would come back, but only {} left with {} and has not "
                      "come back yet",
                      crn, q.to_string(), article,
                      (it->second.sign() < 0 ? Decimal() : it->second).to_string(), inv),
          "credit the rest by amount, without bringing goods back");
  }
  return Verdict::allow();
}

}  // namespace invoicing::domain

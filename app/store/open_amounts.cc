#include "store/open_amounts.h"

#include <fmt/format.h>

#include <map>

#include "store/document_records.h"
#include "store/documents.h"

using xbase::Value;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

bool final_invoice(const Document& d) { return d.type == DocType::invoice && d.status == DocStatus::final; }

domain::Decimal left(const domain::Decimal& total, domain::Decimal credited, const domain::Decimal& paid) {
  if (credited > total) credited = total;
  domain::Decimal open = total - credited - paid;
  return open.sign() < 0 ? domain::Decimal() : open;
}

// Every final invoice, and every other document that keeps an amount (none should), with the
// amount its credit notes and payments leave (all read once, in storage order: no index is
// needed, so verify checks a folder whose index files are gone as well).
std::map<int32_t, std::pair<Document, domain::Decimal>> all_open_amounts(Storage& s) {
  std::map<int32_t, Document> invoices;
  std::map<int32_t, domain::Decimal> credited, paid;
  s.scan(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (final_invoice(d) || !d.open.is_zero()) invoices[d.id] = d;
    if (d.type == DocType::credit_note && d.status == DocStatus::final && d.source) credited[d.source] += d.total_incl;
    return true;
  });
  s.scan_fields(Tbl::payment, {fld::doc_id, fld::amount}, [&](const Row& r) {
    auto a = r.dec(fld::amount);
    if (a.sign() > 0) paid[int32_t(r.integer(fld::doc_id))] += a;
    return true;
  });
  std::map<int32_t, std::pair<Document, domain::Decimal>> out;
  for (auto& [id, d] : invoices) {
    auto open = final_invoice(d) ? left(d.total_incl, credited[id], paid[id]) : domain::Decimal();
    out.emplace(id, std::make_pair(std::move(d), open));
  }
  return out;
}

}  // namespace

domain::Decimal computed_open_amount(Storage& s, const Document& d, RowId except_payment) {
  if (!final_invoice(d)) return {};
  domain::Decimal credited, paid;
  for (const auto& ch : children(s, d.id))
    if (ch.type == DocType::credit_note && ch.status == DocStatus::final) credited += ch.total_incl;
  s.range(Tbl::payment, "DOC", {Value::integer(d.id)}, [&](const Row& r) {
    auto a = r.dec(fld::amount);
    if (r.id != except_payment && a.sign() > 0) paid += a;
    return true;
  });
  return left(d.total_incl, credited, paid);
}

void store_open_amount(Storage& s, const Document& d, const domain::Decimal& open) {
  if (d.open != open) s.update(Tbl::doc, d.row, Row().dec(fld::open_amount, open));
}

void refresh_open_amount(Storage& s, int32_t doc_id) {
  auto r = s.find(Tbl::doc, "ID", {Value::integer(doc_id)});
  if (!r) return;
  Document d = document_from(*r);
  store_open_amount(s, d, computed_open_amount(s, d));
}

size_t refresh_open_amounts(Storage& s) {
  auto all = all_open_amounts(s);
  size_t changed = 0;
  Action a(s);
  for (const auto& [id, v] : all)
    if (v.first.open != v.second) {
      store_open_amount(s, v.first, v.second);
      ++changed;
    }
  a.commit();
  return changed;
}

std::vector<std::string> open_amount_problems(Storage& s) {
  std::vector<std::string> out;
  for (const auto& [id, v] : all_open_amounts(s)) {
    if (v.first.open == v.second) continue;
    if (final_invoice(v.first))
      out.push_back(fmt::format("{}: stored as {} left to pay, its credit notes and payments leave {}",
                                Documents::label(v.first), v.first.open.to_string(2), v.second.to_string(2)));
    else
      out.push_back(fmt::format("{}: stored as {} left to pay, but only a final invoice is paid",
                                Documents::label(v.first), v.first.open.to_string(2)));
  }
  return out;
}

}  // namespace invoicing::store

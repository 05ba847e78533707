// Documents made from documents: conversions (once per target type, never around a live
// document that carries the source on), credit notes of an invoice (partial by line, quantity
// or amount, never more than the invoice: amount and stock), and withdrawing a final quote or
// order. Each is checked under the source's lock, inside the action that writes it, so two
// workstations converting or crediting the same document at once are taken one after the other.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "domain/credit_note.h"
#include "domain/document_label.h"
#include "domain/line_rules.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/dates.h"
#include "store/document_records.h"
#include "store/open_amounts.h"
#include "store/documents.h"
#include "store/field_rules.h"
#include "store/finalization.h"
#include "store/numbering.h"
#include "store/parties.h"

using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

// A credit note's line on an invoice's line: everything as invoiced (its VAT too).
Line copy_line(const Line& l, int lineno) {
  Line c = l;
  c.row = 0;
  c.doc = 0;
  c.lineno = lineno;
  return c;
}

const Line& invoice_line(const Document& inv, const std::vector<Line>& ls, int n) {
  for (const auto& l : ls)
    if (l.lineno == n) return l;
  throw UserError(fmt::format("{} has no line {} (its lines: 1 to {})", Documents::label(inv), n, ls.size()));
}

std::string credit_text(const Document& inv, const std::string& lang) {
  const std::string what = domain::document_label(ref_of(inv), lang);
  if (lang == "nl") return "Creditering op " + what;
  if (lang == "fr") return "Crédit sur " + what;
  return "Credit on " + what;
}

// The credit note's lines as the spec asks.
std::vector<Line> credit_lines(const Document& inv, const std::vector<Line>& ls, const CreditSpec& spec,
                               const std::string& lang) {
  std::vector<Line> out;
  switch (spec.mode) {
    case CreditSpec::Mode::whole:
      for (const auto& l : ls) out.push_back(copy_line(l, int(out.size()) + 1));
      break;
    case CreditSpec::Mode::lines: {
      std::set<int> seen;
      for (int n : spec.lines) {
        if (!seen.insert(n).second) throw UserError(fmt::format("line {} is named twice", n));
        out.push_back(copy_line(invoice_line(inv, ls, n), int(out.size()) + 1));
      }
      break;
    }
    case CreditSpec::Mode::line_quantity: {
      const Line& l = invoice_line(inv, ls, spec.line);
      domain::Decimal q = typed_decimal(spec.quantity, "a quantity");
      if (q.sign() <= 0) throw UserError(fmt::format("a credited quantity is positive, not {}", q.to_string()));
      if (q > l.quantity)
        throw UserError(fmt::format("line {} of {} has a quantity of {}; {} cannot be credited", l.lineno,
                                    Documents::label(inv), l.quantity.to_string(), q.to_string()));
      out.push_back(copy_line(l, 1));
      out.back().quantity = q;
      break;
    }
    case CreditSpec::Mode::amount: {
      domain::Decimal amount = typed_decimal(spec.amount, "an amount");
      require(domain::check_field(amount, {"an amount", 2, 14}));
      if (amount.sign() <= 0) throw UserError(fmt::format("a credited amount is positive, not {}", amount.to_string()));
      // The amount takes the VAT of one line: the one named, or the invoice's only VAT.
      const Line* vat = nullptr;
      if (spec.line) {
        vat = &invoice_line(inv, ls, spec.line);
      } else {
        for (const auto& l : ls) {
          if (!vat) vat = &l;
          else if (l.vat_category != vat->vat_category || l.vat_rate != vat->vat_rate)
            throw UserError(fmt::format("{} has lines at several VAT rates: say whose VAT the amount takes "
                                        "(--line N with --amount)",
                                        Documents::label(inv)));
        }
      }
      if (!vat) throw UserError(fmt::format("{} has no lines", Documents::label(inv)));
      Line l = copy_line(*vat, 1);
      l.article = 0;
      l.description = fitted_text(Tbl::docline, fld::descr, credit_text(inv, lang));
      l.text.clear();
      l.quantity = domain::Decimal::from_integer(1);
      l.price = amount;
      l.discount = domain::Decimal();
      out.push_back(l);
      break;
    }
  }
  return out;
}

// Multi-user numbering: a new draft takes its number now (held in `plan` until the commit).
void reserve_number(Storage& s, Numbering& numbering, Document& d, FinalPlan& plan) {
  plan.series = numbering.hold(d.type, d.year);
  SeriesDates dates(s, d.type, d.year, plan.series->counter.next);
  d.number = take_number_for(plan.series->counter, dates, to_domain(d.date));
}

// A converted or credit document and its lines, with the numbers and stock of `plan`: the
// changes in table order.
void insert_new_document(Company& c, Document& d, std::vector<Line>& ls, FinalPlan& plan) {
  Storage& s = c.storage();
  write_numbers_and_stock(c, plan);
  if (d.type == DocType::invoice && d.status == DocStatus::final) d.open = d.total_incl;
  Row dr = row_of(d);
  s.insert(Tbl::doc, dr);
  d.id = int32_t(dr.integer(fld::id));
  d.row = dr.id;
  // A credit note made final at once leaves less to pay on its invoice (DOC, before the lines).
  if (d.type == DocType::credit_note && d.status == DocStatus::final && d.source) refresh_open_amount(s, d.source);
  for (auto& l : ls) {
    l.doc = d.id;
    Row lr = row_of(l);
    s.insert(Tbl::docline, lr);
  }
  Articles(c).record_moves(plan.stock, d.id, Documents::label(d));
}

}  // namespace

DocView Documents::convert(int32_t id, DocType to, const FinalizeOptions& o) {
  if (to == DocType::credit_note) return credit(id, {}, o);
  Storage& s = c_.storage();
  s.open_ahead(o.finalize ? kFinalizationTables : kDraftConversionTables);
  Document src = document_by_id(s, id);
  Document d;
  d.type = to;
  d.date = o.date.value_or(today());
  d.year = series_year(c_, d.date);
  Numbering numbering(c_);
  const bool reserve =
      !o.finalize && domain::numbered_gap_free(to) && numbering.mode() == domain::NumberingMode::multiuser;
  if (o.finalize || reserve) numbering.ensure(to, d.year);
  Action a(s);
  src = lock_document(c_, src);
  require(domain::check_conversion(ref_of(src), src.status, to, descendants(s, src.id)));
  d.status = DocStatus::draft;
  d.party = src.party;
  d.source = src.id;
  d.customer_ref = src.customer_ref;
  d.user = c_.who().user;
  d.workstation = c_.who().workstation;
  std::vector<Line> ls;
  for (const auto& l : lines_of(s, src.id)) ls.push_back(copy_line(l, int(ls.size()) + 1));
  FinalPlan plan;
  if (o.finalize) {
    plan_final(c_, d, ls, src.type == DocType::delivery_note, o, plan);
  } else {
    decide_vat_again(c_, d, ls, plan.warnings, &plan.reads);
    if (!ls.empty()) require(domain::check_document_lines(ref_of(d), inputs_of(ls)));
    set_totals(d, totals_of(ls));
    if (reserve) {
      reserve_number(s, numbering, d, plan);
    }
  }
  // The party for the answer, read (if the plan did not) before the writes, as `src`: a read
  // after the commit would first give back the locks it left to the closes.
  const std::optional<Party>& party = plan.reads.party(c_, d);
  insert_new_document(c_, d, ls, plan);
  audit(c_, "CONVERT", d.id, fmt::format("{} from {}", label(d), label(src)));
  if (o.finalize) audit(c_, "FINALIZE", d.id, fmt::format("{} total {}", label(d), d.total_incl.to_string(2)));
  a.commit();
  DocView v = view(d, false, "en", &party, &src);
  v.warnings = plan.warnings;
  return v;
}

DocView Documents::credit(int32_t invoice_id, const CreditSpec& spec, const FinalizeOptions& o) {
  Storage& s = c_.storage();
  Document inv = document_by_id(s, invoice_id);
  Document d;
  d.type = DocType::credit_note;
  d.date = o.date.value_or(today());
  d.year = series_year(c_, d.date);
  Numbering numbering(c_);
  const bool reserve = !o.finalize && numbering.mode() == domain::NumberingMode::multiuser;
  numbering.ensure(DocType::credit_note, d.year);
  Action a(s);
  inv = lock_document(c_, inv);
  require(domain::check_conversion(ref_of(inv), inv.status, DocType::credit_note, {}));
  const std::optional<Party> party = Parties(c_, PartyKind::customer).by_id(inv.party);
  d.status = DocStatus::draft;
  d.party = inv.party;
  d.source = inv.id;
  d.customer_ref = inv.customer_ref;
  d.user = c_.who().user;
  d.workstation = c_.who().workstation;
  std::vector<Line> ls = credit_lines(inv, lines_of(s, inv.id), spec, party ? party->lang : "en");
  require(domain::check_document_lines(ref_of(d), inputs_of(ls)));
  set_totals(d, totals_of(ls));
  // Within what is left to credit, over every live credit note of the invoice.
  CreditState st = credit_state(c_, inv, 0);
  auto verdict = domain::check_credit_note(st.invoice, st.earlier, credit_amounts(c_, d, ls));
  if (!verdict) {
    auto room = domain::credit_room(st.invoice, st.earlier);
    std::string left;
    for (const auto& e : st.earlier) left += (left.empty() ? "" : ", ") + label(document_by_id(s, int32_t(e.credit_note.id)));
    throw UserError(fmt::format("{}; credited so far by {}; left to credit: {} including VAT", verdict.message(),
                                left.empty() ? "none" : left,
                                (room.amount.sign() < 0 ? domain::Decimal() : room.amount).to_string(2)));
  }
  FinalPlan plan;
  if (o.finalize) {
    plan_final(c_, d, ls, false, o, plan);
  } else if (reserve) {
    reserve_number(s, numbering, d, plan);
  }
  insert_new_document(c_, d, ls, plan);
  audit(c_, "CREDIT", d.id, fmt::format("{} for {}: {}", label(d), label(inv), d.total_incl.to_string(2)));
  if (o.finalize) audit(c_, "FINALIZE", d.id, fmt::format("{} total {}", label(d), d.total_incl.to_string(2)));
  a.commit();
  DocView v = view(d, false, "en", &party, &inv);
  v.warnings = plan.warnings;
  return v;
}

DocView Documents::withdraw(int32_t id) {
  Storage& s = c_.storage();
  Action a(s);
  Document d = lock_document(c_, document_by_id(s, id));
  require(domain::check_withdraw(ref_of(d), d.status, descendants(s, d.id)));
  d.status = DocStatus::withdrawn;
  s.update(Tbl::doc, d.row, Row().text(fld::status, domain::doc_status_code(d.status)));
  audit(c_, "WITHDRAW", d.id, fmt::format("{} withdrawn", label(d)));
  a.commit();
  return view(d, false);
}

}  // namespace invoicing::store

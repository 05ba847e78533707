// Finalization: a draft made final in one commit, with its number in date order.
//
// Numbers and dates (docs/invoicing.md, "Numbers and dates"): the number a document takes
// must fit between the dates of the issued numbers around it. A document finalized now takes
// the smallest given-back number its date fits, else the next one, and is refused when dated
// before the last final document of the series, unless the user confirms (--redate) dating it
// that day. A number reserved for a draft in multi-user numbering is kept: the draft's date
// must lie between the issued numbers around it, and --redate moves it to the nearer limit.
#include "store/finalization.h"

#include <fmt/format.h>

#include "domain/document_label.h"
#include "domain/line_rules.h"
#include "domain/ogm.h"
#include "domain/payment_terms.h"
#include "store/audit.h"
#include "store/dates.h"
#include "store/document_records.h"
#include "store/open_amounts.h"
#include "store/field_rules.h"
#include "store/fiscal_years.h"
#include "store/line_vat.h"
#include "store/parties.h"
#include "store/settings.h"

using xbase::Value;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

// The stock the lines of a document move (`dir`: +1 in, -1 out, 0 none), per stocked article.
std::vector<StockChange> stock_changes(Company& c, PlanReads& reads, const std::vector<Line>& ls, int dir) {
  std::vector<StockChange> out;
  if (!dir) return out;
  reads.read_articles(c, ls);
  for (const auto& l : ls)
    if (l.article)
      if (const auto& art = reads.article(c, l.article); art && art->stocked)
        out.push_back({art->row, art->id, dir > 0 ? l.quantity : -l.quantity});
  return out;
}

// Stock that a finalization takes below zero: a warning, or refused (setting negative_stock).
void check_negative_stock(Company& c, const Document& d, const std::vector<StockChange>& changes,
                          std::vector<std::string>& warnings) {
  const auto policy = negative_stock(c);
  for (const auto& ch : changes) {
    if (!ch.quantity.is_negative()) continue;
    Article a = article_from(*c.storage().get(Tbl::article, ch.article_row));
    const domain::Decimal after = a.stock + ch.quantity;
    if (!after.is_negative()) continue;
    std::string what = fmt::format("article {}: {} takes {} out of a stock of {}, leaving {}", a.code,
                                   Documents::label(d), (-ch.quantity).to_string(), a.stock.to_string(),
                                   after.to_string());
    if (policy == NegativeStock::refuse)
      throw UserError(what + " (stock goes below zero only with the setting negative_stock warn; count the stock "
                             "first: invoicing article count --code " + a.code + " --counted Q)");
    warnings.push_back(what);
  }
}

}  // namespace

const std::optional<Party>& PlanReads::party(Company& c, const Document& d) {
  if (!party_read_) party_ = Parties(c, party_kind(d.type)).by_id(d.party);
  party_read_ = true;
  return party_;
}

const std::optional<Article>& PlanReads::article(Company& c, int32_t id) {
  auto it = articles_.find(id);
  if (it == articles_.end()) it = articles_.emplace(id, Articles(c).by_id(id)).first;
  return it->second;
}

void PlanReads::read_articles(Company& c, const std::vector<Line>& ls) {
  std::vector<int32_t> ids;
  for (const auto& l : ls)
    if (l.article && !articles_.count(l.article)) ids.push_back(l.article);
  if (ids.size() < 2) return;  // one alone: article() reads it as cheaply
  auto found = Articles(c).by_ids(ids);
  for (int32_t id : ids) {
    auto it = found.find(id);
    articles_.emplace(id, it == found.end() ? std::nullopt : std::optional<Article>(std::move(it->second)));
  }
}

bool decide_vat_again(Company& c, const Document& d, std::vector<Line>& ls, std::vector<std::string>& notes,
                      PlanReads* reads) {
  if (d.type == DocType::credit_note) return false;  // a credit note carries its invoice's VAT
  PlanReads own;
  PlanReads& r = reads ? *reads : own;
  std::optional<Party> customer;
  if (party_kind(d.type) == PartyKind::customer) customer = r.party(c, d);
  const std::string country = c.setting("country", "BE");
  r.read_articles(c, ls);
  bool changed = false;
  for (auto& l : ls) {
    Line before = l;
    const std::optional<Article> none;
    const auto& art = l.article ? r.article(c, l.article) : none;
    std::string note = decide_line_vat(country, customer ? &*customer : nullptr, vat_input_of(l, art), l, l.lineno);
    if (!note.empty()) notes.push_back(fmt::format("line {}: {}", l.lineno, note));
    if (l.vat_category != before.vat_category || l.vat_rate != before.vat_rate || l.vat_rule != before.vat_rule ||
        l.exemption_reason != before.exemption_reason) {
      changed = true;
      notes.push_back(fmt::format("line {}: VAT {} {} % for the customer as they are now (was {} {} %)", l.lineno,
                                  l.vat_category, l.vat_rate.to_string(), before.vat_category,
                                  before.vat_rate.to_string()));
    }
  }
  return changed;
}

int series_year(Company& c, const xbase::Date& date) {
  return checked_document_date(c, date, std::nullopt, false).fiscal_year;
}

void plan_final(Company& c, Document& d, std::vector<Line>& ls, bool from_delivery, const FinalizeOptions& o,
                FinalPlan& plan, bool may_make_series) {
  require(domain::check_transition(ref_of(d), d.status, DocStatus::final));
  plan.lines_changed = decide_vat_again(c, d, ls, plan.warnings, &plan.reads);
  require(domain::check_document_lines(ref_of(d), inputs_of(ls)));
  set_totals(d, totals_of(ls));
  checked_decimal(Tbl::doc, fld::total_incl, d.total_incl, "the document's total");

  // The number, in date order within its series, under the series' lock (a series not made
  // yet: under its unique key, which its write in this action's commit takes).
  const int fy = series_year(c, d.date);
  if (d.number && fy != d.year)
    throw UserError(fmt::format("{} holds number {} of fiscal year {} but is dated {}: set its date again "
                                "(invoicing doc set {} --date ...)",
                                Documents::label(d), d.number, d.year, iso(d.date), d.id));
  d.year = fy;
  Numbering numbering(c);
  // A series not made yet is made by this action's commit (Numbering::fresh), when asked for.
  if (may_make_series && !d.number) {
    plan.series = numbering.hold_if_made(d.type, fy);
    if (!plan.series) plan.series = numbering.fresh(d.type, fy);
  } else {
    plan.series = numbering.hold(d.type, fy);
  }
  plan.doing.emplace(c, "numbering " + series_name(d.type, fy));
  SeriesDates dates(c.storage(), d.type, fy, plan.series->counter.next);
  domain::Date date = to_domain(d.date);
  if (!d.number) d.number = take_number_for(plan.series->counter, dates, date);
  auto w = dates.window(d.number);
  if (!w.before && plan.series->last_date && (!w.after || *w.after < to_domain(*plan.series->last_date)))
    w.after = to_domain(*plan.series->last_date);
  date = checked_document_date(c, d.date, w.after, o.redate).date;  // closed years read under the lock
  if (w.before && *w.before < date) {
    const std::string next = domain::document_label(d.type, fy, w.before_number, "en");
    if (!o.redate)
      throw UserError(fmt::format("numbers follow date order: {} was reserved as number {}, and {} is dated {}, "
                                  "before {} (date it {} instead: finalize again with --redate)",
                                  Documents::label(d), d.number, next, domain::to_iso(*w.before),
                                  domain::to_iso(date), domain::to_iso(*w.before)));
    date = *w.before;
  }
  if (xbase::julian_day(to_xbase(date)) != xbase::julian_day(d.date))
    plan.warnings.push_back(fmt::format("dated {} instead of {} (numbers follow date order)", domain::to_iso(date),
                                        iso(d.date)));
  d.date = to_xbase(date);
  if (!plan.series->last_date || xbase::julian_day(*plan.series->last_date) < xbase::julian_day(d.date))
    plan.series->last_date = d.date;

  // Final: its payment reference, due date, and the party as it was issued to.
  d.status = DocStatus::final;
  if (d.type == DocType::invoice)
    d.ogm = domain::ogm_from_number(uint64_t(d.year) * 1000000u + uint64_t(d.number % 1000000));
  const auto& party = plan.reads.party(c, d);
  if (party) d.issued_to = {party->name, party->street, party->zip, party->city, party->country, party->vat};
  if (d.type == DocType::invoice || d.type == DocType::purchase_invoice) {
    domain::PaymentTerms terms;
    if (party) terms = {party->terms_eom, party->terms};
    if (!domain::check_payment_terms(terms)) terms = {};
    d.due_date = to_xbase(domain::due_date(date, terms));
  }

  Articles arts(c);
  plan.stock = stock_changes(c, plan.reads, ls, domain::stock_direction(d.type, from_delivery));
  arts.lock(plan.stock);
  check_negative_stock(c, d, plan.stock, plan.warnings);
}

void write_numbers_and_stock(Company& c, FinalPlan& plan) {
  if (plan.series) Numbering(c).write(*plan.series);
  plan.stocked = Articles(c).apply(plan.stock);
}

Row final_fields(const Document& d) {
  Row r = totals_row(d);
  r.integer(fld::number, d.number).integer(fld::year, d.year).text(fld::status, domain::doc_status_code(d.status));
  r.text(fld::ogm, d.ogm).date(fld::due_date, d.due_date).date(fld::doc_date, d.date);
  r.text(fld::party_name, fitted_text(Tbl::doc, fld::party_name, d.issued_to.name));
  r.text(fld::party_street, fitted_text(Tbl::doc, fld::party_street, d.issued_to.street));
  r.text(fld::party_zip, d.issued_to.zip).text(fld::party_city, d.issued_to.city);
  r.text(fld::party_country, d.issued_to.country).text(fld::party_vat, d.issued_to.vat);
  // Nothing is paid or credited before it is final: all of it is open.
  if (d.type == DocType::invoice) r.dec(fld::open_amount, d.total_incl);
  return r;
}

void write_moves_and_audit(Company& c, const FinalPlan& plan, const Document& d) {
  Articles(c).record_moves(plan.stock, d.id, Documents::label(d));
  audit(c, "FINALIZE", d.id, fmt::format("{} total {}", Documents::label(d), d.total_incl.to_string(2)));
}

DocView Documents::finalize(int32_t id, const FinalizeOptions& o) {
  // The first finalization of a year makes its series in its own commit (issue 30: one
  // transaction instead of two, 4 syncs fewer); a colleague who made it meanwhile wins, and the
  // finalization runs once more with theirs.
  try {
    return finalize_once(id, o, true);
  } catch (const SeriesMadeMeanwhile&) {
    return finalize_once(id, o, false);
  }
}

DocView Documents::finalize_once(int32_t id, const FinalizeOptions& o, bool may_make_series) {
  Storage& s = c_.storage();
  s.open_ahead(kFinalizationTables);
  Document d = document_by_id(s, id);
  require(domain::check_transition(ref_of(d), d.status, DocStatus::final));
  if (!may_make_series) Numbering(c_).ensure(d.type, d.number ? d.year : series_year(c_, d.date));
  Action a(s);
  d = lock_document(c_, d);
  auto ls = lines_of(s, d.id);
  // The lines as stored, for an answer asked for as shown (the plan may set fields in ls that it
  // writes only when the VAT changed).
  const std::vector<Line> stored_lines = o.shown ? ls : std::vector<Line>{};
  bool from_delivery = false;
  std::optional<Document> source;
  if (d.source) {
    Document& src = source.emplace(document_by_id(s, d.source));
    from_delivery = src.type == DocType::delivery_note;
    // A credit note is checked again under its invoice's lock: others may have credited it
    // since this draft was made.
    if (d.type == DocType::credit_note) {
      src = lock_document(c_, src);
      CreditState st = credit_state(c_, src, d.id);
      require(domain::check_credit_note(st.invoice, st.earlier, credit_amounts(c_, d, ls)));
    }
  }
  FinalPlan plan;
  plan_final(c_, d, ls, from_delivery, o, plan, may_make_series);
  // The party as the plan read it (its VAT was decided on that), read now if the plan did not (a
  // credit note's VAT is its invoice's), before the writes, as the source: for the answer.
  const std::optional<Party>& party = plan.reads.party(c_, d);
  // The changes, in table order.
  write_numbers_and_stock(c_, plan);
  const Row written = final_fields(d);
  s.update(Tbl::doc, d.row, written);
  // The document as the files now hold it, for the answer: the name and street cut to fit, what
  // is open.
  d.issued_to.name = written.text(fld::party_name);
  d.issued_to.street = written.text(fld::party_street);
  if (d.type == DocType::invoice) d.open = written.dec(fld::open_amount);
  // A final credit note leaves less to pay on its invoice (DOC again, before the lines).
  if (d.type == DocType::credit_note && d.source) refresh_open_amount(s, d.source);
  if (plan.lines_changed)
    for (const auto& l : ls) s.update(Tbl::docline, l.row, row_of(l));
  write_moves_and_audit(c_, plan, d);
  a.commit();
  DocView v = view(d, false, o.lang, &party, source ? &*source : nullptr);
  if (o.shown) {
    // As show() answers, with the lines and articles the action read (the stocked ones as it
    // wrote them) instead of reading them again: lines changed by the plan are read again.
    if (plan.lines_changed) {
      v = view(d, true, o.lang, &party, source ? &*source : nullptr);
    } else {
      std::map<int32_t, Article> arts;
      for (const auto& a : plan.stocked) arts.emplace(a.id, a);
      for (const auto& l : stored_lines)
        if (l.article && !arts.count(l.article))
          if (const auto& a = plan.reads.article(c_, l.article)) arts.emplace(l.article, *a);
      v.lines = line_views(stored_lines, arts);
    }
    add_links(v, o.lang);
  }
  v.warnings = plan.warnings;
  return v;
}

}  // namespace invoicing::store

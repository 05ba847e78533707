// Drafts: made, their lines added, changed and removed, their customer and date changed,
// deleted or cancelled. Every line is checked by the line rules (domain/line_rules.h) and its
// VAT decided for the customer (store/line_vat.h) before anything is stored; the document's
// totals are computed from the stored values of all its lines, as the final document's will be.
#include <fmt/format.h>

#include <algorithm>

#include "domain/document_label.h"
#include "domain/line_rules.h"
#include "store/articles.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/dates.h"
#include "store/document_records.h"
#include "store/documents.h"
#include "store/field_rules.h"
#include "store/fiscal_years.h"
#include "store/line_vat.h"
#include "store/numbering.h"
#include "store/parties.h"

using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

LineChange change_of(const LineSpec& spec) {
  LineChange ch;
  auto set = [](std::optional<std::string>& to, const std::string& v) {
    if (!v.empty()) to = v;
  };
  set(ch.article, spec.article);
  set(ch.text, spec.text);
  ch.quantity = spec.quantity.empty() ? "1" : spec.quantity;
  set(ch.price, spec.price);
  ch.discount = spec.discount.empty() ? "0" : spec.discount;
  set(ch.vat_rate, spec.vat_rate);
  set(ch.vat_category, spec.vat_category);
  set(ch.vat_reason, spec.vat_reason);
  set(ch.kind, spec.kind);
  return ch;
}

// The party a document of this type is for, refused when archived.
Party active_party(Company& c, DocType type, const std::string& code) {
  Parties parties(c, party_kind(type));
  Party p = parties.get(code);
  if (p.archived)
    throw UserError(fmt::format("{} {} is archived: it is kept for history, not used on new documents "
                                "(invoicing {} unarchive --code {})",
                                parties.what(), p.code, parties.what(), p.code));
  return p;
}

// Refuses a change of anything but a draft, with what to do instead.
void require_draft(const Document& d) {
  if (d.status != DocStatus::draft) require(domain::check_transition(ref_of(d), d.status, DocStatus::draft));
}

// Applies a change to a line (a new one is blank): fields, checks, VAT. Returns the VAT note.
std::string apply_change(Company& c, DocType type, const Party* customer, Line& l, const LineChange& ch) {
  std::optional<Article> art;
  Articles arts(c);
  if (ch.article) {
    if (ch.article->empty()) {
      l.article = 0;
    } else {
      Article a = arts.get(*ch.article);
      if (a.archived && a.id != l.article)
        throw UserError(fmt::format("article {} is archived: it is kept for history, not used on new lines "
                                    "(invoicing article unarchive --code {})",
                                    a.code, a.code));
      if (a.id != l.article) {  // another article: its text, price, kind and rate unless given
        l.description = a.description;
        l.price = a.price;
        l.kind = a.kind;
        l.domestic_rate = a.vat_rate;
        l.vat_override = false;
      }
      l.article = a.id;
      art = a;
    }
  } else if (l.article) {
    art = arts.by_id(l.article);
  }
  if (ch.text) l.description = checked_text(Tbl::docline, fld::descr, *ch.text, "a line's description");
  if (l.description.empty()) throw UserError("a line needs an article or a text");
  if (ch.quantity) l.quantity = typed_decimal(*ch.quantity, "a quantity");
  if (ch.price) l.price = typed_decimal(*ch.price, "a unit price");
  if (ch.discount) l.discount = typed_decimal(*ch.discount, "a discount");
  // What decides the VAT: kind and rate at home (the article's, or the line's own), and an
  // override when a category is given ("auto" drops one).
  LineVatInput in = vat_input_of(l, art);
  if (!l.article) {
    if (ch.kind) {
      if (*ch.kind != "G" && *ch.kind != "S")
        throw UserError(fmt::format("a line is goods (G) or a service (S), not \"{}\"", *ch.kind));
      in.kind = *ch.kind == "S" ? domain::SupplyKind::services : domain::SupplyKind::goods;
    } else if (l.kind.empty()) {
      in.kind = domain::SupplyKind::services;  // free text is work, travel, a fee
    }
    if (l.row == 0 && !ch.vat_rate) in.domestic_rate = domain::Decimal::from_integer(21);
  }
  const bool clear_override = ch.vat_category && *ch.vat_category == "auto";
  if (clear_override) in.override.reset();
  if (ch.vat_category && !clear_override) {
    auto cat = domain::vat_category_from_code(*ch.vat_category);
    if (!cat) throw UserError(fmt::format("VAT category \"{}\" is not one of S, Z, E, AE, K, G", *ch.vat_category));
    domain::VatOverride o;
    o.category = *cat;
    o.rate = ch.vat_rate ? typed_decimal(*ch.vat_rate, "a VAT rate")
                         : *cat == domain::VatCategory::standard ? in.domestic_rate : domain::Decimal();
    o.exemption_reason = ch.vat_reason ? *ch.vat_reason : in.override ? in.override->exemption_reason : "";
    in.override = o;
  } else if (ch.vat_rate) {
    domain::Decimal rate = typed_decimal(*ch.vat_rate, "a VAT rate");
    if (in.override) in.override->rate = rate;
    else in.domestic_rate = rate;
  } else if (ch.vat_reason && in.override) {
    in.override->exemption_reason = *ch.vat_reason;
  }
  // An article of another category than S or Z carries it as an override.
  if (art && !in.override && !clear_override && art->vat_category != "S" && art->vat_category != "Z" &&
      !art->vat_category.empty())
    if (auto cat = domain::vat_category_from_code(art->vat_category))
      in.override = domain::VatOverride{*cat, domain::Decimal(), ch.vat_reason.value_or("")};
  if (in.override && !in.override->exemption_reason.empty())
    checked_text(Tbl::docline, fld::exemption_reason, in.override->exemption_reason, "an exemption reason");
  // A credit note's line copied from its invoice keeps the invoice's VAT unless the user
  // changes what decides it.
  const bool keep = type == DocType::credit_note && !l.vat_rule.empty() && !ch.article && !ch.kind &&
                    !ch.vat_rate && !ch.vat_category && !ch.vat_reason;
  std::string note = keep ? "" : decide_line_vat(c.setting("country", "BE"), customer, in, l, l.lineno);
  require(domain::check_line(input_of(l), l.lineno));
  return note.empty() ? "" : fmt::format("line {}: {}", l.lineno, note);
}

// The document's totals from all its lines, checked as a whole: no negative total, and a
// credit note of an invoice within what is left to credit (under the invoice's lock).
void check_and_total(Company& c, Document& d, std::vector<Line>& ls) {
  if (!ls.empty()) require(domain::check_document_lines(ref_of(d), inputs_of(ls)));
  set_totals(d, totals_of(ls));
  checked_decimal(Tbl::doc, fld::total_incl, d.total_incl, "the document's total");
  if (d.type == DocType::credit_note && d.source && !ls.empty()) {
    Document inv = lock_document(c, document_by_id(c.storage(), d.source));
    CreditState st = credit_state(c, inv, d.id);
    require(domain::check_credit_note(st.invoice, st.earlier, credit_amounts(c, d, ls)));
  }
}

std::optional<Party> customer_of(Company& c, const Document& d) {
  if (party_kind(d.type) != PartyKind::customer) return std::nullopt;
  return Parties(c, PartyKind::customer).by_id(d.party);
}

}  // namespace

int32_t Documents::create(DocType type, const std::string& party_code, std::optional<xbase::Date> date) {
  Party p = active_party(c_, type, party_code);
  Document d;
  d.type = type;
  d.date = date.value_or(today());
  d.year = checked_document_date(c_, d.date, std::nullopt, false).fiscal_year;
  d.status = DocStatus::draft;
  d.party = p.id;
  d.user = c_.who().user;
  d.workstation = c_.who().workstation;
  Numbering numbering(c_);
  const bool reserve = domain::numbered_gap_free(type) && numbering.mode() == domain::NumberingMode::multiuser;
  if (reserve) numbering.ensure(type, d.year);
  Storage& s = c_.storage();
  Action a(s);
  if (reserve) {
    HeldSeries series = numbering.hold(type, d.year);
    SeriesDates dates(s, type, d.year, series.counter.next);
    d.number = take_number_for(series.counter, dates, to_domain(d.date));
    numbering.write(series);
  }
  Row r = row_of(d);
  s.insert(Tbl::doc, r);
  a.commit();
  return int32_t(r.integer(fld::id));
}

DocView Documents::add_line(int32_t id, const LineSpec& spec) {
  Storage& s = c_.storage();
  Action a(s);
  Document d = lock_document(c_, document_by_id(s, id));
  require_draft(d);
  auto ls = lines_of(s, d.id);
  Line l;
  l.doc = d.id;
  for (const auto& o : ls) l.lineno = std::max(l.lineno, o.lineno);
  ++l.lineno;
  auto customer = customer_of(c_, d);
  std::string note = apply_change(c_, d.type, customer ? &*customer : nullptr, l, change_of(spec));
  ls.push_back(l);
  check_and_total(c_, d, ls);
  // DOC is written before DOCLINE.
  s.update(Tbl::doc, d.row, totals_row(d));
  Row lr = row_of(ls.back());
  s.insert(Tbl::docline, lr);
  a.commit();
  return changed_draft(id, note.empty() ? std::vector<std::string>{} : std::vector<std::string>{note});
}

namespace {
// Line `line_no` of draft `d` among its lines `ls`; refused when it has none.
std::vector<Line>::iterator numbered_line(std::vector<Line>& ls, int line_no, const Document& d) {
  auto it = std::find_if(ls.begin(), ls.end(), [&](const Line& l) { return l.lineno == line_no; });
  if (it == ls.end()) throw UserError(fmt::format("{} has no line {}", Documents::label(d), line_no));
  return it;
}
}  // namespace

DocView Documents::edit_line(int32_t id, int line_no, const LineChange& ch) {
  Storage& s = c_.storage();
  Action a(s);
  Document d = lock_document(c_, document_by_id(s, id));
  require_draft(d);
  auto ls = lines_of(s, d.id);
  auto it = numbered_line(ls, line_no, d);
  auto customer = customer_of(c_, d);
  std::string note = apply_change(c_, d.type, customer ? &*customer : nullptr, *it, ch);
  check_and_total(c_, d, ls);
  s.update(Tbl::doc, d.row, totals_row(d));
  for (const auto& l : ls) s.update(Tbl::docline, l.row, row_of(l));  // nets may move with the totals
  a.commit();
  return changed_draft(id, note.empty() ? std::vector<std::string>{} : std::vector<std::string>{note});
}

DocView Documents::remove_line(int32_t id, int line_no) {
  Storage& s = c_.storage();
  Action a(s);
  Document d = lock_document(c_, document_by_id(s, id));
  require_draft(d);
  auto ls = lines_of(s, d.id);
  auto it = numbered_line(ls, line_no, d);
  const RowId gone = it->row;
  ls.erase(it);
  check_and_total(c_, d, ls);
  s.update(Tbl::doc, d.row, totals_row(d));
  s.remove(Tbl::docline, gone);
  for (const auto& l : ls) s.update(Tbl::docline, l.row, row_of(l));
  a.commit();
  return changed_draft(id, {});
}

DocView Documents::move_line(int32_t id, int line_no, int to) {
  Storage& s = c_.storage();
  Action a(s);
  Document d = lock_document(c_, document_by_id(s, id));
  require_draft(d);
  auto ls = lines_of(s, d.id);
  auto it = numbered_line(ls, line_no, d);
  if (to < 1 || to > int(ls.size()))
    throw UserError(fmt::format("{} has lines 1 to {}: there is no place {}", label(d), ls.size(), to));
  Line moved = *it;
  ls.erase(it);
  ls.insert(ls.begin() + (to - 1), moved);
  // The totals do not change; only the lines whose number changes are written.
  for (size_t i = 0; i < ls.size(); ++i)
    if (ls[i].lineno != int(i + 1)) s.update(Tbl::docline, ls[i].row, Row().integer(fld::line_no, int64_t(i + 1)));
  a.commit();
  return changed_draft(id, {});
}

DocView Documents::change(int32_t id, const DraftChange& ch) {
  Storage& s = c_.storage();
  Document before = document_by_id(s, id);
  require_draft(before);
  // A new date may move the draft to another fiscal year: its series must exist before the
  // action that takes a number from it.
  std::optional<domain::FinalizeDate> newdate;
  if (ch.date) newdate = checked_document_date(c_, *ch.date, std::nullopt, false);
  Numbering numbering(c_);
  const bool move_number = newdate && before.number && newdate->fiscal_year != before.year;
  if (move_number) numbering.ensure(before.type, newdate->fiscal_year);
  std::vector<std::string> notes;
  Action a(s);
  Document d = lock_document(c_, before);
  require_draft(d);
  auto ls = lines_of(s, d.id);
  std::optional<HeldSeries> from, to;
  if (ch.party) {
    if (d.source)
      throw UserError(fmt::format("{} was made from {}, which is for its customer: make a new document for "
                                  "another one",
                                  label(d), label(document_by_id(s, d.source))));
    Party p = active_party(c_, d.type, *ch.party);
    d.party = p.id;
    // Every line's VAT again, for this customer.
    Articles arts(c_);
    auto customer = customer_of(c_, d);
    for (auto& l : ls) {
      auto art = l.article ? arts.by_id(l.article) : std::nullopt;
      std::string note = decide_line_vat(c_.setting("country", "BE"), customer ? &*customer : nullptr,
                                         vat_input_of(l, art), l, l.lineno);
      if (!note.empty()) notes.push_back(fmt::format("line {}: {}", l.lineno, note));
    }
  }
  if (newdate) {
    d.date = *ch.date;
    if (newdate->fiscal_year != d.year) {
      if (d.number) {
        // The reserved number goes back to its series; the new series reserves one in date
        // order. Series are held in year order, so two such moves never wait in a circle.
        const int y1 = std::min(d.year, newdate->fiscal_year), y2 = std::max(d.year, newdate->fiscal_year);
        HeldSeries first = numbering.hold(d.type, y1), second = numbering.hold(d.type, y2);
        from = d.year == y1 ? first : second;
        to = d.year == y1 ? second : first;
        domain::give_back_number(from->counter, d.number);
        SeriesDates dates(s, d.type, newdate->fiscal_year, to->counter.next);
        d.number = take_number_for(to->counter, dates, to_domain(d.date));
      }
      d.year = newdate->fiscal_year;
    }
  }
  if (ch.customer_ref) d.customer_ref = checked_text(Tbl::doc, fld::customer_ref, *ch.customer_ref, "a customer's reference");
  if (ch.note) d.note = checked_text(Tbl::doc, fld::note, *ch.note, "a document's note");
  check_and_total(c_, d, ls);
  if (from) {
    const bool from_first = from->year < to->year;
    numbering.write(from_first ? *from : *to);
    numbering.write(from_first ? *to : *from);
  }
  Row r = totals_row(d);
  r.integer(fld::party, d.party).date(fld::doc_date, d.date).integer(fld::year, d.year).integer(fld::number, d.number);
  r.text(fld::customer_ref, d.customer_ref).text(fld::note, d.note);
  s.update(Tbl::doc, d.row, r);
  if (ch.party)
    for (const auto& l : ls) s.update(Tbl::docline, l.row, row_of(l));
  a.commit();
  return changed_draft(id, notes);
}

void Documents::remove(int32_t id) {
  Storage& s = c_.storage();
  Action a(s);
  Document d = lock_document(c_, document_by_id(s, id));
  if (d.status != DocStatus::draft) require(domain::check_transition(ref_of(d), d.status, DocStatus::cancelled));
  const std::string was = label(d);
  Numbering numbering(c_);
  if (d.number) {
    HeldSeries h = numbering.hold(d.type, d.year);
    domain::give_back_number(h.counter, d.number);
    numbering.write(h);
  }
  auto ls = lines_of(s, d.id);
  s.remove(Tbl::doc, d.row);
  for (const auto& l : ls) s.remove(Tbl::docline, l.row);
  audit(c_, "DELETE", d.id,
        d.number ? fmt::format("{}: number {} given back", was, d.number) : fmt::format("{} deleted", was));
  a.commit();
}

void Documents::cancel(int32_t id) {
  Storage& s = c_.storage();
  Action a(s);
  Document d = lock_document(c_, document_by_id(s, id));
  require(domain::check_transition(ref_of(d), d.status, DocStatus::cancelled));
  const std::string was = label(d);
  Numbering numbering(c_);
  if (d.number) {
    HeldSeries h = numbering.hold(d.type, d.year);
    domain::give_back_number(h.counter, d.number);
    numbering.write(h);
  }
  Row ch;
  ch.text(fld::status, domain::doc_status_code(DocStatus::cancelled)).integer(fld::number, 0);
  s.update(Tbl::doc, d.row, ch);
  audit(c_, "CANCEL", d.id, d.number ? fmt::format("{}: number {} given back", was, d.number) : was);
  a.commit();
}

}  // namespace invoicing::store

#include "store/documents.h"

#include <fmt/format.h>

#include <map>

#include "domain/ogm.h"
#include "domain/totals.h"
#include "domain/vat.h"
#include "store/articles.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/field_rules.h"
#include "store/numbering.h"
#include "store/parties.h"

using xbase::Value;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

PartyKind party_kind(DocType t) { return t == DocType::purchase_invoice ? PartyKind::supplier : PartyKind::customer; }

domain::VatCategory category_of(const std::string& code) {
  auto c = domain::vat_category_from_code(code);
  if (!c) throw UserError(fmt::format("VAT category \"{}\" is not one of S, Z, E, AE, K, G", code));
  return *c;
}

domain::LineInput input_of(const Line& l) {
  domain::LineInput li;
  li.quantity = l.quantity;
  li.unit_price = l.price;
  li.discount_percent = l.discount;
  li.category = category_of(l.vat_category);
  li.vat_rate = l.vat_rate;
  return li;
}

// The totals of these lines, each line's net set from them.
domain::Totals totals_of(std::vector<Line>& ls) {
  std::vector<domain::LineInput> in;
  for (const auto& l : ls) in.push_back(input_of(l));
  domain::Totals t;
  try {
    t = domain::compute_totals(in);
  } catch (const std::invalid_argument& e) {
    throw UserError(e.what());
  }
  for (size_t i = 0; i < ls.size(); ++i) ls[i].net = t.line_net[i];
  return t;
}

void set_totals(Document& d, const domain::Totals& t) {
  d.total_excl = t.total_excl;
  d.total_vat = t.total_vat;
  d.total_incl = t.total_incl;
}

Row totals_row(const Document& d) {
  Row r;
  r.dec(fld::total_excl, d.total_excl).dec(fld::total_vat, d.total_vat).dec(fld::total_incl, d.total_incl);
  return r;
}

xbase::Date add_days(xbase::Date d, int days) { return xbase::from_julian_day(xbase::julian_day(d) + days); }

// What a finalization changes, planned under the action's locks before anything is written.
struct Finalization {
  std::optional<HeldSeries> series;  // when the number is taken here
  std::vector<StockChange> stock;
};

// The stock the lines of a document move (`dir`: +1 in, -1 out, 0 none), per stocked article.
std::vector<StockChange> stock_changes(Articles& arts, const std::vector<Line>& ls, int dir) {
  std::vector<StockChange> out;
  if (!dir) return out;
  for (const auto& l : ls)
    if (l.article)
      if (auto art = arts.by_id(l.article); art && art->stocked)
        out.push_back({art->row, art->id, dir > 0 ? l.quantity : -l.quantity});
  return out;
}

// A document made final: its status, an invoice's structured payment reference, and the due
// date of what is to be paid (the party's payment terms).
void mark_final(Company& c, Document& d) {
  d.status = DocStatus::final;
  if (d.type == DocType::invoice)
    d.ogm = domain::ogm_from_number(uint64_t(d.year) * 1000000u + uint64_t(d.number % 1000000));
  if (d.type == DocType::invoice || d.type == DocType::purchase_invoice) {
    int terms = 30;
    if (auto p = Parties(c, party_kind(d.type)).by_id(d.party)) terms = p->terms;
    d.due_date = add_days(d.date, terms);
  }
}

}  // namespace

std::string Documents::label(const Document& d) {
  return d.number ? fmt::format("{} {}/{:04}", domain::doc_type_code(d.type), d.year, d.number)
                  : fmt::format("{} draft {}", domain::doc_type_code(d.type), d.id);
}

Document Documents::get(int32_t id) {
  auto r = c_.storage().find(Tbl::doc, "ID", {Value::integer(id)});
  if (!r) throw UserError(fmt::format("no document with id {}", id));
  return document_from(*r);
}

std::vector<Line> Documents::lines(int32_t doc) {
  std::vector<Line> out;
  c_.storage().range(Tbl::docline, "DOC", {Value::integer(doc)}, [&](const Row& r) {
    out.push_back(line_from(r));
    return true;
  });
  return out;
}

DocView Documents::view(const Document& d, bool with_lines) {
  DocView v;
  v.doc = d;
  v.label = label(d);
  if (auto p = Parties(c_, party_kind(d.type)).by_id(d.party)) {
    v.party_code = p->code;
    v.party_name = p->name;
  }
  if (d.source)
    if (auto s = c_.storage().find(Tbl::doc, "ID", {Value::integer(d.source)})) v.source_label = label(document_from(*s));
  if (with_lines) {
    Articles arts(c_);
    for (auto& l : lines(d.id)) {
      LineView lv{l, ""};
      if (l.article)
        if (auto a = arts.by_id(l.article)) lv.article_code = a->code;
      v.lines.push_back(std::move(lv));
    }
  }
  return v;
}

int32_t Documents::create(DocType type, const std::string& party_code, std::optional<xbase::Date> date) {
  Party p = Parties(c_, party_kind(type)).get(party_code);
  Document d;
  d.type = type;
  d.date = date.value_or(today());
  d.year = d.date.year;
  d.status = DocStatus::draft;
  d.party = p.id;
  d.user = c_.who().user;
  d.workstation = c_.who().workstation;
  Numbering numbering(c_);
  const bool reserve = domain::numbered_gap_free(type) && numbering.mode() == domain::NumberingMode::multiuser;
  if (reserve) numbering.ensure(type, d.year);
  Storage& s = c_.storage();
  Action a(s);
  std::optional<HeldSeries> series;
  if (reserve) {
    series = numbering.hold(type, d.year);
    d.number = domain::take_number(series->counter);
    numbering.write(*series);
  }
  Row r = row_of(d);
  s.insert(Tbl::doc, r);
  a.commit();
  return int32_t(r.integer(fld::id));
}

void Documents::add_line(int32_t id, const LineSpec& spec) {
  Storage& s = c_.storage();
  Document d = get(id);
  Action a(s);
  s.lock(Tbl::doc, d.row, c_.lock_wait());
  d = document_from(*s.get(Tbl::doc, d.row));  // as it is now that it is ours
  if (d.status != DocStatus::draft) throw UserError(fmt::format("{} is not a draft", label(d)));
  Line l;
  l.doc = d.id;
  std::string text = spec.text, price = spec.price, rate = spec.vat_rate, cat = spec.vat_category;
  if (!spec.article.empty()) {
    Article art = Articles(c_).get(spec.article);
    l.article = art.id;
    if (text.empty()) text = art.description;
    if (price.empty()) price = art.price.to_string();
    if (rate.empty()) rate = art.vat_rate.to_string();
    if (cat.empty()) cat = art.vat_category;
  }
  if (text.empty()) throw UserError("a line needs an article or a text");
  l.description = checked_text(Tbl::docline, fld::descr, text, "a line's description");
  if (cat.empty()) cat = "S";
  category_of(cat);
  l.vat_category = cat;
  if (rate.empty()) {
    auto rates = domain::vat_rates(c_.setting("country", "BE"));
    rate = cat == "S" && !rates.empty() ? rates.front().to_string() : "0";
  }
  l.quantity = parse_decimal(Tbl::docline, fld::quantity, spec.quantity, "a quantity");
  l.price = parse_decimal(Tbl::docline, fld::price, price.empty() ? "0" : price, "a unit price");
  l.discount = parse_decimal(Tbl::docline, fld::discount, spec.discount, "a discount");
  l.vat_rate = parse_decimal(Tbl::docline, fld::vat_rate, rate, "a VAT rate");
  auto ls = lines(d.id);
  for (const auto& o : ls) l.lineno = std::max(l.lineno, o.lineno);
  ++l.lineno;
  ls.push_back(l);
  // The document's totals from the stored values of every line (drafts and final documents
  // compute from the same values), then the line (DOC is written before DOCLINE).
  set_totals(d, totals_of(ls));
  checked_decimal(Tbl::doc, fld::total_incl, d.total_incl, "the document's total");
  s.update(Tbl::doc, d.row, totals_row(d));
  Row lr = row_of(ls.back());
  s.insert(Tbl::docline, lr);
  a.commit();
}

DocView Documents::finalize(int32_t id) {
  Storage& s = c_.storage();
  Document d = get(id);
  if (d.status != DocStatus::draft)
    throw UserError(fmt::format("{} is {} already", label(d), d.status == DocStatus::final ? "final" : "cancelled"));
  // Every final document gets the next number of its series (invoices and credit notes
  // gap-free); a draft in multi-user numbering has one reserved already.
  Numbering numbering(c_);
  if (!d.number) numbering.ensure(d.type, d.year);
  Action a(s);
  s.lock(Tbl::doc, d.row, c_.lock_wait());
  d = document_from(*s.get(Tbl::doc, d.row));
  if (d.status != DocStatus::draft)
    throw UserError(fmt::format("{} is {} already", label(d), d.status == DocStatus::final ? "final" : "cancelled"));
  auto ls = lines(d.id);
  if (ls.empty()) throw UserError(fmt::format("{} has no lines", label(d)));
  Finalization f;
  std::optional<Company::Doing> doing;
  if (!d.number) {
    f.series = numbering.hold(d.type, d.year);
    doing.emplace(c_, "numbering " + series_name(d.type, d.year));
    d.number = domain::take_number(f.series->counter);
  }
  bool from_delivery = false;
  if (d.source)
    if (auto src = s.find(Tbl::doc, "ID", {Value::integer(d.source)}))
      from_delivery = document_from(*src).type == DocType::delivery_note;
  // An invoice made from a delivery note does not move the stock again.
  const int dir = domain::stock_direction(d.type, from_delivery);
  Articles arts(c_);
  f.stock = stock_changes(arts, ls, dir);
  arts.lock(f.stock);
  // The changes, in table order.
  if (f.series) {
    f.series->last_date = d.date;
    numbering.write(*f.series);
  }
  arts.apply(f.stock);
  mark_final(c_, d);
  Row ch;
  ch.integer(fld::number, d.number).text(fld::status, domain::doc_status_code(d.status)).text(fld::ogm, d.ogm);
  ch.date(fld::due_date, d.due_date);
  s.update(Tbl::doc, d.row, ch);
  arts.record_moves(f.stock, d.id, label(d));
  audit(c_, "FINALIZE", d.id, fmt::format("{} total {}", label(d), d.total_incl.to_string(2)));
  a.commit();
  return view(d, false);
}

int32_t Documents::convert(int32_t id, DocType to, bool finalize_now) {
  Storage& s = c_.storage();
  Document src = get(id);
  if (!domain::can_convert(src.type, to))
    throw UserError(fmt::format("a {} cannot become a {}", domain::doc_type_code(src.type), domain::doc_type_code(to)));
  if (src.status == DocStatus::cancelled) throw UserError(fmt::format("{} is cancelled", label(src)));
  if (to == DocType::credit_note && src.status != DocStatus::final)
    throw UserError("a credit note refers to a finalized invoice");
  Document d;
  d.type = to;
  d.date = today();
  d.year = d.date.year;
  d.status = DocStatus::draft;
  d.party = src.party;
  d.source = src.id;
  d.customer_ref = src.customer_ref;
  d.user = c_.who().user;
  d.workstation = c_.who().workstation;
  Numbering numbering(c_);
  const bool take = finalize_now || (domain::numbered_gap_free(to) && numbering.mode() == domain::NumberingMode::multiuser);
  if (take) numbering.ensure(to, d.year);
  Action a(s);
  s.lock(Tbl::doc, src.row, c_.lock_wait());
  auto ls = lines(src.id);
  if (finalize_now && ls.empty()) throw UserError(fmt::format("{} has no lines", label(src)));
  Finalization f;
  std::optional<Company::Doing> doing;
  if (take) {
    f.series = numbering.hold(to, d.year);
    doing.emplace(c_, "numbering " + series_name(to, d.year));
    d.number = domain::take_number(f.series->counter);
  }
  Articles arts(c_);
  f.stock = stock_changes(arts, ls, finalize_now ? domain::stock_direction(to, src.type == DocType::delivery_note) : 0);
  arts.lock(f.stock);
  set_totals(d, totals_of(ls));
  if (finalize_now) mark_final(c_, d);
  // The changes, in table order.
  if (f.series) {
    if (finalize_now) f.series->last_date = d.date;
    numbering.write(*f.series);
  }
  arts.apply(f.stock);
  Row dr = row_of(d);
  s.insert(Tbl::doc, dr);
  d.id = int32_t(dr.integer(fld::id));
  d.row = dr.id;
  for (auto l : ls) {
    l.doc = d.id;
    Row lr = row_of(l);
    s.insert(Tbl::docline, lr);
  }
  arts.record_moves(f.stock, d.id, label(d));
  audit(c_, "CONVERT", d.id, fmt::format("{} from {}", label(d), label(src)));
  if (finalize_now) audit(c_, "FINALIZE", d.id, fmt::format("{} total {}", label(d), d.total_incl.to_string(2)));
  a.commit();
  return d.id;
}

void Documents::cancel(int32_t id) {
  Storage& s = c_.storage();
  Document d = get(id);
  Action a(s);
  s.lock(Tbl::doc, d.row, c_.lock_wait());
  d = document_from(*s.get(Tbl::doc, d.row));
  if (d.status == DocStatus::final)
    throw UserError(fmt::format("{} is final; an invoice is undone with a credit note "
                                "(invoicing doc convert {} --to credit-note)",
                                label(d), d.id));
  if (d.status == DocStatus::cancelled) throw UserError(fmt::format("{} is cancelled already", label(d)));
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

DocView Documents::show(int32_t id) { return view(get(id), true); }

std::vector<DocView> Documents::list(const DocFilter& f) {
  std::vector<DocView> out;
  c_.storage().range(Tbl::doc, "ID", {}, [&](const Row& r) {
    Document d = document_from(r);
    if ((!f.type || d.type == *f.type) && (!f.year || d.year == f.year)) out.push_back(view(d, false));
    return true;
  });
  return out;
}

}  // namespace invoicing::store

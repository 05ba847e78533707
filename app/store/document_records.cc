#include "store/document_records.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "store/articles.h"
#include "store/documents.h"

using xbase::Value;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

PartyKind party_kind(DocType t) { return t == DocType::purchase_invoice ? PartyKind::supplier : PartyKind::customer; }

domain::DocRef ref_of(const Document& d) {
  return {d.type, d.year, d.status == DocStatus::draft ? 0 : d.number, d.id};
}

void require(const domain::Verdict& v) {
  if (!v) throw UserError(v.message());
}

domain::Decimal typed_decimal(const std::string& text, const char* what) {
  std::string s = text;
  if (s.find(',') != std::string::npos && s.find('.') == std::string::npos) s[s.find(',')] = '.';
  auto d = domain::Decimal::parse(s);
  if (!d) throw UserError(fmt::format("{} \"{}\" is not a number (digits with a decimal point or comma)", what, text));
  return *d;
}

Document document_by_id(Storage& s, int32_t id) {
  auto r = s.find(Tbl::doc, "ID", {Value::integer(id)});
  if (!r) throw NotFound(fmt::format("no document with id {}", id));
  return document_from(*r);
}

namespace {

// Who may hold a record: the other workstations in the program (the lock itself does not say
// which of them; one is certain, several are named as candidates).
std::string holders(Company& c) {
  const std::vector<std::string> others = c.other_workstations();
  if (others.empty()) return "a program without a seat (xbase, or another program on the data folder)";
  if (others.size() == 1) return others.front();
  std::string list;
  for (const auto& o : others) list += (list.empty() ? "" : ", ") + o;
  return "another workstation (in the program now: " + list + ")";
}

}  // namespace

Document lock_document(Company& c, const Document& d) {
  try {
    c.storage().lock(Tbl::doc, d.row, c.lock_wait());
  } catch (const Busy&) {
    throw Busy(fmt::format("{} is being changed by {} (waited {} s); nothing was changed, try again in a moment",
                           Documents::label(d), holders(c),
                           std::chrono::duration_cast<std::chrono::seconds>(c.lock_wait()).count()));
  }
  auto r = c.storage().get(Tbl::doc, d.row);
  if (!r) throw UserError(fmt::format("document {} was deleted by another workstation", d.id));
  return document_from(*r);
}

std::vector<Line> lines_of(Storage& s, int32_t doc) {
  std::vector<Line> out;
  for (const Row& r : s.range_all(Tbl::docline, "DOC", {Value::integer(doc)})) out.push_back(line_from(r));
  return out;
}

domain::LineInput input_of(const Line& l) {
  domain::LineInput li;
  li.quantity = l.quantity;
  li.unit_price = l.price;
  li.discount_percent = l.discount;
  auto cat = domain::vat_category_from_code(l.vat_category);
  if (!cat) throw UserError(fmt::format("line {}: VAT category \"{}\" is not one of S, Z, E, AE, K, G", l.lineno, l.vat_category));
  li.category = *cat;
  li.vat_rate = l.vat_rate;
  return li;
}

std::vector<domain::LineInput> inputs_of(const std::vector<Line>& ls) {
  std::vector<domain::LineInput> in;
  for (const auto& l : ls) in.push_back(input_of(l));
  return in;
}

domain::Totals totals_of(std::vector<Line>& ls) {
  domain::Totals t;
  try {
    t = domain::compute_totals(inputs_of(ls));
  } catch (const std::invalid_argument& e) {
    throw UserError(e.what());
  } catch (const domain::DecimalOverflow&) {
    throw UserError("the document's amounts are too large to compute");
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

std::vector<Document> children(Storage& s, int32_t id) {
  std::vector<Document> out;
  s.range(Tbl::doc, "SOURCE", {Value::integer(id)}, [&](const Row& r) {
    out.push_back(document_from(r));
    return true;
  });
  return out;
}

std::vector<domain::LinkedDoc> descendants(Storage& s, int32_t id) {
  std::vector<domain::LinkedDoc> out;
  std::vector<int32_t> todo = {id};
  std::set<int32_t> seen = {id};
  while (!todo.empty()) {
    int32_t at = todo.back();
    todo.pop_back();
    for (const auto& d : children(s, at)) {
      if (!seen.insert(d.id).second) continue;  // a damaged link that loops
      out.push_back({ref_of(d), d.status});
      todo.push_back(d.id);
    }
  }
  return out;
}

namespace {

// Per article code, the stocked quantities of these lines.
std::vector<domain::ArticleQuantity> stocked_quantities(Articles& arts, const std::vector<Line>& ls,
                                                        std::map<int32_t, std::optional<Article>>& cache) {
  std::map<std::string, domain::Decimal> by;
  for (const auto& l : ls) {
    if (!l.article) continue;
    auto it = cache.find(l.article);
    if (it == cache.end()) it = cache.emplace(l.article, arts.by_id(l.article)).first;
    if (it->second && it->second->stocked) by[it->second->code] += l.quantity;
  }
  std::vector<domain::ArticleQuantity> out;
  for (const auto& [code, q] : by) out.push_back({code, q});
  return out;
}

}  // namespace

domain::CreditNoteAmounts credit_amounts(Company& c, const Document& crn, const std::vector<Line>& ls) {
  Articles arts(c);
  std::map<int32_t, std::optional<Article>> cache;
  return {ref_of(crn), crn.total_incl, stocked_quantities(arts, ls, cache)};
}

CreditState credit_state(Company& c, const Document& inv, int32_t except, const std::vector<LineView>* shown) {
  Storage& s = c.storage();
  Articles arts(c);
  std::map<int32_t, std::optional<Article>> cache;
  CreditState st;
  st.invoice.invoice = ref_of(inv);
  st.invoice.status = inv.status;
  st.invoice.total_incl = inv.total_incl;
  std::vector<Line> lines;
  if (shown) {
    for (const auto& lv : *shown) {
      lines.push_back(lv.line);
      if (lv.line.article) cache.emplace(lv.line.article, lv.article);  // none: not found when shown
    }
  } else {
    lines = lines_of(s, inv.id);
  }
  st.invoice.stock_out = stocked_quantities(arts, lines, cache);
  for (const auto& d : children(s, inv.id)) {
    if (d.type != DocType::credit_note || d.id == except) continue;
    if (d.status != DocStatus::draft && d.status != DocStatus::final) continue;
    st.earlier.push_back({ref_of(d), d.total_incl, stocked_quantities(arts, lines_of(s, d.id), cache)});
  }
  return st;
}

}  // namespace invoicing::store

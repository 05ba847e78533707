// Documents as users read them: labels, one document with its lines and links, and lists with
// filters. The changes are in drafts.cc, finalization.cc and document_flow.cc.
#include "store/documents.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <map>

#include "domain/document_label.h"
#include "store/articles.h"
#include "store/clock.h"
#include "store/dates.h"
#include "store/document_records.h"
#include "store/parties.h"
#include "store/payments.h"

using xbase::Value;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

domain::Decimal signed_total(const Document& d) {
  return d.type == DocType::credit_note ? -d.total_incl : d.total_incl;
}

std::string Documents::label(const Document& d, const std::string& lang) {
  switch (d.status) {
    case DocStatus::final:
    case DocStatus::withdrawn: return domain::document_label(d.type, d.year, d.number, lang);
    case DocStatus::draft: break;
    case DocStatus::cancelled:
      return fmt::format("{}{} (document {})", lang == "nl" ? "geannuleerd: " : lang == "fr" ? "annulé : " : "cancelled ",
                         domain::doc_type_name(d.type, lang), d.id);
  }
  return fmt::format("{} (document {})", domain::document_label(d.type, d.year, 0, lang), d.id);
}

DocView Documents::view(const Document& d, bool with_lines, const std::string& lang,
                        const std::optional<Party>* party, const Document* source) {
  Storage& s = c_.storage();
  DocView v;
  v.doc = d;
  v.label = label(d, lang);
  if (auto p = party ? *party : Parties(c_, party_kind(d.type)).by_id(d.party)) {
    v.party = *p;
    v.party_code = p->code;
    v.party_name = p->name;
  }
  if (source && source->id == d.source)
    v.source_label = label(*source, lang);
  else if (d.source)
    if (auto src = s.find(Tbl::doc, "ID", {Value::integer(d.source)})) v.source_label = label(document_from(*src), lang);
  if (with_lines) {
    const auto lines = lines_of(s, d.id);
    std::vector<int32_t> ids;
    for (const auto& l : lines)
      if (l.article) ids.push_back(l.article);
    v.lines = line_views(lines, Articles(c_).by_ids(ids));  // read together, not one lookup per line
  }
  return v;
}

std::vector<LineView> Documents::line_views(const std::vector<Line>& lines, const std::map<int32_t, Article>& arts) {
  std::vector<LineView> out;
  for (const auto& l : lines) {
    LineView lv{l, "", std::nullopt};
    if (auto a = arts.find(l.article); l.article && a != arts.end()) {
      lv.article_code = a->second.code;
      lv.article = a->second;
    }
    out.push_back(std::move(lv));
  }
  return out;
}

DocView Documents::changed_draft(int32_t doc, std::vector<std::string> warnings) {
  DocView v = view(document_by_id(c_.storage(), doc), true);
  v.warnings = std::move(warnings);
  return v;
}

DocView Documents::show(int32_t id, const std::string& lang) { return shown(document_by_id(c_.storage(), id), lang); }

DocView Documents::show_in_party_language(int32_t id) {
  const Document d = document_by_id(c_.storage(), id);
  const std::optional<Party> p = Parties(c_, party_kind(d.type)).by_id(d.party);
  return shown(d, its_language(p ? p->lang : ""), &p);
}

std::string Documents::its_language(const std::string& party_lang) {
  return party_lang == "nl" || party_lang == "fr" ? party_lang : "en";
}

DocView Documents::shown(const Document& d, const std::string& lang, const std::optional<Party>* party) {
  DocView v = view(d, true, lang, party);
  add_links(v, lang);
  return v;
}

void Documents::add_links(DocView& v, const std::string& lang) {
  for (const auto& ch : children(c_.storage(), v.doc.id)) v.made_from_it.push_back({ch.id, label(ch, lang), ch.status});
  v.payment = Payments(c_).state(v.doc, today(), v.party_code);
}

namespace {

// Whether `d` passes the filter's fields that the document alone decides.
bool passes(const Document& d, const DocFilter& f, std::optional<int32_t> party, PartyKind kind) {
  if (f.type && d.type != *f.type) return false;
  if (f.status && d.status != *f.status) return false;
  if (party && (d.party != *party || party_kind(d.type) != kind)) return false;
  if (f.year && d.year != f.year) return false;
  if (f.from && xbase::julian_day(d.date) < xbase::julian_day(*f.from)) return false;
  if (f.to && xbase::julian_day(d.date) > xbase::julian_day(*f.to)) return false;
  if ((f.number_from || f.number_to) && (d.status == DocStatus::draft || !d.number)) return false;
  if (f.number_from && d.number < f.number_from) return false;
  if (f.number_to && d.number > f.number_to) return false;
  return true;
}

}  // namespace

// A page: the documents newest first, each party read once by its ID index, each invoice's
// state from its own credit notes and payments (Payments::state: a customer with years of
// history costs a page no more than a new one).
std::vector<DocView> Documents::page(const DocFilter& f) {
  Storage& s = c_.storage();
  std::optional<int32_t> party;
  const PartyKind kind = f.type ? party_kind(*f.type) : PartyKind::customer;
  if (!f.party.empty()) party = Parties(c_, kind).get(f.party).id;
  std::map<std::pair<PartyKind, int32_t>, std::optional<Party>> parties;
  const xbase::Date as_of = today();
  std::vector<DocView> out;
  auto take = [&](const Document& d) {
    if (!passes(d, f, party, kind)) return true;
    auto key = std::make_pair(party_kind(d.type), d.party);
    auto p = parties.find(key);
    if (p == parties.end()) p = parties.emplace(key, Parties(c_, key.first).by_id(d.party)).first;
    const std::string code = p->second ? p->second->code : std::string();
    const auto st = Payments(c_).state(d, as_of, code);
    if (f.open && !(st && st->open.sign() > 0)) return true;
    if (f.overdue && !(st && st->status == domain::InvoiceStatus::overdue)) return true;
    DocView v;
    v.doc = d;
    v.label = label(d);
    if (p->second) {
      v.party = *p->second;
      v.party_code = code;
      v.party_name = p->second->name;
    }
    v.payment = st;
    if (d.source)
      if (auto src = s.find(Tbl::doc, "ID", {Value::integer(d.source)})) v.source_label = label(document_from(*src));
    out.push_back(std::move(v));
    return f.limit == 0 || out.size() < f.limit;
  };
  if (!party && (f.status || f.type)) {
    // One status (drafts: a few among 100,000) or one type by its index: (key, id) from the
    // newest back, or from the oldest on, up to the key's last row.
    const bool by_status = f.status.has_value();
    const std::string key = by_status ? domain::doc_status_code(*f.status) : domain::doc_type_code(*f.type);
    const auto field = by_status ? fld::status : fld::type;
    std::vector<Value> from = {Value::text(key)};
    if (f.newest_first) from.push_back(Value::integer(INT32_MAX));
    s.walk(Tbl::doc, by_status ? "STATUS" : "TYPE", from, f.newest_first,
           [&](const Row& r) { return r.text(field) == key && take(document_from(r)); });
    return out;
  }
  if (!party) {
    s.walk(Tbl::doc, "ID", {}, f.newest_first, [&](const Row& r) { return take(document_from(r)); });
    return out;
  }
  // One customer's documents (a few hundred at most) by its PARTY index, in id order.
  std::vector<Document> own;
  s.range(Tbl::doc, "PARTY", {Value::integer(*party)}, [&](const Row& r) {
    own.push_back(document_from(r));
    return true;
  });
  std::sort(own.begin(), own.end(), [&](const Document& a, const Document& b) {
    return f.newest_first ? a.id > b.id : a.id < b.id;
  });
  for (const auto& d : own)
    if (!take(d)) break;
  return out;
}

DocSummary Documents::summary(size_t rows) {
  Storage& s = c_.storage();
  DocSummary sum;
  std::vector<Document> drafts, open, overdue;
  // Drafts by the STATUS index, the newest first: the drafts are read, no other document.
  const std::string draft = domain::doc_status_code(DocStatus::draft);
  s.walk(Tbl::doc, "STATUS", {Value::text(draft), Value::integer(INT32_MAX)}, true, [&](const Row& r) {
    if (r.text(fld::status) != draft) return false;
    if (sum.n_drafts++ < rows) drafts.push_back(document_from(r));
    return true;
  });
  // Open and overdue invoices by the OPEN index (schema 7: what is left to pay is kept on
  // each final invoice): counted from its keys, and the ones due last listed; overdue are
  // those due before today. Only the listed invoices' payments are read, for their state.
  const xbase::Date as_of = today();
  sum.n_open = s.count(Tbl::doc, "OPEN", {});
  // (Two counts: another workstation may change one between them.)
  const size_t due_later = s.count(Tbl::doc, "OPEN", {Value::date(as_of)});
  sum.n_overdue = sum.n_open > due_later ? sum.n_open - due_later : 0;
  auto latest = [&](const std::vector<Value>& from, std::vector<Document>& to) {
    s.walk(Tbl::doc, "OPEN", from, true, [&](const Row& r) {
      to.push_back(document_from(r));
      return to.size() < rows;
    });
  };
  if (rows && sum.n_open) latest({}, open);
  if (rows && sum.n_overdue) latest({Value::date(xbase::from_julian_day(xbase::julian_day(as_of) - 1))}, overdue);
  auto views = [&](const std::vector<Document>& ds, std::vector<DocView>& to) {
    for (const auto& d : ds) {
      DocView v = view(d, false);
      v.payment = Payments(c_).state(d, as_of, v.party_code);
      to.push_back(std::move(v));
    }
  };
  views(drafts, sum.drafts);
  views(open, sum.open);
  views(overdue, sum.overdue);
  return sum;
}

std::vector<DocView> Documents::list(const DocFilter& f) {
  if (f.newest_first || f.limit) return page(f);
  Storage& s = c_.storage();
  // The four tables read whole, opened side by side (on a share each open is several round
  // trips; one after the other at first use they were a quarter of a listing's).
  s.open_ahead({Tbl::customer, Tbl::supplier, Tbl::doc, Tbl::payment}, false);
  std::optional<int32_t> party;
  const PartyKind kind = f.type ? party_kind(*f.type) : PartyKind::customer;
  if (!f.party.empty()) party = Parties(c_, kind).get(f.party).id;
  // Names once per party, states once for all invoices (not one read per document).
  std::map<std::pair<PartyKind, int32_t>, Party> parties;
  std::map<int32_t, Party> customers;
  for (auto k : {PartyKind::customer, PartyKind::supplier})
    for (const auto& p : Parties(c_, k).all()) {
      parties[{k, p.id}] = p;
      if (k == PartyKind::customer) customers[p.id] = p;
    }
  // Every document read once: the invoices' states come from the same rows (the ledger read
  // every byte of DOC again).
  std::vector<Document> all;
  s.scan(Tbl::doc, [&](const Row& r) {
    all.push_back(document_from(r));
    return true;
  });
  std::map<int64_t, domain::InvoiceState> states;
  for (const auto& st : Payments(c_).ledger(today(), customers, all).invoices) states[st.doc.id] = st;
  std::vector<DocView> out;
  for (const Document& d : all) {
    if (!passes(d, f, party, kind)) continue;
    auto st = states.find(d.id);
    const bool has_state = d.type == DocType::invoice && st != states.end();
    if (f.open && !(has_state && st->second.open.sign() > 0)) continue;
    if (f.overdue && !(has_state && st->second.status == domain::InvoiceStatus::overdue)) continue;
    DocView v;
    v.doc = d;
    v.label = label(d);
    auto p = parties.find({party_kind(d.type), d.party});
    if (p != parties.end()) {
      v.party = p->second;
      v.party_code = p->second.code;
      v.party_name = p->second.name;
    }
    if (has_state) v.payment = st->second;
    out.push_back(std::move(v));
  }
  // Sources by label, once the documents are known.
  std::map<int32_t, const Document*> by_id;
  for (const auto& v : out) by_id[v.doc.id] = &v.doc;
  for (auto& v : out)
    if (v.doc.source) {
      auto it = by_id.find(v.doc.source);
      if (it != by_id.end()) v.source_label = label(*it->second);
      else if (auto src = s.find(Tbl::doc, "ID", {Value::integer(v.doc.source)})) v.source_label = label(document_from(*src));
    }
  return out;
}

}  // namespace invoicing::store

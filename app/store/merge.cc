#include "store/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "domain/numbering.h"
#include "store/articles.h"
#include "store/audit.h"
#include "store/field_rules.h"
#include "store/numbering.h"
#include "store/open_amounts.h"
#include "store/records.h"
#include "store/text_search.h"

using invoicing::domain::DocType;
using xbase::Value;

namespace invoicing::store {

namespace {

using IdMap = std::map<int32_t, int32_t>;
using SeriesKey = std::pair<DocType, int>;

std::string vat_key(const std::string& vat) {
  std::string out;
  for (char ch : vat)
    if (std::isalnum(static_cast<unsigned char>(ch))) out += char(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

// The first `n` characters of UTF-8 text.
std::string cut_chars(const std::string& s, size_t n) {
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) break;
  return s.substr(0, i);
}

// The row's fields as this table has them, but the generated ID.
Row copy_row(Tbl t, const Row& in) {
  Row r;
  for (const auto& [name, v] : in.values())
    if (name != fld::id && field_def(t, name)) r.set(name, v);
  return r;
}

// What merging one kind of record (parties, articles) does: matched to one here, or added
// (with its code changed when another record here has it).
struct CodedPlan {
  IdMap ids;                                   // theirs -> ours, for the matched ones
  std::vector<std::pair<int32_t, Row>> added;  // their ID, the row to insert
  int matched = 0;
};

template <typename Same>
CodedPlan plan_coded(Company& c, Tbl t, const MergeSource& src, const char* what, Same same,
                     std::vector<std::string>& notes) {
  CodedPlan plan;
  std::map<std::string, Row> here;  // by code, however it was typed
  c.storage().scan(t, [&](const Row& r) {
    here[upper_text(r.text(fld::code))] = r;
    return true;
  });
  std::set<std::string> taken;
  for (const auto& [k, r] : here) taken.insert(k);
  const size_t limit = text_limit(t, fld::code);
  src(t, [&](const Row& r) {
    const int32_t their = int32_t(r.integer(fld::id));
    std::string code = r.text(fld::code);
    auto it = here.find(upper_text(code));
    if (it != here.end() && same(it->second, r)) {
      plan.ids[their] = int32_t(it->second.integer(fld::id));
      ++plan.matched;
      return;
    }
    Row nr = copy_row(t, r);
    if (taken.count(upper_text(code))) {
      std::string fresh;
      for (int k = 2; fresh.empty() || taken.count(upper_text(fresh)); ++k) {
        std::string suffix = "-" + std::to_string(k);
        fresh = cut_chars(code, limit > suffix.size() ? limit - suffix.size() : 0) + suffix;
      }
      notes.push_back(fmt::format("{} {} of the backup is another one than {} here: added as {}", what, code,
                                  it != here.end() ? it->second.text(fld::code) : code, fresh));
      code = fresh;
      nr.text(fld::code, code);
    }
    taken.insert(upper_text(code));
    plan.added.emplace_back(their, std::move(nr));
  });
  return plan;
}

bool same_party(const Row& a, const Row& b) {
  const std::string va = vat_key(a.text(fld::vat)), vb = vat_key(b.text(fld::vat));
  if (!va.empty() || !vb.empty()) return va == vb;
  return upper_text(a.text(fld::name)) == upper_text(b.text(fld::name));
}

bool same_article(const Row& a, const Row& b) {
  return upper_text(a.text(fld::descr)) == upper_text(b.text(fld::descr));
}

struct Series {
  std::optional<HeldSeries> held;  // the record here, locked
  domain::Counter theirs;
  bool theirs_known = false;  // they had a NUMBERS record
  std::optional<xbase::Date> their_last;
  std::map<int64_t, int> their_numbers;  // number -> documents
  int64_t their_highest_final = 0;
  bool renumber = false;                  // their documents are numbered on from ours
  std::map<int32_t, int64_t> renumbered;  // their document ID -> the number it gets here
  domain::Counter result;
};

int32_t mapped(const IdMap& m, int64_t id, const char* what, const char* of) {
  auto it = m.find(int32_t(id));
  if (it == m.end())
    throw UserError(fmt::format("{} of the backup refers to {} {}, which the backup does not hold", of, what, id));
  return it->second;
}

}  // namespace

bool merge_adds(Tbl t) {
  switch (t) {
    case Tbl::customer: case Tbl::supplier: case Tbl::article: case Tbl::doc: case Tbl::docline:
    case Tbl::stockmov: case Tbl::payment: case Tbl::audit:
      return true;
    default:
      return false;
  }
}

bool merge_keeps_own(Tbl t) {
  // Deliveries are this company's: the documents added are delivered as its own on the next run.
  // Imported e-invoices too: their kept files stay in the other data folder.
  return t == Tbl::schema || t == Tbl::settings || t == Tbl::numbers || t == Tbl::users || t == Tbl::seats ||
         t == Tbl::delivery || t == Tbl::purchimp;
}

MergeReport merge(Company& c, const MergeSource& src, const std::string& source_name, bool dry_run) {
  MergeReport rep;
  Storage& s = c.storage();
  for (const auto& def : dictionary()) {
    if (merge_adds(def.id) || merge_keeps_own(def.id)) continue;
    bool any = false;
    src(def.id, [&](const Row&) { any = true; });
    if (any)
      throw UserError(fmt::format("the backup holds records in {}, which this program cannot add to other data yet; "
                                  "nothing was changed",
                                  def.name));
  }

  // Who is known here: the users, and whoever the audit log names already.
  std::set<std::string> known = {upper_text(c.who().user)};
  s.scan(Tbl::users, [&](const Row& r) { return known.insert(upper_text(r.text(fld::name))), true; });
  s.scan(Tbl::audit, [&](const Row& r) { return known.insert(upper_text(r.text(fld::user))), true; });

  // Their numbering and the numbers their documents hold.
  std::map<SeriesKey, Series> series;
  src(Tbl::numbers, [&](const Row& r) {
    auto type = domain::doc_type_from_code(r.text(fld::type));
    if (!type) return;
    auto& se = series[{*type, int(r.integer(fld::year))}];
    se.theirs.next = std::max<int64_t>(1, r.integer(fld::next));
    se.theirs.free = domain::parse_free_list(r.text(fld::free));
    se.their_last = r.date(fld::last_date);
    se.theirs_known = true;
  });
  src(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (!d.number) return;
    auto& se = series[{d.type, d.year}];
    ++se.their_numbers[d.number];
    if (d.status == domain::DocStatus::final) se.their_highest_final = std::max(se.their_highest_final, d.number);
  });
  for (auto& [key, se] : series)
    if (!se.theirs_known && !se.their_numbers.empty()) se.theirs.next = se.their_numbers.rbegin()->first + 1;

  std::map<int32_t, Decimal> their_moves;  // per their article
  src(Tbl::stockmov, [&](const Row& r) { their_moves[int32_t(r.integer(fld::article))] += r.dec(fld::quantity); });

  Action a(s);
  // Locks first: the series here (numbers cannot appear in them meanwhile), then articles.
  Numbering numbering(c);
  for (auto& [key, se] : series)
    if (s.find(Tbl::numbers, "TYPEYEAR", {Value::text(domain::doc_type_code(key.first)), Value::integer(key.second)}))
      se.held = numbering.hold(key.first, key.second);

  std::vector<std::string> clashes, problems;
  for (auto& [key, se] : series) {
    const std::string name = series_name(key.first, key.second);
    std::map<int64_t, int> ours;
    int64_t our_highest_final = 0;
    s.range(Tbl::doc, "NUMBER", {Value::text(domain::doc_type_code(key.first)), Value::integer(key.second)},
            [&](const Row& r) {
              Document d = document_from(r);
              ++ours[d.number];
              if (d.status == domain::DocStatus::final) our_highest_final = std::max(our_highest_final, d.number);
              return true;
            });
    const domain::Counter here = se.held ? se.held->counter : domain::Counter{};
    if (domain::numbered_gap_free(key.first)) {
      // Gap-free numbers are what was issued: never changed, never twice.
      std::map<int64_t, int> all = ours;
      for (const auto& [n, k] : se.their_numbers) {
        if (ours.count(n)) clashes.push_back(fmt::format("{}/{:04}", name, n));
        all[n] += k;
      }
      se.result.next = std::max(here.next, se.theirs.next);
      std::vector<int64_t> waiting = here.free;
      waiting.insert(waiting.end(), se.theirs.free.begin(), se.theirs.free.end());
      for (int64_t n : waiting)
          if (!all.count(n) && std::find(se.result.free.begin(), se.result.free.end(), n) == se.result.free.end())
            se.result.free.push_back(n);
      std::sort(se.result.free.begin(), se.result.free.end());
      if (clashes.empty())
        for (auto& p : domain::series_problems(name, se.result, all, std::max(our_highest_final, se.their_highest_final)))
          problems.push_back("merged, " + p);
    } else if (!se.held && ours.empty()) {
      se.result = se.theirs;  // a series only they have: their numbers as they are
    } else {
      // Other series (quotes, orders, ...) continue ours: their documents are numbered on.
      se.result = here;
      se.renumber = true;
      if (se.result.next < 1) se.result.next = 1;
      for (const auto& [n, k] : ours) se.result.next = std::max(se.result.next, n + 1);
    }
  }
  if (!clashes.empty()) {
    std::string list;
    for (size_t i = 0; i < clashes.size() && i < 10; ++i) list += (i ? ", " : "") + clashes[i];
    throw UserError(fmt::format("{} invoice or credit note number{} exist{} both here and in the backup ({}{}); "
                                "nothing was changed",
                                clashes.size(), clashes.size() == 1 ? "" : "s", clashes.size() == 1 ? "s" : "",
                                list, clashes.size() > 10 ? ", ..." : ""));
  }
  if (!problems.empty())
    throw UserError(fmt::format("the merged numbering would be wrong: {}{}; nothing was changed", problems.front(),
                                problems.size() > 1 ? fmt::format(" (and {} more)", problems.size() - 1) : ""));

  CodedPlan customers = plan_coded(c, Tbl::customer, src, "customer", same_party, rep.notes);
  CodedPlan suppliers = plan_coded(c, Tbl::supplier, src, "supplier", same_party, rep.notes);
  CodedPlan articles = plan_coded(c, Tbl::article, src, "article", same_article, rep.notes);
  std::vector<StockChange> stock;  // articles here that their moves change
  for (const auto& [their, ours] : articles.ids)
    if (auto q = their_moves.find(their); q != their_moves.end() && !q->second.is_zero())
      if (auto row = s.find(Tbl::article, "ID", {Value::integer(ours)}); row && row->flag(fld::stocked))
        stock.push_back({row->id, ours, q->second});
  Articles(c).lock(stock);

  rep.matched["customers"] = customers.matched;
  rep.matched["suppliers"] = suppliers.matched;
  rep.matched["articles"] = articles.matched;
  rep.added["customers"] = int(customers.added.size());
  rep.added["suppliers"] = int(suppliers.added.size());
  rep.added["articles"] = int(articles.added.size());
  int docs = 0, lines = 0, moves = 0, payments = 0, audits = 0;
  src(Tbl::doc, [&](const Row&) { ++docs; });
  src(Tbl::docline, [&](const Row&) { ++lines; });
  src(Tbl::stockmov, [&](const Row&) { ++moves; });
  src(Tbl::payment, [&](const Row&) { ++payments; });
  src(Tbl::audit, [&](const Row&) { ++audits; });
  rep.added["documents"] = docs;
  rep.added["lines"] = lines;
  rep.added["stock moves"] = moves;
  rep.added["payments"] = payments;
  rep.added["audit entries"] = audits;
  if (dry_run) return rep;

  // The writes, in table order. NUMBERS: the merged counters (and their renumbering plan).
  for (auto& [key, se] : series) {
    if (se.renumber) {
      // Numbered on from ours, in their order.
      std::vector<std::pair<int64_t, int32_t>> theirs;
      const SeriesKey k = key;  // a structured binding cannot be captured (C++20 as clang 14 has it)
      src(Tbl::doc, [&](const Row& r) {
        Document d = document_from(r);
        if (d.number && d.type == k.first && d.year == k.second) theirs.emplace_back(d.number, d.id);
      });
      std::sort(theirs.begin(), theirs.end());
      for (const auto& [n, id] : theirs) se.renumbered[id] = se.result.next++;
    }
    std::optional<xbase::Date> last = se.held ? se.held->last_date : std::nullopt;
    if (se.their_last && (!last || xbase::julian_day(*se.their_last) > xbase::julian_day(*last))) last = se.their_last;
    if (se.held) {
      HeldSeries h = *se.held;
      h.counter = se.result;
      h.last_date = last;
      numbering.write(h);
    } else {
      Row r;
      r.text(fld::type, domain::doc_type_code(key.first)).integer(fld::year, key.second);
      r.integer(fld::next, se.result.next).text(fld::free, domain::format_free_list(se.result.free));
      r.date(fld::last_date, last);
      try {
        s.insert(Tbl::numbers, r);
      } catch (const DuplicateKey&) {
        throw Busy(fmt::format("the numbering of {} was just created by another workstation; try again (nothing "
                               "was changed)",
                               series_name(key.first, key.second)));
      }
    }
  }

  auto insert_coded = [&](Tbl t, CodedPlan& plan, const char* what) {
    for (auto& [their, row] : plan.added) {
      if (t == Tbl::article && row.flag(fld::stocked)) row.dec(fld::stock, their_moves[their]);
      try {
        s.insert(t, row);
      } catch (const DuplicateKey&) {
        throw Busy(fmt::format("{} {} was just added by another workstation; try again (nothing was changed)", what,
                               row.text(fld::code)));
      }
      plan.ids[their] = int32_t(row.integer(fld::id));
    }
  };
  insert_coded(Tbl::customer, customers, "customer");
  insert_coded(Tbl::supplier, suppliers, "supplier");
  insert_coded(Tbl::article, articles, "article");
  Articles(c).apply(stock);

  // What is left to pay on each of their final invoices, from their credit notes and payments
  // (all of them come along): stored with the invoice (DOC is written before PAYMENT).
  std::map<int32_t, domain::Decimal> their_credited, their_paid;
  src(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (d.type == DocType::credit_note && d.status == domain::DocStatus::final && d.source)
      their_credited[d.source] += d.total_incl;
  });
  src(Tbl::payment, [&](const Row& r) {
    if (auto a = r.dec(fld::amount); a.sign() > 0) their_paid[int32_t(r.integer(fld::doc_id))] += a;
  });
  IdMap doc_ids;
  std::vector<std::pair<RowId, int32_t>> later_sources;  // our row, their source
  src(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    Row nr = copy_row(Tbl::doc, r);
    domain::Decimal open;
    if (d.type == DocType::invoice && d.status == domain::DocStatus::final) {
      domain::Decimal credited = their_credited[d.id];
      if (credited > d.total_incl) credited = d.total_incl;
      open = d.total_incl - credited - their_paid[d.id];
      if (open.sign() < 0) open = domain::Decimal();
    }
    nr.dec(fld::open_amount, open);
    nr.integer(fld::party, mapped(d.type == DocType::purchase_invoice ? suppliers.ids : customers.ids, d.party,
                                  d.type == DocType::purchase_invoice ? "supplier" : "customer", "a document"));
    if (d.number)
      if (auto& re = series[{d.type, d.year}].renumbered; re.count(d.id)) nr.integer(fld::number, re[d.id]);
    if (d.source) nr.integer(fld::source, doc_ids.count(d.source) ? doc_ids[d.source] : 0);
    s.insert(Tbl::doc, nr);
    doc_ids[d.id] = int32_t(nr.integer(fld::id));
    if (d.source && !doc_ids.count(d.source)) later_sources.emplace_back(nr.id, d.source);
  });
  for (const auto& [row, source] : later_sources)
    s.update(Tbl::doc, row, Row().integer(fld::source, mapped(doc_ids, source, "document", "a document")));

  src(Tbl::docline, [&](const Row& r) {
    Row nr = copy_row(Tbl::docline, r);
    nr.integer(fld::doc_id, mapped(doc_ids, r.integer(fld::doc_id), "document", "a line"));
    if (int64_t art = r.integer(fld::article)) nr.integer(fld::article, mapped(articles.ids, art, "article", "a line"));
    s.insert(Tbl::docline, nr);
  });
  src(Tbl::stockmov, [&](const Row& r) {
    Row nr = copy_row(Tbl::stockmov, r);
    nr.integer(fld::article, mapped(articles.ids, r.integer(fld::article), "article", "a stock move"));
    if (int64_t doc = r.integer(fld::doc_id)) nr.integer(fld::doc_id, mapped(doc_ids, doc, "document", "a stock move"));
    s.insert(Tbl::stockmov, nr);
  });
  src(Tbl::payment, [&](const Row& r) {
    Row nr = copy_row(Tbl::payment, r);
    nr.integer(fld::doc_id, mapped(doc_ids, r.integer(fld::doc_id), "document", "a payment"));
    s.insert(Tbl::payment, nr);
  });
  std::set<std::string> reattributed;
  src(Tbl::audit, [&](const Row& r) {
    Row nr = copy_row(Tbl::audit, r);
    if (int64_t doc = r.integer(fld::doc_id)) nr.integer(fld::doc_id, doc_ids.count(int32_t(doc)) ? doc_ids[int32_t(doc)] : 0);
    const std::string user = r.text(fld::user);
    if (!known.count(upper_text(user))) {
      // Attributed to whoever restores; the original name stays first in the text.
      nr.text(fld::user, c.who().user).text(fld::workstation, c.who().workstation);
      nr.text(fld::text, fitted_text(Tbl::audit, fld::text,
                                     fmt::format("[{} on {}] {}", user, r.text(fld::workstation), r.text(fld::text))));
      reattributed.insert(user);
    }
    s.insert(Tbl::audit, nr);
  });
  for (const auto& u : reattributed)
    rep.notes.push_back(fmt::format("audit entries of {} (unknown here) are attributed to {}, with the original name "
                                    "kept in their text",
                                    u, c.who().user));
  audit(c, "merge", 0,
        fmt::format("added {}: {} documents, {} customers, {} suppliers, {} articles", source_name, docs,
                    customers.added.size(), suppliers.added.size(), articles.added.size()));
  a.commit();
  return rep;
}

}  // namespace invoicing::store

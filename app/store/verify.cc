// `invoicing verify`: recomputes from the records what the records say about themselves. Every
// check reads whole tables in storage order (no index), so that a folder whose indexes are gone
// is still checked, and the storage's own check says which index to rebuild.
#include <fmt/format.h>
#include <sodium.h>

#include <map>
#include <set>

#include "domain/credit_note.h"
#include "domain/document_label.h"
#include "domain/line_rules.h"
#include "domain/numbering.h"
#include "domain/ogm.h"
#include "domain/payments.h"
#include "domain/totals.h"
#include "store/dates.h"
#include "store/document_records.h"
#include "store/documents.h"
#include "store/open_amounts.h"
#include "store/line_vat.h"
#include "store/folder/folder_schema.h"
#include "store/numbering.h"
#include "store/settings.h"
#include "store/purchase_imports.h"

using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

// Everything the checks look at, read once.
struct Folder {
  std::map<int32_t, Document> docs;
  std::map<int32_t, std::vector<Line>> lines;
  std::map<int32_t, Party> customers, suppliers;
  std::map<int32_t, Article> articles;
  std::vector<Payment> payments;
  std::vector<Reminder> reminders;
  std::vector<StockMove> moves;
  std::vector<SeriesState> series;
  std::map<int32_t, std::vector<int32_t>> children;  // source -> documents made from it
  int64_t rules_from_doc = 0;  // documents before it were issued before schema 3 (folder::kRulesFromDocSetting)
};

Folder read_folder(Company& c) {
  Folder f;
  Storage& s = c.storage();
  const std::string from = c.setting(folder::kRulesFromDocSetting);
  if (!from.empty()) f.rules_from_doc = std::stoll(from);
  s.scan(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    f.docs[d.id] = d;
    if (d.source) f.children[d.source].push_back(d.id);
    return true;
  });
  s.scan(Tbl::docline, [&](const Row& r) {
    Line l = line_from(r);
    f.lines[l.doc].push_back(l);
    return true;
  });
  for (auto& [id, ls] : f.lines)
    std::sort(ls.begin(), ls.end(), [](const Line& a, const Line& b) { return a.lineno < b.lineno; });
  s.scan(Tbl::customer, [&](const Row& r) {
    Party p = party_from(r);
    f.customers[p.id] = p;
    return true;
  });
  s.scan(Tbl::supplier, [&](const Row& r) {
    Party p = party_from(r);
    f.suppliers[p.id] = p;
    return true;
  });
  s.scan(Tbl::article, [&](const Row& r) {
    Article a = article_from(r);
    f.articles[a.id] = a;
    return true;
  });
  s.scan(Tbl::payment, [&](const Row& r) {
    f.payments.push_back(payment_from(r));
    return true;
  });
  s.scan(Tbl::reminder, [&](const Row& r) {
    f.reminders.push_back(reminder_from(r));
    return true;
  });
  s.scan(Tbl::stockmov, [&](const Row& r) {
    f.moves.push_back(stock_move_from(r));
    return true;
  });
  s.scan(Tbl::numbers, [&](const Row& r) {
    SeriesState st;
    st.type = domain::doc_type_from_code(r.text(fld::type)).value_or(DocType::invoice);
    st.year = int(r.integer(fld::year));
    st.counter.next = std::max<int64_t>(1, r.integer(fld::next));
    st.counter.free = domain::parse_free_list(r.text(fld::free));
    st.last_date = r.date(fld::last_date);
    f.series.push_back(st);
    return true;
  });
  return f;
}

std::string label(const Document& d) { return Documents::label(d); }
bool live(const Document& d) { return d.status == DocStatus::draft || d.status == DocStatus::final; }
bool issued(const Document& d) { return d.status == DocStatus::final || d.status == DocStatus::withdrawn; }
int64_t jd(const xbase::Date& d) { return xbase::julian_day(d); }

void check_numbers(Company& c, const Folder& f, std::vector<std::string>& problems) {
  struct Use {
    std::map<int64_t, int> held;
    int64_t highest_final = 0;
    std::map<int64_t, xbase::Date> dates;  // issued numbers
  };
  std::map<std::pair<DocType, int>, Use> used;
  const auto fs = fiscal_settings(c);
  for (const auto& [id, d] : f.docs) {
    if (!d.number) continue;
    auto& u = used[{d.type, d.year}];
    ++u.held[d.number];
    if (d.status == DocStatus::final) u.highest_final = std::max(u.highest_final, d.number);
    if (issued(d)) {
      if (d.id >= f.rules_from_doc) u.dates[d.number] = d.date;
      const int fy = domain::fiscal_year_of(to_domain(d.date), fs);
      if (fy != d.year)
        problems.push_back(fmt::format("{} is dated {}, in fiscal year {}, but numbered in fiscal year {}", label(d),
                                       iso(d.date), fy, d.year));
    }
  }
  for (const auto& s : f.series) {
    const std::string name = series_name(s.type, s.year);
    auto it = used.find({s.type, s.year});
    Use u = it == used.end() ? Use{} : it->second;
    for (auto& p : domain::series_problems(name, s.counter, u.held, u.highest_final)) problems.push_back(std::move(p));
    // Numbers follow date order.
    const xbase::Date* prev = nullptr;
    int64_t prev_n = 0;
    for (const auto& [n, date] : u.dates) {
      if (prev && jd(date) < jd(*prev))
        problems.push_back(fmt::format("{}: number {} is dated {}, before number {} ({}): numbers follow date order",
                                       name, n, iso(date), prev_n, iso(*prev)));
      prev = &date;
      prev_n = n;
    }
    if (prev && s.last_date && jd(*s.last_date) < jd(*prev))
      problems.push_back(fmt::format("{}: the last final date is kept as {}, but number {} is dated {}", name,
                                     iso(*s.last_date), prev_n, iso(*prev)));
    if (it != used.end()) used.erase(it);
  }
  for (const auto& [key, u] : used)
    problems.push_back(fmt::format("{}: numbers given without a NUMBERS record", series_name(key.first, key.second)));
}

void check_stock(const Folder& f, std::vector<std::string>& problems) {
  std::map<int32_t, domain::Decimal> moved;
  for (const auto& m : f.moves) moved[m.article] += m.quantity;
  for (const auto& [id, a] : f.articles) {
    auto it = moved.find(a.id);
    domain::Decimal sum = it == moved.end() ? domain::Decimal() : it->second;
    if (a.stocked && a.stock != sum)
      problems.push_back(fmt::format("article {}: stock {} but its moves add up to {}", a.code, a.stock.to_string(),
                                     sum.to_string()));
  }
  for (const auto& m : f.moves) {
    if (!f.articles.count(m.article))
      problems.push_back(fmt::format("a stock move of {} is for article id {}, which does not exist",
                                     m.quantity.to_string(), m.article));
    if (m.doc && !f.docs.count(m.doc))
      problems.push_back(fmt::format("a stock move of {} is for document {}, which does not exist",
                                     m.quantity.to_string(), m.doc));
  }
}

void check_documents(const Folder& f, std::vector<std::string>& problems) {
  static const std::vector<Line> kNone;
  for (const auto& [id, d] : f.docs) {
    if (d.status == DocStatus::cancelled) continue;
    auto it = f.lines.find(d.id);
    const auto& ls = it == f.lines.end() ? kNone : it->second;
    const auto& parties = party_kind(d.type) == PartyKind::customer ? f.customers : f.suppliers;
    if (!parties.count(d.party))
      problems.push_back(fmt::format("{} is for {} id {}, which does not exist", label(d),
                                     party_kind(d.type) == PartyKind::customer ? "customer" : "supplier", d.party));
    std::vector<domain::LineInput> in;
    bool readable = true;
    for (const auto& l : ls) {
      try {
        in.push_back(input_of(l));
      } catch (const UserError& e) {
        problems.push_back(fmt::format("{}: {}", label(d), e.what()));
        readable = false;
      }
      if (!l.vat_rule.empty() && !vat_rule_from_code(l.vat_rule))
        problems.push_back(fmt::format("{}: line {} has an unknown VAT rule \"{}\"", label(d), l.lineno, l.vat_rule));
      if (l.article && !f.articles.count(l.article))
        problems.push_back(fmt::format("{}: line {} is for article id {}, which does not exist", label(d), l.lineno,
                                       l.article));
    }
    if (!readable) continue;
    domain::Totals t;
    try {
      t = domain::compute_totals(in);
    } catch (const std::exception& e) {
      problems.push_back(fmt::format("{}: its lines do not add up: {}", label(d), e.what()));
      continue;
    }
    if (t.total_excl != d.total_excl || t.total_vat != d.total_vat || t.total_incl != d.total_incl)
      problems.push_back(fmt::format("{}: totals {} / {} / {} but its lines give {} / {} / {}", label(d),
                                     d.total_excl.to_string(2), d.total_vat.to_string(2), d.total_incl.to_string(2),
                                     t.total_excl.to_string(2), t.total_vat.to_string(2), t.total_incl.to_string(2)));
    if (issued(d)) {
      auto v = domain::check_document_lines(ref_of(d), in);
      if (!v) problems.push_back(v.reason);
      if (d.type == DocType::invoice) {
        if (!d.due_date && d.id >= f.rules_from_doc) problems.push_back(fmt::format("{} has no due date", label(d)));
        if (d.ogm != domain::ogm_from_number(uint64_t(d.year) * 1000000u + uint64_t(d.number % 1000000)))
          problems.push_back(fmt::format("{} has the structured communication \"{}\", not its own", label(d), d.ogm));
      }
    }
  }
}

// Conversions once per target type; credit notes within their invoice.
void check_links(const Folder& f, std::vector<std::string>& problems) {
  for (const auto& [source, kids] : f.children) {
    auto src = f.docs.find(source);
    if (src == f.docs.end()) {
      for (int32_t k : kids)
        problems.push_back(fmt::format("{} was made from document {}, which does not exist", label(f.docs.at(k)), source));
      continue;
    }
    std::map<DocType, std::vector<const Document*>> by_type;
    for (int32_t k : kids) {
      const Document& d = f.docs.at(k);
      if (live(d) && d.type != DocType::credit_note) by_type[d.type].push_back(&d);
      if (d.type == DocType::credit_note && src->second.type != DocType::invoice)
        problems.push_back(fmt::format("{} credits {}, which is not an invoice", label(d), label(src->second)));
    }
    for (const auto& [type, ds] : by_type)
      if (ds.size() > 1) {
        std::string list;
        for (const auto* d : ds) list += (list.empty() ? "" : ", ") + label(*d);
        problems.push_back(fmt::format("{} was converted into {} {} times: {}", label(src->second),
                                       domain::doc_type_name(type, "en"), ds.size(), list));
      }
    if (src->second.type == DocType::invoice && src->second.status == DocStatus::final) {
      auto stocked = [&](int32_t doc) {
        std::vector<domain::ArticleQuantity> out;
        auto ls = f.lines.find(doc);
        if (ls == f.lines.end()) return out;
        for (const auto& l : ls->second) {
          auto a = f.articles.find(l.article);
          if (a != f.articles.end() && a->second.stocked) out.push_back({a->second.code, l.quantity});
        }
        return out;
      };
      domain::InvoiceForCredit inv{ref_of(src->second), src->second.status, src->second.total_incl,
                                   stocked(src->second.id)};
      std::vector<domain::CreditNoteAmounts> earlier;
      for (int32_t k : kids) {
        const Document& d = f.docs.at(k);
        if (d.type == DocType::credit_note && live(d)) earlier.push_back({ref_of(d), d.total_incl, stocked(d.id)});
      }
      auto room = domain::credit_room(inv, earlier);
      if (room.amount.sign() < 0)
        problems.push_back(fmt::format("{} of {} is credited {} by its credit notes", label(src->second),
                                       src->second.total_incl.to_string(2),
                                       (src->second.total_incl - room.amount).to_string(2)));
      for (const auto& q : room.stock)
        if (q.quantity.sign() < 0)
          problems.push_back(fmt::format("{}: its credit notes bring back {} more of article {} than left with it",
                                         label(src->second), (-q.quantity).to_string(), q.article));
    }
  }
}

void check_payments(const Folder& f, std::vector<std::string>& problems) {
  std::map<int32_t, domain::Decimal> paid;
  for (const auto& p : f.payments) {
    const std::string what = fmt::format("payment {} of {} on {}", p.id, p.amount.to_string(2), iso(p.date));
    if (!p.date) problems.push_back(what + " has no date");
    if (p.amount.sign() <= 0) problems.push_back(what + " is not a positive amount");
    if (!f.customers.count(p.party)) problems.push_back(fmt::format("{} is for customer id {}, which does not exist", what, p.party));
    if (!p.doc) continue;
    auto d = f.docs.find(p.doc);
    if (d == f.docs.end()) {
      problems.push_back(fmt::format("{} is for document {}, which does not exist", what, p.doc));
      continue;
    }
    const Document& doc = d->second;
    if ((doc.type != DocType::invoice && doc.type != DocType::credit_note) || doc.status != DocStatus::final)
      problems.push_back(fmt::format("{} is for {}, which is not a final invoice or credit note", what, label(doc)));
    else if (doc.party != p.party)
      problems.push_back(fmt::format("{} is for {}, which is another customer's", what, label(doc)));
    else if (p.date && jd(*p.date) < jd(doc.date))
      problems.push_back(fmt::format("{} is dated before {} ({})", what, label(doc), iso(doc.date)));
    if (doc.type == DocType::invoice) paid[doc.id] += p.amount;
  }
  // Paid more than the invoice's total is two payments of one amount (a credit note after a
  // payment leaves a credit for the customer, which is fine).
  for (const auto& [id, amount] : paid) {
    const Document& inv = f.docs.at(id);
    if (amount > inv.total_incl)
      problems.push_back(fmt::format("{} is paid {}, more than its total of {}", label(inv), amount.to_string(2),
                                     inv.total_incl.to_string(2)));
  }
  for (const auto& m : f.reminders) {
    auto d = f.docs.find(m.doc);
    if (d == f.docs.end() || d->second.type != DocType::invoice || d->second.status != DocStatus::final)
      problems.push_back(fmt::format("a reminder sent {} is for document {}, which is not a final invoice",
                                     iso(m.sent_on), m.doc));
  }
  // The open items and balances are computed from these documents and payments each time:
  // they must add up.
  std::vector<domain::LedgerDoc> ld;
  for (const auto& [id, d] : f.docs) {
    if ((d.type != DocType::invoice && d.type != DocType::credit_note) || d.status != DocStatus::final) continue;
    auto cu = f.customers.find(d.party);
    domain::LedgerDoc x{ref_of(d), cu == f.customers.end() ? "?" : cu->second.code, to_domain(d.date),
                        to_domain(d.due_date.value_or(d.date)), d.total_incl, 0};
    if (d.type == DocType::credit_note && d.source && f.docs.count(d.source) &&
        f.docs.at(d.source).type == DocType::invoice && f.docs.at(d.source).status == DocStatus::final)
      x.corrects = d.source;
    ld.push_back(x);
  }
  std::vector<domain::PaymentRecord> pr;
  for (const auto& p : f.payments) {
    if (!p.date) continue;
    auto cu = f.customers.find(p.party);
    domain::PaymentRecord x{cu == f.customers.end() ? "?" : cu->second.code, to_domain(*p.date), p.amount, 0};
    if (p.doc) {
      auto d = f.docs.find(p.doc);
      if (d == f.docs.end() || d->second.status != DocStatus::final) continue;
      if (d->second.type == DocType::invoice) x.invoice = p.doc;
      else if (d->second.type == DocType::credit_note) x.amount = -p.amount;
      else continue;
    }
    pr.push_back(x);
  }
  auto ledger = domain::build_ledger(ld, pr, domain::Date{9999, 12, 31});
  if (!ledger) problems.push_back("open items: " + ledger.verdict.reason);
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string out;
  for (unsigned char b : h) out += fmt::format("{:02x}", b);
  return out;
}

// The company's files the records name (storage.h FileKind): each imported e-invoice's original
// is there and is the file that was imported (its SHA-256 in PURCHIMP), and the logo the
// company's data names is there. A move or a restore that lost or changed one shows here.
void check_company_files(Company& c, std::vector<std::string>& problems) {
  for (const auto& p : all_purchase_imports(c)) {
    const auto xml = read_kept(c, p, kKeptXml);
    if (!xml)
      problems.push_back(fmt::format("document {} was imported from {}, whose kept original {} is missing", p.doc_id,
                                     p.file, kept_place(c, p, kKeptXml)));
    else if (sha256_hex(*xml) != p.sha256)
      problems.push_back(fmt::format("document {}'s kept original {} is not the file imported (SHA-256 {}, imported {})",
                                     p.doc_id, kept_place(c, p, kKeptXml), sha256_hex(*xml), p.sha256));
  }
  const std::string logo = c.setting("logo");
  if (!logo.empty()) {
    bool there = false;
    try {
      there = c.storage().read_file(FileKind::layout, logo).has_value();
    } catch (const std::invalid_argument&) {
    }
    if (!there) problems.push_back(fmt::format("the company's logo {} is missing from its layout files", logo));
  }
}

}  // namespace

std::vector<std::string> verify(Company& c) {
  std::vector<std::string> problems;
  try {
    Folder f = read_folder(c);
    check_numbers(c, f, problems);
    check_stock(f, problems);
    check_documents(f, problems);
    check_links(f, problems);
    check_payments(f, problems);
    // What is left to pay as each invoice keeps it (schema 7) against its credit notes and payments.
    for (auto& p : open_amount_problems(c.storage())) problems.push_back(std::move(p));
    check_company_files(c, problems);
  } catch (const std::exception& e) {
    problems.push_back(fmt::format("the records could not all be checked: {}", e.what()));
  }
  for (auto& p : c.storage().check()) problems.push_back(std::move(p));
  return problems;
}

}  // namespace invoicing::store

// `invoicing verify`: recomputes from the records what the records say about themselves.
#include <fmt/format.h>

#include <map>

#include "domain/numbering.h"
#include "domain/totals.h"
#include "store/documents.h"
#include "store/numbering.h"

using xbase::Value;

namespace invoicing::store {

namespace {

struct SeriesUse {
  std::map<int64_t, int> held;
  int64_t highest_final = 0;
};

void check_numbers(Company& c, std::vector<std::string>& problems) {
  std::map<std::pair<domain::DocType, int>, SeriesUse> used;
  c.storage().scan(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (!d.number) return true;
    auto& u = used[{d.type, d.year}];
    ++u.held[d.number];
    if (d.status == domain::DocStatus::final) u.highest_final = std::max(u.highest_final, d.number);
    return true;
  });
  for (const auto& s : Numbering(c).list()) {
    auto it = used.find({s.type, s.year});
    SeriesUse u = it == used.end() ? SeriesUse{} : it->second;
    for (auto& p : domain::series_problems(series_name(s.type, s.year), s.counter, u.held, u.highest_final))
      problems.push_back(std::move(p));
    if (it != used.end()) used.erase(it);
  }
  for (const auto& [key, u] : used)
    problems.push_back(fmt::format("{}: numbers given without a NUMBERS record", series_name(key.first, key.second)));
}

void check_stock(Company& c, std::vector<std::string>& problems) {
  std::map<int64_t, domain::Decimal> moved;
  c.storage().scan(Tbl::stockmov, [&](const Row& r) {
    StockMove m = stock_move_from(r);
    moved[m.article] += m.quantity;
    return true;
  });
  c.storage().scan(Tbl::article, [&](const Row& r) {
    Article a = article_from(r);
    if (a.stocked && a.stock != moved[a.id])
      problems.push_back(fmt::format("article {}: stock {} but its moves add up to {}", a.code, a.stock.to_string(),
                                     moved[a.id].to_string()));
    return true;
  });
}

void check_totals(Company& c, std::vector<std::string>& problems) {
  std::map<int32_t, std::vector<domain::LineInput>> lines;
  c.storage().scan(Tbl::docline, [&](const Row& r) {
    Line l = line_from(r);
    domain::LineInput li;
    li.quantity = l.quantity;
    li.unit_price = l.price;
    li.discount_percent = l.discount;
    li.category = domain::vat_category_from_code(l.vat_category).value_or(domain::VatCategory::standard);
    li.vat_rate = l.vat_rate;
    lines[l.doc].push_back(li);
    return true;
  });
  c.storage().scan(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (d.status == domain::DocStatus::cancelled) return true;
    domain::Totals t;
    try {
      t = domain::compute_totals(lines[d.id]);
    } catch (const std::exception& e) {
      problems.push_back(fmt::format("{}: its lines do not add up: {}", Documents::label(d), e.what()));
      return true;
    }
    if (t.total_excl != d.total_excl || t.total_vat != d.total_vat || t.total_incl != d.total_incl)
      problems.push_back(fmt::format("{}: totals {} / {} / {} but its lines give {} / {} / {}", Documents::label(d),
                                     d.total_excl.to_string(2), d.total_vat.to_string(2), d.total_incl.to_string(2),
                                     t.total_excl.to_string(2), t.total_vat.to_string(2), t.total_incl.to_string(2)));
    return true;
  });
}

}  // namespace

std::vector<std::string> verify(Company& c) {
  std::vector<std::string> problems;
  check_numbers(c, problems);
  check_stock(c, problems);
  check_totals(c, problems);
  for (auto& p : c.storage().check()) problems.push_back(std::move(p));
  return problems;
}

}  // namespace invoicing::store

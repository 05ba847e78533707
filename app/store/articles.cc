#include "store/articles.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "domain/vat.h"
#include "store/clock.h"
#include "store/documents.h"
#include "store/field_rules.h"
#include "store/text_search.h"

using xbase::Value;

namespace invoicing::store {

void Articles::check(Article& a, const ArticleInput& in) {
  // Keeping stock is an edition's feature; articles stocked before a downgrade keep their
  // stock and documents keep moving it (stock = the sum of its moves), only new stock
  // settings are refused.
  if (in.opening_stock || (in.stocked && *in.stocked) || in.min_stock) c_.require(domain::Feature::stock);
  const Tbl t = Tbl::article;
  if (in.code) a.code = checked_text(t, fld::code, *in.code, "an article code");
  if (in.description) a.description = checked_text(t, fld::descr, *in.description, "an article's description");
  if (in.unit) a.unit = checked_text(t, fld::unit, *in.unit, "an article's unit");
  if (in.note) a.note = checked_text(t, fld::note, *in.note, "an article's note");
  if (in.kind) {
    if (*in.kind != "G" && *in.kind != "S")
      throw UserError(fmt::format("an article is goods (G) or a service (S), not \"{}\"", *in.kind));
    a.kind = *in.kind;
  }
  if (in.vat_category) {
    if (!domain::vat_category_from_code(*in.vat_category))
      throw UserError(fmt::format("VAT category \"{}\" is not one of S, Z, E, AE, K, G", *in.vat_category));
    a.vat_category = *in.vat_category;
  }
  if (in.price) a.price = parse_decimal(t, fld::price, *in.price, "an article's price");
  if (a.price.is_negative()) throw UserError("an article's price is not negative");
  if (in.vat_rate) a.vat_rate = parse_decimal(t, fld::vat_rate, *in.vat_rate, "a VAT rate");
  if (in.min_stock) a.min_stock = parse_decimal(t, fld::min_stock, *in.min_stock, "a minimum stock");
  if (in.stocked) a.stocked = *in.stocked;
  if (in.construction) a.construction = *in.construction;
  if (a.code.empty()) throw UserError("an article needs a code");
  if (a.description.empty()) throw UserError("an article needs a description");
  if (a.vat_category.empty()) a.vat_category = "S";
  if (a.kind.empty()) a.kind = "G";
  if (a.unit.empty()) a.unit = "pc";
  const std::string& country = this->country();
  auto rates = domain::vat_rates(country);
  if (a.vat_category == "S") {
    if (!std::count(rates.begin(), rates.end(), a.vat_rate)) {
      std::string list;
      for (const auto& r : rates) list += (list.empty() ? "" : ", ") + r.to_string();
      throw UserError(fmt::format("a VAT rate of {} % does not exist in {} ({})", a.vat_rate.to_string(), country, list));
    }
  } else if (!a.vat_rate.is_zero()) {
    throw UserError(fmt::format("VAT category {} has a rate of 0 %", a.vat_category));
  }
}

const std::string& Articles::country() {
  if (country_.empty()) country_ = c_.setting("country", "BE");
  return country_;
}

Article Articles::validate(const ArticleInput& in) {
  Article a;
  a.vat_rate = Decimal::from_integer(21);
  Decimal opening;
  if (in.opening_stock) {
    opening = parse_decimal(Tbl::article, fld::stock, *in.opening_stock, "an opening stock");
    a.stocked = true;
  }
  check(a, in);
  a.stock = opening;
  return a;
}

void Articles::apply(Article& a, const ArticleInput& in) {
  if (in.opening_stock)
    throw UserError("stock changes through documents and inventory corrections (invoicing article count)");
  Decimal stock = a.stock;
  check(a, in);
  a.stock = stock;
}

Article Articles::add(const ArticleInput& in) {
  Article a = validate(in);
  const Decimal opening = a.stock;
  Storage& s = c_.storage();
  Action act(s);
  Row r = row_of(a);
  try {
    s.insert(Tbl::article, r);
  } catch (const DuplicateKey&) {
    throw UserError(fmt::format("article code {} exists already", a.code));
  }
  a.row = r.id;
  a.id = int32_t(r.integer(fld::id));
  // The opening stock is a move too, so that the stock is always the sum of the moves.
  if (!opening.is_zero()) record_moves({{a.row, a.id, opening}}, 0, "opening stock");
  act.commit();
  return a;
}

Article Articles::edit(const std::string& code, const ArticleInput& in) {
  if (in.opening_stock)
    throw UserError("stock changes through documents and inventory corrections (invoicing article count)");
  Storage& s = c_.storage();
  Article a = get(code);
  Action act(s);
  s.lock(Tbl::article, a.row, c_.lock_wait());
  a = article_from(*s.get(Tbl::article, a.row));
  Decimal stock = a.stock;
  check(a, in);
  a.stock = stock;
  try {
    s.update(Tbl::article, a.row, row_of(a));
  } catch (const DuplicateKey&) {
    throw UserError(fmt::format("article code {} exists already", a.code));
  }
  act.commit();
  return a;
}

std::optional<Article> Articles::find(const std::string& code) {
  if (code.empty()) return std::nullopt;
  auto r = c_.storage().find(Tbl::article, "CODE", {Value::text(code)});
  if (!r) return std::nullopt;
  return article_from(*r);
}

Article Articles::get(const std::string& code) {
  auto a = find(code);
  if (!a) throw NotFound(fmt::format("no article with code {}", code));
  return *a;
}

std::optional<Article> Articles::by_id(int32_t id) {
  auto r = c_.storage().find(Tbl::article, "ID", {Value::integer(id)});
  if (!r) return std::nullopt;
  return article_from(*r);
}

std::map<int32_t, Article> Articles::by_ids(const std::vector<int32_t>& ids) {
  std::vector<int32_t> wanted = ids;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<std::vector<Value>> keys;
  for (int32_t id : wanted) keys.push_back({Value::integer(id)});
  const auto rows = c_.storage().find_each(Tbl::article, "ID", keys);
  std::map<int32_t, Article> out;
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i]) out.emplace(wanted[i], article_from(*rows[i]));
  return out;
}

std::vector<Article> Articles::list(const ArticleFilter& f) {
  std::vector<Article> out;
  TextSearch search(f.search);
  c_.storage().range(Tbl::article, "CODE", {}, [&](const Row& r) {
    Article a = article_from(r);
    if ((f.archived || !a.archived) && search.matches({a.code, a.description}) &&
        (!f.below_minimum || (a.stocked && a.stock < a.min_stock)))
      out.push_back(std::move(a));
    return f.limit == 0 || out.size() < f.limit;
  });
  return out;
}

std::vector<StockMove> Articles::moves(const std::string& code) {
  Article a = get(code);
  std::vector<StockMove> out;
  c_.storage().range(Tbl::stockmov, "ARTICLE", {Value::integer(a.id)}, [&](const Row& r) {
    out.push_back(stock_move_from(r));
    return true;
  });
  return out;
}

Article Articles::correct_stock(const std::string& code, const std::string& counted, const std::string& reason) {
  Decimal count = parse_decimal(Tbl::article, fld::stock, counted, "a counted stock");
  std::string why = checked_text(Tbl::stockmov, fld::reason, reason.empty() ? "inventory" : reason, "a reason");
  c_.require(domain::Feature::stock);
  Storage& s = c_.storage();
  Article a = get(code);
  if (!a.stocked) throw UserError(fmt::format("article {} is not stocked", a.code));
  Action act(s);
  std::vector<StockChange> ch = {{a.row, a.id, Decimal()}};
  lock(ch);
  a = article_from(*s.get(Tbl::article, a.row));
  ch[0].quantity = count - a.stock;
  if (ch[0].quantity.is_zero()) return a;
  apply(ch);
  record_moves(ch, 0, why);
  act.commit();
  a.stock = count;
  return a;
}

void Articles::remove(const std::string& code) {
  Storage& s = c_.storage();
  Article a = get(code);
  Action act(s);
  s.lock(Tbl::article, a.row, c_.lock_wait());
  // DOCLINE has no index on the article: the lines are read through (a deletion is rare).
  std::vector<int32_t> docs;
  s.scan(Tbl::docline, [&](const Row& r) {
    if (r.integer(fld::article) == a.id && docs.size() < 3) docs.push_back(int32_t(r.integer(fld::doc_id)));
    return true;
  });
  if (!docs.empty()) {
    std::string uses;
    for (int32_t d : docs) {
      auto r = s.find(Tbl::doc, "ID", {Value::integer(d)});
      uses += (uses.empty() ? "" : ", ") + (r ? Documents::label(document_from(*r)) : fmt::format("document {}", d));
    }
    throw UserError(fmt::format("article {} is on {}{}: archive it instead (invoicing article archive --code {})",
                                a.code, uses, docs.size() >= 3 ? ", ..." : "", a.code));
  }
  std::vector<RowId> moves;
  s.range(Tbl::stockmov, "ARTICLE", {Value::integer(a.id)}, [&](const Row& r) {
    moves.push_back(r.id);
    return true;
  });
  s.remove(Tbl::article, a.row);
  for (RowId m : moves) s.remove(Tbl::stockmov, m);
  act.commit();
}

Article Articles::set_archived(const std::string& code, bool archived) {
  Storage& s = c_.storage();
  Article a = get(code);
  Action act(s);
  s.lock(Tbl::article, a.row, c_.lock_wait());
  a = article_from(*s.get(Tbl::article, a.row));
  a.archived = archived;
  s.update(Tbl::article, a.row, Row().flag(fld::archived, archived));
  act.commit();
  return a;
}

std::map<int32_t, Decimal> Articles::on_order() {
  std::map<int32_t, Decimal> out;
  std::set<int32_t> drafts;
  c_.storage().scan(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (d.type == domain::DocType::purchase_invoice && d.status == domain::DocStatus::draft) drafts.insert(d.id);
    return true;
  });
  if (drafts.empty()) return out;
  for (int32_t d : drafts)
    c_.storage().range(Tbl::docline, "DOC", {Value::integer(d)}, [&](const Row& r) {
      Line l = line_from(r);
      if (l.article) out[l.article] += l.quantity;
      return true;
    });
  return out;
}

void Articles::lock(std::vector<StockChange>& changes) {
  std::map<RowId, StockChange> merged;
  for (const auto& c : changes) {
    auto& m = merged[c.article_row];
    m.article_row = c.article_row;
    m.article = c.article;
    m.quantity += c.quantity;
  }
  changes.clear();
  std::vector<RowId> rows;
  for (auto& [row, c] : merged) {
    rows.push_back(row);
    changes.push_back(c);
  }
  c_.storage().lock_all(Tbl::article, rows, c_.lock_wait());
}

std::vector<Article> Articles::apply(const std::vector<StockChange>& changes) {
  Storage& s = c_.storage();
  std::vector<Article> written;
  for (const auto& c : changes) {
    Article a = article_from(*s.get(Tbl::article, c.article_row));
    a.stock = checked_decimal(Tbl::article, fld::stock, a.stock + c.quantity, "a stock");
    s.update(Tbl::article, c.article_row, Row().dec(fld::stock, a.stock));
    written.push_back(std::move(a));
  }
  return written;
}

void Articles::record_moves(const std::vector<StockChange>& changes, int32_t doc, const std::string& reason) {
  for (const auto& c : changes) {
    StockMove m;
    m.article = c.article;
    m.doc = doc;
    m.quantity = c.quantity;
    m.date = today();
    m.user = c_.who().user;
    m.reason = fitted_text(Tbl::stockmov, fld::reason, reason);
    Row r = row_of(m);
    c_.storage().insert(Tbl::stockmov, r);
  }
}

}  // namespace invoicing::store

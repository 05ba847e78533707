// Articles and their stock. The stock of a stocked article is always the sum of its stock
// moves: an article's opening stock is a move, every document that moves goods adds moves, and
// an inventory correction is a move with its reason. Nothing else changes STOCK.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/company.h"
#include "store/records.h"

namespace invoicing::store {

struct ArticleInput {
  std::optional<std::string> code, description, unit, vat_category, kind, note;
  std::optional<std::string> price, vat_rate, min_stock;  // decimal text as typed
  std::optional<std::string> opening_stock;               // add only: makes it stocked
  std::optional<bool> stocked, construction;
};

struct ArticleFilter {
  std::string search;     // in code and description
  bool archived = false;  // also archived articles
  bool below_minimum = false;
  size_t limit = 0;  // at most this many (0: all), in code order: a picker's first matches
};

// A change of stock planned inside an action: the article's record is locked first (with the
// other locks), then the articles are written, and the moves after the documents (tables are
// written in dictionary order).
struct StockChange {
  RowId article_row = 0;
  int32_t article = 0;
  Decimal quantity;  // + in, - out
};

class Articles {
 public:
  explicit Articles(Company& c) : c_(c) {}

  // The article add() would store for `in` (its stock the opening stock), checked by every
  // rule add() applies; nothing is written. Throws UserError.
  Article validate(const ArticleInput& in);
  // Checks `in` and applies it to `a` (the rules of edit(); the stock is left as it is).
  void apply(Article& a, const ArticleInput& in);
  Article add(const ArticleInput& in);
  Article edit(const std::string& code, const ArticleInput& in);
  std::optional<Article> find(const std::string& code);
  Article get(const std::string& code);  // throws UserError "no article with code X"
  std::optional<Article> by_id(int32_t id);
  // The articles of these ids that exist, read together (Storage::find_each: a document's
  // lines look their articles up in one read batch).
  std::map<int32_t, Article> by_ids(const std::vector<int32_t>& ids);
  std::vector<Article> list(const ArticleFilter& f = {});
  std::vector<StockMove> moves(const std::string& code);
  // An inventory correction: the counted stock, recorded as a move with the reason.
  Article correct_stock(const std::string& code, const std::string& counted, const std::string& reason);
  // Deletes an article no document line names (with its opening stock and corrections);
  // refused otherwise: archive it instead.
  void remove(const std::string& code);
  // Archived: hidden from lists and refused on new lines, kept for the documents that name it.
  Article set_archived(const std::string& code, bool archived);
  // Per article id, what is on order: the quantities on draft purchase invoices (stock that
  // comes in when they are booked).
  std::map<int32_t, Decimal> on_order();

  // Inside an action: lock the articles of `changes` (merged per article, in record order).
  void lock(std::vector<StockChange>& changes);
  // Inside an action, after lock(): the new stock of each article (ARTICLE is written)...
  // Returns each article as written (read under its lock: what the files hold after the commit).
  std::vector<Article> apply(const std::vector<StockChange>& changes);
  // ... and, after the document's own tables, the moves (STOCKMOV is written).
  void record_moves(const std::vector<StockChange>& changes, int32_t doc, const std::string& reason);

 private:
  void check(Article& a, const ArticleInput& in);
  // The company's country (whose VAT rates apply), read once: an import checks 100,000 rows.
  const std::string& country();
  Company& c_;
  std::string country_;
};

}  // namespace invoicing::store

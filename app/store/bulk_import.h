// Many customers, suppliers or articles added or updated in one action: an import from another
// program's files. Every row is checked first, with the very rules add() and edit() apply and
// against the data already there (same code; for parties also the same VAT number), so that
// the action, once begun, does not stop halfway on a row; it is all or nothing either way.
//
//   PartyImport imp(company, PartyKind::customer, OnDuplicate::update);
//   for (each row) verdicts.push_back(imp.check(record));      // nothing written yet
//   if (no row refused) imp.write([&](size_t i) { return record(i); }, progress);
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/articles.h"
#include "store/company.h"
#include "store/parties.h"

namespace invoicing::store {

// A row whose code (or VAT number) the data has already: left alone, the record updated with
// the row's non-empty values, or refused.
enum class OnDuplicate { skip, update, fail };

enum class RowFate { add, update, skip, refused };

struct RowCheck {
  RowFate fate = RowFate::add;
  // refused: the field at fault, named as the import names it ("vat", "enterprise_number",
  // "stock"), or "" when no single field is; `reason` says why. update and skip: the code
  // of the record the row matches, and `reason` says how it matched.
  std::string field;
  std::string reason;
  std::string existing_code;
};

// A party as an import gives it: the input add() and edit() take, and whether it is archived.
struct PartyRecord {
  PartyInput input;
  std::optional<bool> archived;
};

struct ArticleRecord {
  ArticleInput input;  // opening_stock: the stock of a new article (a stock move)
  std::optional<bool> archived;
};

struct BulkProgress {
  uint64_t done = 0;
  uint64_t total = 0;
};
using BulkProgressFn = std::function<void(const BulkProgress&)>;

struct BulkResult {
  uint64_t added = 0, updated = 0, skipped = 0;
  uint64_t stock_moves = 0;  // articles: opening stocks recorded
};

// What both imports share: the rows' fates in check() order, and the codes in use.
class BulkImport {
 public:
  // The codes the table holds, upper case (generated codes must avoid them).
  std::set<std::string> existing_codes() const;
  size_t checked() const { return planned_.size(); }
  size_t refused() const { return refused_; }

 protected:
  struct Known {
    RowId row = 0;  // 0: a row of this import
    std::string code;
  };
  struct Planned {
    RowFate fate;
    RowId row;  // update: the record
  };
  BulkImport(Company& c, OnDuplicate on_duplicate) : c_(c), on_duplicate_(on_duplicate) {}
  RowCheck plan(RowCheck check, RowId row = 0);
  // The record a row matches by code (or by its second key), nullptr when none.
  const Known* by_code(const std::string& code) const;
  std::vector<RowId> rows_to_lock() const;

  Company& c_;
  OnDuplicate on_duplicate_;
  std::map<std::string, Known> codes_;  // upper-case code -> record
  std::vector<Planned> planned_;
  std::map<RowId, size_t> updated_;  // record -> the check() index that updates it
  size_t refused_ = 0;
};

class PartyImport : public BulkImport {
 public:
  // Reads the codes and VAT numbers of the table.
  PartyImport(Company& c, PartyKind kind, OnDuplicate on_duplicate);
  // Checks the next row, without writing anything.
  RowCheck check(const PartyRecord& r);
  // One action: adds and updates the rows check() passed, in check() order; `record(i)` gives
  // the i-th checked row again. Refused and skipped rows are passed over. Throws UserError
  // (nothing written) when the data changed since the check (another workstation added the
  // same code meanwhile) or a record to update stays locked.
  BulkResult write(const std::function<PartyRecord(size_t)>& record,
                   const BulkProgressFn& progress = {});

 private:
  std::string refusal_field(const PartyInput& in, const Party* existing);
  Parties parties_;
  std::map<std::string, Known> vats_;  // VAT number -> record
};

class ArticleImport : public BulkImport {
 public:
  ArticleImport(Company& c, OnDuplicate on_duplicate);
  RowCheck check(const ArticleRecord& r);
  // As PartyImport::write; the articles first, then a stock move for each opening stock (an
  // updated article's stock is left as it is: stock changes through documents and counts).
  BulkResult write(const std::function<ArticleRecord(size_t)>& record,
                   const BulkProgressFn& progress = {});

 private:
  std::string refusal_field(const ArticleInput& in, const Article* existing);
  Articles articles_;
};

}  // namespace invoicing::store

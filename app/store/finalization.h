// Making a document final, shared by `finalize` (a draft) and by conversions and credit notes
// made final in the same commit: decided under the action's locks first (its number in date
// order, its VAT for the customer as they are now, its stock), written in table order after.
// Internal to the store's document modules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/articles.h"
#include "store/documents.h"
#include "store/numbering.h"
#include "store/parties.h"

namespace invoicing::store {

// The tables a finalization (or a conversion that finalizes) reads and writes, opened side by
// side at its start (Storage::open_ahead): a command on a share then waits for one open, not
// seven. STOCKMOV is among them though a document without stocked articles leaves it alone: an
// open beside the others costs requests, hardly any waiting.
inline const std::vector<Tbl> kFinalizationTables{Tbl::doc,     Tbl::docline,  Tbl::customer, Tbl::article,
                                                  Tbl::numbers, Tbl::stockmov, Tbl::audit};
// Those of a conversion to a draft (numbers and stock stay for its finalization).
inline const std::vector<Tbl> kDraftConversionTables{Tbl::doc, Tbl::docline, Tbl::customer, Tbl::article,
                                                     Tbl::audit};

// The party and the articles of a document as read before any lock of theirs, read once per
// action (issue 30: on a share each read is network round trips); a read again would be no
// fresher, as neither is locked. Stock is read again under the article's lock.
class PlanReads {
 public:
  const std::optional<Party>& party(Company& c, const Document& d);
  const std::optional<Article>& article(Company& c, int32_t id);
  // The articles of these lines not read yet, read together (Articles::by_ids: on a share one
  // read batch, not a seek and two reads each).
  void read_articles(Company& c, const std::vector<Line>& ls);

 private:
  bool party_read_ = false;
  std::optional<Party> party_;
  std::map<int32_t, std::optional<Article>> articles_;
};

struct FinalPlan {
  PlanReads reads;
  std::optional<HeldSeries> series;
  std::vector<StockChange> stock;
  std::vector<std::string> warnings;
  bool lines_changed = false;           // their VAT was decided again differently
  std::vector<Article> stocked;         // the articles whose stock the action wrote, as written
  std::optional<Company::Doing> doing;  // "numbering INV 2026" in our seat while we hold it
};

// Decides every line's VAT again for the customer as they are now (not for credit notes, which
// carry their invoice's VAT); returns the notes, and whether any line changed.
// `reads`: the action's reads of the party and the articles, when it has them.
bool decide_vat_again(Company& c, const Document& d, std::vector<Line>& ls, std::vector<std::string>& notes,
                      PlanReads* reads = nullptr);

// The fiscal year a document dated `date` is numbered in; call Numbering::ensure() with it
// before the action.
int series_year(Company& c, const xbase::Date& date);

// Inside an action holding the document's lock (a credit note: also its invoice's): checks the
// transition and the lines, takes the number in date order (the series' lock), checks the
// date, sets status, number, date, payment reference, due date and the customer's snapshot on
// `d`, plans and locks the stock. `from_delivery`: made from a delivery note (stock moved then).
// `may_make_series`: a series not made yet is made by write_numbers_and_stock (else it must be
// there: Numbering::ensure first); its write throws SeriesMadeMeanwhile when a colleague made it
// meanwhile, and the action must run again.
void plan_final(Company& c, Document& d, std::vector<Line>& ls, bool from_delivery, const FinalizeOptions& o,
                FinalPlan& plan, bool may_make_series = false);
// NUMBERS and ARTICLE, the first tables the action writes.
void write_numbers_and_stock(Company& c, FinalPlan& plan);
// The DOC fields a finalization sets.
Row final_fields(const Document& d);
// STOCKMOV and AUDIT, after the document's own tables.
void write_moves_and_audit(Company& c, const FinalPlan& plan, const Document& d);

}  // namespace invoicing::store

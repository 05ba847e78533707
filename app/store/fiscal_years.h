// Fiscal years in the store: which year a document's date falls in (the company's start month,
// domain/fiscal_year.h), the date rules a numbered document is held to, and closing a year for
// good (`invoicing year close`), after which no document is dated in it.
#pragma once

#include <optional>
#include <vector>

#include "domain/fiscal_year.h"
#include "store/company.h"

namespace invoicing::store {

// The fiscal year `d` falls in (its label: the calendar year it starts in).
int fiscal_year_of(Company& c, const xbase::Date& d);

// The date rules for a numbered document (domain::check_finalize_date): before a draft is
// made or redated (without `last_final`), and at finalization under its series' lock, with
// the date of the last final document the number must follow. `redate`: the user confirmed
// moving an earlier date to that day. Throws UserError with the reason and the advice.
domain::FinalizeDate checked_document_date(Company& c, const xbase::Date& date,
                                           std::optional<domain::Date> last_final, bool redate);

struct FiscalYearState {
  int year = 0;
  xbase::Date start, end;
  bool closed = false;
  int finals = 0, drafts = 0;  // documents dated in it
};

class FiscalYears {
 public:
  explicit FiscalYears(Company& c) : c_(c) {}
  // Every fiscal year with documents, the current one and the closed ones, oldest first.
  std::vector<FiscalYearState> list();
  // Closes a past fiscal year for good. Refused for the current (or a later) year, a closed
  // one, and while drafts are dated in it. Taken under the lock of every series of the year,
  // so a finalization into it either ends first or sees it closed.
  FiscalYearState close(int year);

 private:
  Company& c_;
};

}  // namespace invoicing::store

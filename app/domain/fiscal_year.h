// Fiscal years and the dates documents may carry when they are finalized.
//
// A fiscal year starts on the first day of a settable month (fiscal_year_start_month, 1 =
// calendar years) and lasts twelve months. Its label is the calendar year it starts in: with
// a start in April, 2026-04-01 .. 2027-03-31 is fiscal year 2026 (numbers read "2026/42").
// That the start month stays fixed once documents exist is the store's check
// (check_fiscal_start_change below gives its wording).
//
// Numbers follow date order within a series (one document type in one fiscal year): a
// document finalized with a date before the last final one of its series is refused, or,
// when the user confirms, dated to that last day instead. Dates are refused before the
// previous fiscal year, after today + max_days_ahead, in a closed fiscal year, and in the
// previous fiscal year once its grace period (previous_year_grace_days into the new one)
// is over.
#pragma once

#include <optional>
#include <vector>

#include "domain/date.h"
#include "domain/verdict.h"

namespace invoicing::domain {

struct FiscalSettings {
  int start_month = 1;                // fiscal_year_start_month, 1..12
  int max_days_ahead = 30;            // document_date_max_days_ahead, ≥ 0
  int previous_year_grace_days = 31;  // previous_year_grace_days, ≥ 0: days into a new fiscal
                                      // year during which the previous one still takes documents
};

// Throws std::invalid_argument when a setting is out of range (a programming or
// configuration error, not a user's refusal).
void validate(const FiscalSettings& settings);

int fiscal_year_of(const Date& d, const FiscalSettings& settings);
Date fiscal_year_start(int fiscal_year, const FiscalSettings& settings);
Date fiscal_year_end(int fiscal_year, const FiscalSettings& settings);

struct FinalizeDateInput {
  Date date;  // the date the document is to carry
  Date today;
  std::optional<Date> last_final;   // latest date of a final document in the same series
                                    // (type + fiscal year of `date`); none when it is the first
  std::vector<int> closed_years;    // fiscal years closed for good
  bool move_to_last_final = false;  // the user confirmed: date it on the last final's day
};

struct FinalizeDate {
  Date date;            // the date to store (moved when the user confirmed)
  int fiscal_year = 0;  // the series the number comes from
  bool moved = false;
};

// Before finalizing a numbered document (and before handing out its number).
Checked<FinalizeDate> check_finalize_date(const FinalizeDateInput& in,
                                          const FiscalSettings& settings);

// Before changing fiscal_year_start_month.
Verdict check_fiscal_start_change(int old_month, int new_month, bool documents_exist);

}  // namespace invoicing::domain

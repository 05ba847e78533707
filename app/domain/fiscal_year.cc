#include "domain/fiscal_year.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace invoicing::domain {

void validate(const FiscalSettings& s) {
  if (s.start_month < 1 || s.start_month > 12)
    throw std::invalid_argument(
        fmt::format("fiscal_year_start_month {} is not 1..12", s.start_month));
  if (s.max_days_ahead < 0 || s.max_days_ahead > 366)
    throw std::invalid_argument(
        fmt::format("document_date_max_days_ahead {} is not 0..366", s.max_days_ahead));
  if (s.previous_year_grace_days < 0 || s.previous_year_grace_days > 366)
    throw std::invalid_argument(
        fmt::format("previous_year_grace_days {} is not 0..366", s.previous_year_grace_days));
}

int fiscal_year_of(const Date& d, const FiscalSettings& s) {
  return d.month >= s.start_month ? d.year : d.year - 1;
}

Date fiscal_year_start(int fiscal_year, const FiscalSettings& s) {
  return {fiscal_year, s.start_month, 1};
}

Date fiscal_year_end(int fiscal_year, const FiscalSettings& s) {
  return add_days(fiscal_year_start(fiscal_year + 1, s), -1);
}

Checked<FinalizeDate> check_finalize_date(const FinalizeDateInput& in, const FiscalSettings& s) {
  using R = Checked<FinalizeDate>;
  validate(s);
  if (!valid_date(in.today))
    throw std::invalid_argument("check_finalize_date: today is not a date");
  if (!valid_date(in.date))
    return R::refused(
        fmt::format("{}-{}-{} is not a date", in.date.year, in.date.month, in.date.day));
  const std::string date = to_iso(in.date);
  const Date latest = add_days(in.today, s.max_days_ahead);
  if (in.date > latest)
    return R::refused(fmt::format("the date {} is more than {} days after today ({})", date,
                                  s.max_days_ahead, to_iso(in.today)),
                      fmt::format("date it {} at the latest", to_iso(latest)));
  const int fy = fiscal_year_of(in.date, s);
  const int current = fiscal_year_of(in.today, s);
  if (fy < current - 1)
    return R::refused(
        fmt::format("the date {} lies before the previous fiscal year (which starts {})", date,
                    to_iso(fiscal_year_start(current - 1, s))));
  if (std::find(in.closed_years.begin(), in.closed_years.end(), fy) != in.closed_years.end())
    return R::refused(
        fmt::format("fiscal year {} is closed: no document is dated {} any more", fy, date),
        fmt::format("date it in fiscal year {}", current));
  if (fy == current - 1) {
    const Date last_day = add_days(fiscal_year_start(current, s), s.previous_year_grace_days - 1);
    if (in.today > last_day)
      return R::refused(
          fmt::format("the date {} is in fiscal year {}, which took documents until {} ({} days "
                      "into fiscal year {})",
                      date, fy, to_iso(last_day), s.previous_year_grace_days, current),
          fmt::format("date it in fiscal year {}", current));
  }
  FinalizeDate out{in.date, fy, false};
  if (in.last_final && in.date < *in.last_final) {
    if (fiscal_year_of(*in.last_final, s) != fy)
      throw std::invalid_argument("check_finalize_date: last_final is from another fiscal year");
    if (!in.move_to_last_final)
      return R::refused(
          fmt::format("numbers follow date order: the last final document of this "
                      "series ({}) is dated {}, after {}",
                      fy, to_iso(*in.last_final), date),
          fmt::format("date it {} instead (confirm to do so)", to_iso(*in.last_final)));
    out.date = *in.last_final;
    out.moved = true;
  }
  return R::of(out);
}

Verdict check_fiscal_start_change(int old_month, int new_month, bool documents_exist) {
  if (new_month < 1 || new_month > 12)
    return Verdict::refuse(fmt::format("a fiscal year starts in month 1..12, not {}", new_month));
  if (old_month != new_month && documents_exist)
    return Verdict::refuse(
        fmt::format("the fiscal year start cannot move from month {} to {}: documents are numbered "
                    "in the fiscal years it defines",
                    old_month, new_month),
        "set it before the first document, or start a new company");
  return Verdict::allow();
}

}  // namespace invoicing::domain

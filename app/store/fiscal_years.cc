#include "store/fiscal_years.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "domain/document_label.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/dates.h"
#include "store/numbering.h"
#include "store/records.h"
#include "store/settings.h"

namespace invoicing::store {

int fiscal_year_of(Company& c, const xbase::Date& d) {
  return domain::fiscal_year_of(to_domain(d), fiscal_settings(c));
}

domain::FinalizeDate checked_document_date(Company& c, const xbase::Date& date,
                                           std::optional<domain::Date> last_final, bool redate) {
  domain::FinalizeDateInput in;
  in.date = to_domain(date);
  in.today = to_domain(today());
  in.last_final = last_final;
  in.closed_years = closed_years(c);
  in.move_to_last_final = redate;
  domain::Checked<domain::FinalizeDate> r;
  try {
    r = domain::check_finalize_date(in, fiscal_settings(c));
  } catch (const std::invalid_argument& e) {
    throw UserError(fmt::format("the date {} cannot be checked: {}", iso(date), e.what()));
  }
  if (!r) {
    std::string advice = r.verdict.advice;
    // The domain's "confirm to do so" is --redate on the command line.
    if (last_final && advice.find("confirm") != std::string::npos)
      advice = fmt::format("date it {} instead: finalize again with --redate", domain::to_iso(*last_final));
    throw UserError(advice.empty() ? r.verdict.reason : r.verdict.reason + " (" + advice + ")");
  }
  return *r.value;
}

std::vector<FiscalYearState> FiscalYears::list() {
  const auto fs = fiscal_settings(c_);
  const auto closed = closed_years(c_);
  std::map<int, FiscalYearState> years;
  auto at = [&](int y) -> FiscalYearState& {
    auto& s = years[y];
    s.year = y;
    s.start = to_xbase(domain::fiscal_year_start(y, fs));
    s.end = to_xbase(domain::fiscal_year_end(y, fs));
    s.closed = std::count(closed.begin(), closed.end(), y) > 0;
    return s;
  };
  at(fiscal_year_of(c_, today()));
  for (int y : closed) at(y);
  c_.storage().scan(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (d.status == domain::DocStatus::cancelled) return true;
    auto& s = at(d.year);
    (d.status == domain::DocStatus::draft ? s.drafts : s.finals) += 1;
    return true;
  });
  std::vector<FiscalYearState> out;
  for (auto& [y, s] : years) out.push_back(s);
  return out;
}

FiscalYearState FiscalYears::close(int year) {
  const int current = fiscal_year_of(c_, today());
  if (year >= current)
    throw UserError(fmt::format("fiscal year {} is {}: only a past fiscal year is closed", year,
                                year == current ? "the current one" : "still to come"));
  auto closed = closed_years(c_);
  if (std::count(closed.begin(), closed.end(), year)) throw UserError(fmt::format("fiscal year {} is closed already", year));
  // Every series of the year exists, so that its lock can be taken (a finalization into the
  // year holds it).
  static const domain::DocType kTypes[] = {domain::DocType::quote,   domain::DocType::order,
                                          domain::DocType::delivery_note, domain::DocType::invoice,
                                          domain::DocType::credit_note,   domain::DocType::purchase_invoice};
  Numbering numbering(c_);
  for (auto t : kTypes) numbering.ensure(t, year);
  Storage& s = c_.storage();
  Action a(s);
  for (auto t : kTypes) numbering.hold(t, year);
  std::string drafts;
  int n = 0;
  s.scan(Tbl::doc, [&](const Row& r) {
    Document d = document_from(r);
    if (d.year == year && d.status == domain::DocStatus::draft && ++n <= 5)
      drafts += fmt::format("{}{} (document {})", drafts.empty() ? "" : ", ",
                            domain::document_label(d.type, d.year, 0, "en"), d.id);
    return true;
  });
  if (n)
    throw UserError(fmt::format("fiscal year {} still has {} draft{} dated in it: {}{} (finalize, redate with "
                                "invoicing doc set ID --date, or cancel them first)",
                                year, n, n == 1 ? "" : "s", drafts, n > 5 ? ", ..." : ""));
  closed = closed_years(c_);  // as it is now that the year's series are ours
  if (std::count(closed.begin(), closed.end(), year)) throw UserError(fmt::format("fiscal year {} is closed already", year));
  closed.push_back(year);
  std::sort(closed.begin(), closed.end());
  std::string years;
  for (int y : closed) years += (years.empty() ? "" : ",") + std::to_string(y);
  c_.put_setting("closed_years", years);
  audit(c_, "YEARCLOSE", 0, fmt::format("fiscal year {} closed", year));
  a.commit();
  for (const auto& st : list())
    if (st.year == year) return st;
  return {};
}

}  // namespace invoicing::store

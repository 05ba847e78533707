#include "store/numbering.h"

#include <fmt/format.h>

#include "store/dates.h"
#include "store/records.h"

using xbase::Value;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

std::vector<Value> series_key(DocType type, int year) {
  return {Value::text(domain::doc_type_code(type)), Value::integer(year)};
}

SeriesState state_of(const Row& r) {
  SeriesState s;
  s.type = domain::doc_type_from_code(r.text(fld::type)).value_or(DocType::invoice);
  s.year = int(r.integer(fld::year));
  s.counter.next = std::max<int64_t>(1, r.integer(fld::next));
  s.counter.free = domain::parse_free_list(r.text(fld::free));
  s.last_date = r.date(fld::last_date);
  return s;
}

}  // namespace

std::optional<domain::Date> SeriesDates::issued(int64_t n) {
  auto it = cache_.find(n);
  if (it != cache_.end()) return it->second;
  std::optional<domain::Date> date;
  s_.range(Tbl::doc, "NUMBER", {Value::text(domain::doc_type_code(type_)), Value::integer(year_), Value::integer(n)},
           [&](const Row& r) {
             Document d = document_from(r);
             if (d.status == domain::DocStatus::final || d.status == domain::DocStatus::withdrawn) {
               date = to_domain(d.date);
               return false;
             }
             return true;
           });
  cache_[n] = date;
  return date;
}

SeriesDates::Window SeriesDates::window(int64_t n) {
  Window w;
  for (int64_t k = n - 1; k >= 1 && !w.after; --k) w.after = issued(k);
  for (int64_t k = n + 1; k < next_ && !w.before; ++k)
    if ((w.before = issued(k))) w.before_number = k;
  return w;
}

int64_t take_number_for(domain::Counter& c, SeriesDates& dates, const domain::Date& date) {
  for (auto it = c.free.begin(); it != c.free.end(); ++it)
    if (dates.window(*it).holds(date)) {
      int64_t n = *it;
      c.free.erase(it);
      return n;
    }
  if (c.next < 1) c.next = 1;
  return c.next++;
}

std::string series_name(DocType type, int year) { return fmt::format("{} {}", domain::doc_type_code(type), year); }

domain::NumberingMode Numbering::mode() {
  std::string m = c_.setting("numbering", "serialized");
  auto mode = domain::numbering_mode_from_name(m);
  if (!mode) throw UserError(fmt::format("the setting numbering is \"{}\" (serialized or multiuser)", m));
  return *mode;
}

void Numbering::set_mode(domain::NumberingMode m, std::optional<int> wait_seconds) {
  if (wait_seconds && (*wait_seconds < 0 || *wait_seconds > 3600))
    throw UserError("the numbering wait is 0 to 3600 seconds");
  // A folder already in multi-user numbering keeps it after a downgrade (its drafts hold
  // reserved numbers); only choosing it is the edition's feature.
  if (m == domain::NumberingMode::multiuser) c_.require(domain::Feature::multiuser_numbering);
  c_.set_setting("numbering", domain::numbering_mode_name(m));
  if (wait_seconds) c_.set_setting("numbering_wait", std::to_string(*wait_seconds));
}

std::chrono::seconds Numbering::wait() { return std::chrono::seconds(c_.int_setting("numbering_wait", 60)); }

bool Numbering::exists(DocType type, int year) {
  // From the index's keys alone (series are never removed): the record is read under its lock
  // by hold(), the one that needs it.
  return c_.storage().has_key(Tbl::numbers, "TYPEYEAR", series_key(type, year));
}

namespace {
Row counter_row(const HeldSeries& h) {
  Row r;
  r.integer(fld::next, h.counter.next).text(fld::free, domain::format_free_list(h.counter.free));
  r.date(fld::last_date, h.last_date);
  return r;
}
}  // namespace

void Numbering::ensure(DocType type, int year) {
  if (exists(type, year)) return;
  Storage& s = c_.storage();
  Action a(s);
  Row r;
  r.text(fld::type, domain::doc_type_code(type)).integer(fld::year, year).integer(fld::next, 1);
  try {
    s.insert(Tbl::numbers, r);
    a.commit();
  } catch (const DuplicateKey&) {
    // Another workstation created it at the same moment: theirs stands.
  }
}

HeldSeries Numbering::fresh(DocType type, int year) {
  HeldSeries h{type, year, 0, {}, std::nullopt};
  h.counter.next = 1;
  return h;
}

HeldSeries Numbering::hold(DocType type, int year) {
  auto h = hold_if_made(type, year);
  // ensure() comes first; a document whose date moved to another year meanwhile gets here.
  if (!h) throw Busy(fmt::format("the series {} is not there yet (the document changed meanwhile); try again",
                                 series_name(type, year)));
  return *h;
}

std::optional<HeldSeries> Numbering::hold_if_made(DocType type, int year) {
  Storage& s = c_.storage();
  const auto w = wait();
  std::optional<Row> r;
  try {
    r = s.find_locked(Tbl::numbers, "TYPEYEAR", series_key(type, year), w);  // as it is now that it is ours
  } catch (const Busy&) {
    auto who = c_.busy_with("numbering " + series_name(type, year));
    std::string names;
    for (const auto& n : who) names += (names.empty() ? "" : "; ") + n;
    throw NumberingBusy(fmt::format("the numbering of {} is held by {} (waited {} s); try again, or cancel",
                                    series_name(type, year), names.empty() ? "another workstation" : names,
                                    w.count()));
  }
  if (!r) return std::nullopt;
  SeriesState st = state_of(*r);
  return HeldSeries{type, year, r->id, st.counter, st.last_date};
}

void Numbering::write(const HeldSeries& h) {
  Row r = counter_row(h);
  if (h.row) {
    c_.storage().update(Tbl::numbers, h.row, r);
    return;
  }
  r.text(fld::type, domain::doc_type_code(h.type)).integer(fld::year, h.year);
  try {
    // Under the table's header lock, which the action keeps until its commit: a colleague
    // making the same series meanwhile waits for it, then finds the key taken.
    c_.storage().insert(Tbl::numbers, r);
  } catch (const DuplicateKey&) {
    throw SeriesMadeMeanwhile(series_name(h.type, h.year) + " was made by another workstation meanwhile");
  }
}

std::vector<SeriesState> Numbering::list() {
  std::vector<SeriesState> out;
  c_.storage().range(Tbl::numbers, "TYPEYEAR", {}, [&](const Row& r) {
    out.push_back(state_of(r));
    return true;
  });
  return out;
}

}  // namespace invoicing::store

// The numbering of gap-free series in the store: the NUMBERS record of each document type and
// fiscal year, its lock (the numbering lock), and the mode setting. The policy (which number
// is taken, how one is given back, which gaps are wrong) is domain/numbering.h.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/date.h"
#include "domain/document.h"
#include "domain/numbering.h"
#include "store/company.h"

namespace invoicing::store {

// "INV 2026": a series as users read it.
std::string series_name(domain::DocType type, int year);

// A series' counter as read under its lock, to be changed and written back in the same action;
// or a series not made yet (Numbering::fresh), made by write().
struct HeldSeries {
  domain::DocType type = domain::DocType::invoice;
  int year = 0;
  RowId row = 0;  // 0: not made yet
  domain::Counter counter;
  std::optional<xbase::Date> last_date;  // of the last final document of the series
};

struct SeriesState {
  domain::DocType type = domain::DocType::invoice;
  int year = 0;
  domain::Counter counter;
  std::optional<xbase::Date> last_date;
};

// Numbers follow date order within a series: the dates a number of a series may carry, from
// the issued documents (final, or withdrawn after being final) around it. Read through the
// NUMBER index, number by number from the one asked about outwards, so that finalizing the next
// number of a long series reads one or two records, not the series.
class SeriesDates {
 public:
  SeriesDates(Storage& s, domain::DocType type, int year, int64_t next) : s_(s), type_(type), year_(year), next_(next) {}

  // On or after the date of the nearest issued number below, on or before that of the nearest
  // issued number above (none: no limit that side).
  struct Window {
    std::optional<domain::Date> after, before;
    int64_t before_number = 0;  // the issued number that sets `before`
    bool holds(const domain::Date& d) const { return (!after || *after <= d) && (!before || d <= *before); }
  };
  Window window(int64_t n);

 private:
  std::optional<domain::Date> issued(int64_t n);
  Storage& s_;
  domain::DocType type_;
  int year_;
  int64_t next_;
  std::map<int64_t, std::optional<domain::Date>> cache_;
};

// The number a document dated `date` takes from a held counter: the smallest waiting number
// whose window holds the date (so a given-back number is reused only where its date fits
// between its neighbours), else the next one. Waiting numbers no date fits any more stay in
// the free list, and `invoicing verify` names them with the dates that would take them.
int64_t take_number_for(domain::Counter& c, SeriesDates& dates, const domain::Date& date);

struct SeriesMadeMeanwhile : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Numbering {
 public:
  explicit Numbering(Company& c) : c_(c) {}

  domain::NumberingMode mode();
  // Changes the mode (and the wait); refused while an action runs.
  void set_mode(domain::NumberingMode m, std::optional<int> wait_seconds);
  std::chrono::seconds wait();

  // Creates the series' record when missing, in a commit of its own: call it before the
  // action that takes a number (two workstations may create it at once; one wins).
  void ensure(domain::DocType type, int year);
  // Whether the series' record is there (from the index's keys alone).
  bool exists(domain::DocType type, int year);
  // Inside an action, instead of hold() for a series not found: a new counter that
  // write() makes the series' record with, in the action's write phase, so that the action's
  // commit makes the series with its first number (one commit instead of ensure()'s and the
  // action's: issue 30). Nothing is locked for it until then: the table's header and index
  // locks that making a record takes are taken in the write phase, after the action's record
  // locks (but those its own lines' changes take then, under their document's lock), as a
  // change's are (docs/multi-user.md). write() throws SeriesMadeMeanwhile when another
  // workstation made it since: theirs stands, and the action must be run again with it.
  HeldSeries fresh(domain::DocType type, int year);
  // Inside an action: takes the series' lock, waiting up to `numbering_wait`; then throws
  // NumberingBusy naming the workstations that hold it (never this one).
  HeldSeries hold(domain::DocType type, int year);
  // hold(), or nothing (no lock) when the series is not made yet: one look at the index where
  // exists() and then hold() looked twice (issue 30: a round trip on a share).
  std::optional<HeldSeries> hold_if_made(domain::DocType type, int year);
  // Writes the counter back, or makes the series' record (fresh()) (in the action's write
  // phase: NUMBERS is the first table written).
  void write(const HeldSeries& s);
  std::vector<SeriesState> list();

 private:
  Company& c_;
};

}  // namespace invoicing::store

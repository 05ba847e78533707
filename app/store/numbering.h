// The numbering of gap-free series in the store: the NUMBERS record of each document type and
// fiscal year, its lock (the numbering lock), and the mode setting. The policy (which number
// is taken, how one is given back, which gaps are wrong) is domain/numbering.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/document.h"
#include "domain/numbering.h"
#include "store/company.h"

namespace invoicing::store {

// "INV 2026": a series as users read it.
std::string series_name(domain::DocType type, int year);

// A series' counter as read under its lock, to be changed and written back in the same action.
struct HeldSeries {
  domain::DocType type = domain::DocType::invoice;
  int year = 0;
  RowId row = 0;
  domain::Counter counter;
  std::optional<xbase::Date> last_date;  // of the last final document of the series
};

struct SeriesState {
  domain::DocType type = domain::DocType::invoice;
  int year = 0;
  domain::Counter counter;
  std::optional<xbase::Date> last_date;
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
  // Inside an action: takes the series' lock, waiting up to `numbering_wait`; then throws
  // NumberingBusy naming the workstations that hold it (never this one).
  HeldSeries hold(domain::DocType type, int year);
  // Writes the counter back (in the action's write phase: NUMBERS is the first table written).
  void write(const HeldSeries& s);
  std::vector<SeriesState> list();

 private:
  Company& c_;
};

}  // namespace invoicing::store

#include "backup/retention.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "xbase/value.h"

namespace invoicing::backup {

namespace {

struct Stamp {
  std::string sortable;  // "2026-01-15T14:32:05"
  int32_t day = 0;       // julian day
};

std::optional<Stamp> read_stamp(const std::string& s) {
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  if (s.size() < 19 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &m, &d, &hh, &mm, &ss) != 6) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return Stamp{s.substr(0, 19), xbase::julian_day(xbase::Date{y, m, d})};
}

}  // namespace

std::vector<size_t> backups_to_remove(const std::vector<std::string>& created, int daily, int weekly) {
  std::vector<std::pair<Stamp, size_t>> all;
  for (size_t i = 0; i < created.size(); ++i)
    if (auto s = read_stamp(created[i])) all.push_back({*s, i});
  // Newest first.
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first.sortable > b.first.sortable; });
  std::set<size_t> keep;
  std::set<int32_t> days, weeks;
  for (const auto& [s, i] : all) {
    // Julian day 0 was a Monday: (jd % 7) counts days since Monday.
    const int32_t monday = s.day - s.day % 7;
    if (int(days.size()) < daily && days.insert(s.day).second) keep.insert(i);
    if (int(weeks.size()) < weekly && weeks.insert(monday).second) keep.insert(i);
  }
  std::vector<size_t> out;
  for (const auto& [s, i] : all)
    if (!keep.count(i)) out.push_back(i);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace invoicing::backup

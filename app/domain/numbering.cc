#include "domain/numbering.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace invoicing::domain {

const char* numbering_mode_name(NumberingMode m) {
  return m == NumberingMode::multiuser ? "multiuser" : "serialized";
}

std::optional<NumberingMode> numbering_mode_from_name(std::string_view s) {
  if (s == "serialized") return NumberingMode::serialized;
  if (s == "multiuser") return NumberingMode::multiuser;
  return std::nullopt;
}

int64_t take_number(Counter& c) {
  if (!c.free.empty()) {
    int64_t n = c.free.front();
    c.free.erase(c.free.begin());
    return n;
  }
  if (c.next < 1) c.next = 1;
  return c.next++;
}

void give_back_number(Counter& c, int64_t n) {
  if (n < 1 || n >= c.next) throw std::invalid_argument(fmt::format("number {} was never given (next is {})", n, c.next));
  auto at = std::lower_bound(c.free.begin(), c.free.end(), n);
  if (at != c.free.end() && *at == n) throw std::invalid_argument(fmt::format("number {} was given back already", n));
  c.free.insert(at, n);
  while (!c.free.empty() && c.free.back() == c.next - 1) {
    c.free.pop_back();
    --c.next;
  }
}

std::string format_free_list(const std::vector<int64_t>& free) {
  std::string s;
  for (auto n : free) s += (s.empty() ? "" : ",") + std::to_string(n);
  return s;
}

std::vector<int64_t> parse_free_list(std::string_view text) {
  std::vector<int64_t> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(',', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view part = text.substr(i, j - i);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) {
      int64_t n = 0;
      auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
      if (ec != std::errc() || p != part.data() + part.size() || n < 1)
        throw std::invalid_argument(fmt::format("the free list \"{}\" holds \"{}\", not a number", text, part));
      out.push_back(n);
    }
    i = j + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> series_problems(const std::string& series, const Counter& c,
                                         const std::map<int64_t, int>& held, int64_t highest_final) {
  std::vector<std::string> out;
  std::map<int64_t, int> waiting;
  for (int64_t f : c.free) ++waiting[f];
  for (int64_t n = 1; n < c.next; ++n) {
    auto h = held.find(n);
    int docs = h == held.end() ? 0 : h->second;
    int w = waiting.count(n) ? waiting[n] : 0;
    if (docs + w == 0) out.push_back(fmt::format("{}: number {} is missing (a gap)", series, n));
    else if (docs > 1) out.push_back(fmt::format("{}: number {} is given to {} documents", series, n, docs));
    else if (docs + w > 1) out.push_back(fmt::format("{}: number {} is both used and in the free list", series, n));
    else if (w && n < highest_final)
      out.push_back(fmt::format("{}: number {} is not issued (it waits in the free list) while {} is final", series,
                                n, highest_final));
  }
  for (const auto& [n, k] : held)
    if (n >= c.next) out.push_back(fmt::format("{}: number {} is beyond the counter ({})", series, n, c.next));
  for (const auto& [n, k] : waiting)
    if (n >= c.next) out.push_back(fmt::format("{}: free-list number {} is beyond the counter ({})", series, n, c.next));
  return out;
}

}  // namespace invoicing::domain

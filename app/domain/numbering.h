// The numbering policy of gap-free series (invoices and credit notes per fiscal year), as
// pure rules: how a number is taken from a counter and given back, and which gaps a series
// may show. The counter record and its lock are the store's (store/numbering.h).
//
// - serialized: a number is taken at finalization, under the counter's lock, held for the
//   short finalization commit.
// - multiuser: a number is reserved when the draft is created; a cancelled or deleted draft
//   gives it back: the counter steps back when it was the last one, else it waits in the
//   free list and is handed to the next document of that series, in either mode (so that
//   switching modes never strands a number).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invoicing::domain {

enum class NumberingMode { serialized, multiuser };

const char* numbering_mode_name(NumberingMode m);  // "serialized", "multiuser"
std::optional<NumberingMode> numbering_mode_from_name(std::string_view s);

// One series' state: the next number never given, and the numbers given back (ascending).
struct Counter {
  int64_t next = 1;
  std::vector<int64_t> free;
};

// The number a new document gets: the smallest given-back one first, else the next.
int64_t take_number(Counter& c);
// A number given back: the counter steps back over it (and over given-back numbers below it)
// when it was the last one; else it joins the free list. Throws std::invalid_argument for a
// number the counter never gave or one given back twice.
void give_back_number(Counter& c, int64_t n);

// The free list as stored ("3,9,12") and read back; a damaged list is an error naming it.
std::string format_free_list(const std::vector<int64_t>& free);
std::vector<int64_t> parse_free_list(std::string_view text);

// What is wrong with a series: every number 1..next-1 is either held by exactly one document
// or waits in the free list; none is beyond the counter. A waiting number below the highest
// final one is a gap in what was issued (reported too). `final_numbers` and `held_numbers`
// count documents per number (held: finalized or reserved by a draft).
std::vector<std::string> series_problems(const std::string& series, const Counter& c,
                                         const std::map<int64_t, int>& held_numbers,
                                         int64_t highest_final);

}  // namespace invoicing::domain

// Sorting fixed-width index entries (key bytes, then the record number big-endian, so that
// memcmp order is (key, recno) order) without comparing whole keys: eight bytes at a time
// past the prefix all entries share, by radix passes, going deeper only where eight bytes tie.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace xbase::cdx {

// Appends one such entry: `key` cut or padded with 0x00 to `key_length` bytes, then `recno`.
void append_entry(std::vector<uint8_t>& out, std::string_view key, size_t key_length, uint32_t recno);

// The order of `n` records of `width` bytes at `recs`: out[k] is the index of the k-th
// smallest. Records must be distinct (the record number makes them so).
std::vector<uint32_t> sort_order(const uint8_t* recs, size_t n, size_t width);

// Reading entries in sorted order visits memory in random order, and each entry would wait
// for it: callers ask for the entry kPrefetchAhead places on before reading the current one.
constexpr size_t kPrefetchAhead = 8;
inline void prefetch_entry(const uint8_t* p, size_t width) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
  __builtin_prefetch(p + width - 1);
#else
  (void)p, (void)width;
#endif
}

}  // namespace xbase::cdx

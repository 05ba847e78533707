// Sorting fixed-width index entries (key bytes, then the record number big-endian, so that
// memcmp order is (key, recno) order) without comparing whole keys: eight bytes at a time
// past the prefix all entries share, by radix passes, going deeper only where eight bytes tie.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "util/coding.h"

namespace xbase::cdx {

// Appends one such entry with its record number written and its key bytes 0x00; returns
// where the key goes (valid until `out` grows again).
uint8_t* append_entry_slot(std::vector<uint8_t>& out, size_t key_length, uint32_t recno);
// Appends one such entry: `key` cut or padded with 0x00 to `key_length` bytes, then `recno`.
void append_entry(std::vector<uint8_t>& out, std::string_view key, size_t key_length, uint32_t recno);

namespace detail {
// 12 bytes, not 16: the radix passes stream arrays of these, so their size is their cost.
#pragma pack(push, 4)
struct RadixItem {
  uint64_t k;  // eight record bytes from the current depth, big-endian (memcmp order)
  uint32_t idx;
};
#pragma pack(pop)
static_assert(sizeof(RadixItem) == 12);
}  // namespace detail

// What sorting n entries works in: their order and two arrays of radix items. Reserved ahead
// by a caller that knows n early, so that its pages can be faulted in while the entries are
// still coming (their first touch was a tenth of a million-key index build).
struct SortScratch {
  std::vector<uint32_t> order;
  std::vector<detail::RadixItem> items, tmp;
  void reserve(size_t n) {
    order.reserve(n);
    items.reserve(n);
    tmp.reserve(n);
  }
};

// The order of `n` records of `width` bytes at `recs`: out[k] is the index of the k-th
// smallest. Records must be distinct (the record number makes them so). With `scratch`, the
// result is its `order` (moved out) and the sort works in its items.
std::vector<uint32_t> sort_order(const uint8_t* recs, size_t n, size_t width, SortScratch* scratch = nullptr);

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

// Entries at `recs` read in `order` (as sort_order gives it). The key points into `recs`.
class SortedEntries {
 public:
  SortedEntries() = default;
  SortedEntries(const uint8_t* recs, const std::vector<uint32_t>* order, size_t key_length)
      : recs_(recs), order_(order), kl_(key_length) {}
  bool next(std::string_view& key, uint32_t& recno) {
    if (!order_ || at_ >= order_->size()) return false;
    const size_t per = kl_ + 4;
    if (at_ + kPrefetchAhead < order_->size()) prefetch_entry(recs_ + size_t((*order_)[at_ + kPrefetchAhead]) * per, per);
    const uint8_t* p = recs_ + size_t((*order_)[at_++]) * per;
    key = std::string_view(reinterpret_cast<const char*>(p), kl_);
    recno = coding::get_be32(p + kl_);
    return true;
  }

 private:
  const uint8_t* recs_ = nullptr;
  const std::vector<uint32_t>* order_ = nullptr;
  size_t kl_ = 0, at_ = 0;
};

}  // namespace xbase::cdx

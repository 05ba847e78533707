#include "cdx/key_sort.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace xbase::cdx {

namespace {

using Item = detail::RadixItem;

class Sorter {
 public:
  Sorter(const uint8_t* recs, size_t width, std::vector<Item>& items, std::vector<Item>& tmp)
      : recs_(recs), width_(width), items_(items), tmp_(tmp) {}

  // Sorts items [from, to) whose records agree on their first `depth` bytes.
  void sort(std::vector<uint32_t>& order, size_t from, size_t to, size_t depth) {
    const size_t n = to - from;
    if (n < 2 || depth >= width_) return;
    if (n <= kSmall) {
      std::sort(order.begin() + long(from), order.begin() + long(to), [&](uint32_t a, uint32_t b) {
        return std::memcmp(rec(a) + depth, rec(b) + depth, width_ - depth) < 0;
      });
      return;
    }
    depth += shared_prefix(order, from, to, depth);
    if (depth >= width_) return;
    items_.resize(n);
    for (size_t i = 0; i < n; ++i) items_[i] = {chunk(order[from + i], depth), order[from + i]};
    radix(n);
    for (size_t i = 0; i < n; ++i) order[from + i] = items_[i].idx;
    // Runs that tie on these eight bytes are sorted on the next ones. The keys of a run are
    // read again from the records, since items_ is reused by the recursion.
    std::vector<std::pair<size_t, size_t>> runs;
    for (size_t i = 0; i < n;) {
      size_t j = i + 1;
      while (j < n && items_[j].k == items_[i].k) ++j;
      if (j - i > 1) runs.push_back({from + i, from + j});
      i = j;
    }
    for (auto [a, b] : runs) sort(order, a, b, depth + 8);
  }

 private:
  static constexpr size_t kSmall = 64;

  const uint8_t* rec(uint32_t i) const { return recs_ + size_t(i) * width_; }

  uint64_t chunk(uint32_t i, size_t depth) const {
    const uint8_t* p = rec(i) + depth;
    size_t avail = std::min<size_t>(8, width_ - depth);
    uint64_t k = 0;
    for (size_t b = 0; b < 8; ++b) k = (k << 8) | (b < avail ? p[b] : 0);
    return k;
  }

  // How many bytes past `depth` every record of the range shares.
  size_t shared_prefix(const std::vector<uint32_t>& order, size_t from, size_t to, size_t depth) const {
    const uint8_t* first = rec(order[from]) + depth;
    size_t d = width_ - depth;
    for (size_t i = from + 1; i < to && d; ++i) {
      const uint8_t* p = rec(order[i]) + depth;
      if (std::memcmp(first, p, d) == 0) continue;
      size_t m = 0;
      while (m < d && first[m] == p[m]) ++m;
      d = m;
    }
    return d;
  }

  // Least significant byte first; a byte all items share costs no pass.
  void radix(size_t n) {
    std::array<std::array<uint32_t, 256>, 8> count{};
    for (size_t i = 0; i < n; ++i)
      for (int b = 0; b < 8; ++b) ++count[size_t(b)][(items_[i].k >> (8 * b)) & 0xFF];
    tmp_.resize(n);
    for (int b = 0; b < 8; ++b) {
      auto& c = count[size_t(b)];
      if (c[(items_[0].k >> (8 * b)) & 0xFF] == n) continue;
      uint32_t sum = 0;
      for (auto& v : c) {
        uint32_t x = v;
        v = sum;
        sum += x;
      }
      for (size_t i = 0; i < n; ++i) tmp_[c[(items_[i].k >> (8 * b)) & 0xFF]++] = items_[i];
      items_.swap(tmp_);
    }
  }

  const uint8_t* recs_;
  size_t width_;
  std::vector<Item>& items_;
  std::vector<Item>& tmp_;
};

}  // namespace

uint8_t* append_entry_slot(std::vector<uint8_t>& out, size_t key_length, uint32_t recno) {
  const size_t at = out.size();
  out.resize(at + key_length + 4, 0);
  uint8_t* r = out.data() + at + key_length;
  r[0] = uint8_t(recno >> 24), r[1] = uint8_t(recno >> 16), r[2] = uint8_t(recno >> 8), r[3] = uint8_t(recno);
  return out.data() + at;
}

void append_entry(std::vector<uint8_t>& out, std::string_view key, size_t key_length, uint32_t recno) {
  std::memcpy(append_entry_slot(out, key_length, recno), key.data(), std::min(key.size(), key_length));
}

std::vector<uint32_t> sort_order(const uint8_t* recs, size_t n, size_t width, SortScratch* scratch) {
  SortScratch own;
  SortScratch& s = scratch ? *scratch : own;
  std::vector<uint32_t> order = std::move(s.order);
  order.resize(n);
  for (size_t i = 0; i < n; ++i) order[i] = uint32_t(i);
  // Entries already in order (a tag on a key that grows with the record number, such as an
  // ID or a document number) need no sorting; finding that out costs one pass.
  size_t i = 1;
  while (i < n && std::memcmp(recs + (i - 1) * width, recs + i * width, width) < 0) ++i;
  if (i >= n) return order;
  Sorter(recs, width, s.items, s.tmp).sort(order, 0, n, 0);
  return order;
}

}  // namespace xbase::cdx

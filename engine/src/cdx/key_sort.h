// Sorting fixed-width index entries (key bytes, then the record number big-endian, so that
// memcmp order is (key, recno) order) without comparing whole keys: eight bytes at a time
// past the prefix all entries share, by radix passes, going deeper only where eight bytes tie.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace xbase::cdx {

// The order of `n` records of `width` bytes at `recs`: out[k] is the index of the k-th
// smallest. Records must be distinct (the record number makes them so).
std::vector<uint32_t> sort_order(const uint8_t* recs, size_t n, size_t width);

}  // namespace xbase::cdx

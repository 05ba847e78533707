// sort_order against std::sort on whole records: keys with long shared prefixes, ties over
// many 8-byte chunks, widths that are not multiples of 8, tiny and large inputs.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstring>
#include <random>

#include "cdx/key_sort.h"

using namespace xbase::cdx;

namespace {

// Records of `width` bytes: `prefix` shared bytes, then bytes from a small alphabet (many
// ties), then a distinct 4-byte big-endian number as the record number.
std::vector<uint8_t> records(std::mt19937& rng, size_t n, size_t width, size_t prefix, int alphabet) {
  std::vector<uint8_t> out(n * width);
  for (size_t i = 0; i < n; ++i) {
    uint8_t* r = out.data() + i * width;
    for (size_t b = 0; b + 4 < width; ++b)
      r[b] = b < prefix ? uint8_t('P') : uint8_t(std::uniform_int_distribution<int>(0, alphabet - 1)(rng) + 'A');
    uint32_t recno = uint32_t(n - i);  // distinct, in falling order
    r[width - 4] = uint8_t(recno >> 24), r[width - 3] = uint8_t(recno >> 16);
    r[width - 2] = uint8_t(recno >> 8), r[width - 1] = uint8_t(recno);
  }
  return out;
}

void check_sorted(const std::vector<uint8_t>& recs, size_t width) {
  const size_t n = recs.size() / width;
  std::vector<uint32_t> got = sort_order(recs.data(), n, width);
  std::vector<uint32_t> want(n);
  for (size_t i = 0; i < n; ++i) want[i] = uint32_t(i);
  std::sort(want.begin(), want.end(), [&](uint32_t a, uint32_t b) {
    return std::memcmp(recs.data() + a * width, recs.data() + b * width, width) < 0;
  });
  REQUIRE(got == want);
}

}  // namespace

TEST_CASE("sort_order agrees with a memcmp sort of whole records", "[cdx][sort]") {
  std::mt19937 rng(7);
  for (size_t width : {5u, 8u, 12u, 13u, 44u, 104u})
    for (size_t prefix : {0u, 3u, 9u, 30u})
      for (int alphabet : {1, 2, 26})
        for (size_t n : {0u, 1u, 2u, 63u, 64u, 65u, 3000u}) {
          if (prefix + 4 > width) continue;
          INFO("width " << width << " prefix " << prefix << " alphabet " << alphabet << " n " << n);
          check_sorted(records(rng, n, width, prefix, alphabet), width);
        }
}

TEST_CASE("sort_order on entries already in order, and on one inversion at the end", "[cdx][sort]") {
  const size_t n = 5000, width = 8;
  std::vector<uint8_t> recs(n * width);
  for (size_t i = 0; i < n; ++i) {
    uint32_t key = uint32_t(i) ^ 0x80000000u, r = uint32_t(i + 1);  // an ID tag's entries
    uint8_t* p = recs.data() + i * width;
    for (int b = 0; b < 4; ++b) p[b] = uint8_t(key >> (24 - 8 * b)), p[4 + b] = uint8_t(r >> (24 - 8 * b));
  }
  check_sorted(recs, width);
  std::swap_ranges(recs.end() - 2 * long(width), recs.end() - long(width), recs.end() - long(width));
  check_sorted(recs, width);
}

TEST_CASE("sort_order on the benchmark's NAME keys", "[cdx][sort]") {
  // "CUST" + 10 digits, blank padded to 40, then the record number: ties only past byte 8.
  const size_t n = 20000, width = 44;
  std::vector<uint8_t> recs(n * width, ' ');
  for (size_t i = 0; i < n; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "CUST%010zu", (i * 7919) % 5000);  // 4 records per name
    std::memcpy(recs.data() + i * width, name, 14);
    uint32_t r = uint32_t(i + 1);
    uint8_t* p = recs.data() + i * width + 40;
    p[0] = uint8_t(r >> 24), p[1] = uint8_t(r >> 16), p[2] = uint8_t(r >> 8), p[3] = uint8_t(r);
  }
  check_sorted(recs, width);
}

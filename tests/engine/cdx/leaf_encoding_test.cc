// A compact leaf encoded again after a change (issue 30): the entries before the first change
// keep their bytes from the page as last written or read, only the rest is encoded, and the page
// is the one a whole encoding gives; a page another program compressed differently keeps its
// entries and still decodes to the node.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cdx/page.h"
#include "util/coding.h"

using namespace xbase;
using namespace xbase::cdx;

namespace {

using Page = std::array<uint8_t, kPageSize>;

// Keys like the workload's names ("CUST" + digits, blank-filled) or 4-byte integers, some
// all fill bytes past a shared prefix, so that both compressions and their limits occur.
std::string some_key(std::mt19937& rng, uint16_t kl, uint8_t fill) {
  std::string k(kl, char(fill));
  if (kl == 4) {
    coding::put_be32(reinterpret_cast<uint8_t*>(k.data()), uint32_t(rng() % 5000));
    return k;
  }
  std::string digits = "CUST" + std::to_string(rng() % 100000);
  if (rng() % 8 == 0) digits = "CUST";
  k.replace(0, digits.size(), digits);
  return k;
}

// One change to the leaf, where a table's maintenance makes them: anywhere, mostly small
// record numbers, now and then one that widens the entries (or, erased, narrows them again).
void change(Node& n, std::mt19937& rng, uint8_t fill) {
  const size_t count = n.count();
  const int what = count == 0 ? 0 : int(rng() % 10);
  const size_t at = count ? rng() % (count + 1) : 0;
  const uint32_t recno = rng() % 16 == 0 ? 0x00FFFFFFu - rng() % 1000 : 1 + rng() % 60000;
  if (what < 6) {
    n.insert(at, some_key(rng, n.kl, fill), recno);
  } else if (what < 8) {
    n.erase(std::min(at, count - 1));
  } else {
    const size_t i = std::min(at, count - 1);
    n.set(i, std::string(n.key(i)), recno);
  }
}

Node leaf(uint16_t kl) {
  Node n(kl);
  n.attr = kAttrLeaf;
  n.left = 0x400;
  n.right = kNone;
  return n;
}

// A leaf as a writer that stores every key whole (no shared prefix, no trailing fill) would
// leave it, in this encoder's entry layout for small record numbers: 3 bytes, 16 bits of
// record number; entry i holds record i + 1.
Page stored_whole(const std::vector<std::string>& keys, uint16_t kl) {
  Page page{};
  coding::put_le16(page.data(), kAttrLeaf);
  coding::put_le16(page.data() + 2, uint16_t(keys.size()));
  coding::put_le32(page.data() + 4, kNone);
  coding::put_le32(page.data() + 8, kNone);
  size_t pool = kPageSize;
  for (size_t i = 0; i < keys.size(); ++i) {
    pool -= kl;
    std::memcpy(page.data() + pool, keys[i].data(), kl);
    const uint32_t v = uint32_t(i + 1);
    for (int b = 0; b < 3; ++b) page[24 + i * 3 + size_t(b)] = uint8_t(v >> (8 * b));
  }
  coding::put_le16(page.data() + 12, uint16_t(pool - 24 - 3 * keys.size()));
  coding::put_le32(page.data() + 14, 0xFFFF);
  page[18] = page[19] = 0x0F;
  page[20] = 16;
  page[21] = page[22] = 4;
  page[23] = 3;
  return page;
}

}  // namespace

TEST_CASE("A leaf encoded again after a change is the page a whole encoding gives", "[cdx]") {
  for (uint16_t kl : {uint16_t(4), uint16_t(40)}) {
    const uint8_t fill = kl == 4 ? 0 : ' ';
    std::mt19937 rng(kl);
    Node n = leaf(kl);
    Page before{}, kept{}, whole{};
    REQUIRE(encode_node(n, kl, fill, before.data()));
    n.clean = n.count();
    size_t kept_some = 0, checked = 0;
    for (int step = 0; step < 20000; ++step) {
      change(n, rng, fill);
      const bool fits = encode_node(n, kl, fill, whole.data());
      // A changed leaf that no longer fits: drop a few entries from the end, as a split would
      // (the kept entries before them stay clean).
      if (!fits) {
        while (n.count() > 2 && !encode_node(n, kl, fill, whole.data())) n.erase(n.count() - 1);
        REQUIRE(encode_node(n, kl, fill, whole.data()));
      }
      kept_some += n.clean > 0;
      REQUIRE(encode_node(n, kl, fill, kept.data(), before.data()));
      INFO("step " << step << ", key length " << kl << ", " << n.count() << " entries, clean " << n.clean);
      REQUIRE(std::memcmp(kept.data(), whole.data(), kPageSize) == 0);
      // What a read of the page gives back: the node, its size as this encoder counts it.
      Node back = parse_node(kept.data(), 0x600, kl, fill, "T.CDX");
      REQUIRE(back.keys == n.keys);
      REQUIRE(back.recnos == n.recnos);
      REQUIRE(back.clean == back.count());
      REQUIRE(back.size == leaf_size(n, fill));
      before = kept;
      n.clean = n.count();
      ++checked;
    }
    CHECK(checked == 20000);
    CHECK(kept_some > 10000);  // the path under test was taken, not only whole encodings
  }
}

TEST_CASE("A leaf another program compressed less keeps its entries and gains the new one", "[cdx]") {
  const uint16_t kl = 10;
  const std::vector<std::string> keys = {"ALPHA     ", "ALPHABET  ", "BETA      "};
  const Page foreign = stored_whole(keys, kl);

  Node n = parse_node(foreign.data(), 0x600, kl, ' ', "T.CDX");
  REQUIRE(n.count() == 3);
  REQUIRE(n.clean == 3);
  // Counted as stored: more than this encoder would need, never less.
  REQUIRE(n.size == 24 + 3 * 3 + 3 * kl);
  REQUIRE(n.size > leaf_size(n, ' '));
  n.insert(3, "BETAMAX   ", 4);
  Page out{};
  REQUIRE(encode_node(n, kl, ' ', out.data(), foreign.data()));
  // The three entries and their key bytes are the other program's, byte for byte.
  CHECK(std::memcmp(out.data() + 24, foreign.data() + 24, 9) == 0);
  CHECK(std::memcmp(out.data() + kPageSize - 3 * kl, foreign.data() + kPageSize - 3 * kl, 3 * kl) == 0);
  Node back = parse_node(out.data(), 0x600, kl, ' ', "T.CDX");
  CHECK(back.keys == n.keys);
  CHECK(back.recnos == n.recnos);
  // "BETAMAX" after "BETA": four bytes shared, three trailing blanks, three stored.
  CHECK(coding::get_le16(out.data() + 12) == kPageSize - 24 - 4 * 3 - 3 * kl - 3);
  // A change before them makes the page this encoder's own again.
  n.insert(0, "AARDVARK  ", 5);
  Page whole{};
  REQUIRE(encode_node(n, kl, ' ', out.data(), foreign.data()));
  REQUIRE(encode_node(n, kl, ' ', whole.data()));
  CHECK(std::memcmp(out.data(), whole.data(), kPageSize) == 0);
}

TEST_CASE("A leaf in another program's entry layout is encoded whole", "[cdx]") {
  // Four-byte entries where this encoder would use three: nothing of the page is kept.
  const uint16_t kl = 10;
  Node n = leaf(kl);
  n.insert(0, "ALPHA", 1);
  n.insert(1, "BETA", 2);
  Page ours{};
  REQUIRE(encode_node(n, kl, ' ', ours.data()));
  Page wide{};
  Node widened = n;
  widened.insert(2, "GAMMA", 0x01000000);  // needs four-byte entries
  REQUIRE(encode_node(widened, kl, ' ', wide.data()));
  Node read = parse_node(wide.data(), 0x600, kl, ' ', "T.CDX");
  REQUIRE(read.clean == 3);
  read.erase(2);  // back to small record numbers: three-byte entries again
  Page out{}, whole{};
  REQUIRE(encode_node(read, kl, ' ', out.data(), wide.data()));
  REQUIRE(encode_node(read, kl, ' ', whole.data()));
  CHECK(std::memcmp(out.data(), whole.data(), kPageSize) == 0);
  CHECK(std::memcmp(out.data(), ours.data(), kPageSize) == 0);
  // An interior page as `before` is never taken for a leaf.
  Node inner(kl);
  inner.attr = kAttrIndex;
  inner.insert(0, "ALPHA", 1, 0x800);
  Page interior{};
  REQUIRE(encode_node(inner, kl, ' ', interior.data()));
  Node again = n;
  again.clean = 2;
  REQUIRE(encode_node(again, kl, ' ', out.data(), interior.data()));
  CHECK(std::memcmp(out.data(), ours.data(), kPageSize) == 0);
}

TEST_CASE("A full leaf another program compressed less takes one more key in a whole encoding", "[cdx]") {
  // Found by the second reader: the page's own byte count (505 of 512, every key stored whole)
  // passes the page with one more key, the measure of this encoder's compression does not
  // (Tree::fits() says it fits, nothing splits), and keeping the other program's entries left
  // no room: every flush of the page failed with "internal: index page overflow".
  const uint16_t kl = 10;
  const size_t count = (kPageSize - 24) / (3 + kl);  // 37 entries, 505 bytes
  std::vector<std::string> keys;
  for (size_t i = 0; i < count; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "KEY%07zu", i);
    keys.emplace_back(key, kl);
  }
  const Page foreign = stored_whole(keys, kl);
  Node n = parse_node(foreign.data(), 0x600, kl, ' ', "T.CDX");
  REQUIRE(n.count() == count);
  REQUIRE(n.size == kPageSize - 7);
  n.insert(count, "KEY9999999", uint32_t(count + 1));
  REQUIRE(leaf_size(n, ' ') <= kPageSize);
  Page out{}, whole{};
  REQUIRE(encode_node(n, kl, ' ', out.data(), foreign.data()));
  REQUIRE(encode_node(n, kl, ' ', whole.data()));
  CHECK(std::memcmp(out.data(), whole.data(), kPageSize) == 0);
  // The same with the page as its own `before` (encoded in place).
  Page in_place = foreign;
  REQUIRE(encode_node(n, kl, ' ', in_place.data(), in_place.data()));
  CHECK(std::memcmp(in_place.data(), whole.data(), kPageSize) == 0);
  Node back = parse_node(out.data(), 0x600, kl, ' ', "T.CDX");
  CHECK(back.keys == n.keys);
  CHECK(back.recnos == n.recnos);
}

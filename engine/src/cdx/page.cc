#include "cdx/page.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "util/coding.h"

namespace xbase::cdx {

using namespace coding;

namespace {

[[noreturn]] void corrupt(const std::string& file, uint64_t off, const std::string& msg) {
  throw Error(Errc::corrupt, {file, off, {}, {}}, msg);
}

std::string c_string(const uint8_t* p, size_t max) {
  size_t n = 0;
  while (n < max && p[n]) ++n;
  return std::string(reinterpret_cast<const char*>(p), n);
}

}  // namespace

TagHeader parse_tag_header(const uint8_t* p, uint64_t off, const std::string& file) {
  namespace th = tag_header;
  TagHeader h;
  h.root = get_le32(p + th::root);
  h.free_list = get_le32(p + th::free_list);
  h.version = get_be32(p + th::version);
  h.key_length = get_le16(p + th::key_length);
  h.options = p[th::options];
  h.signature = p[th::signature];
  if (h.key_length == 0 || h.key_length > kMaxKeyLength)
    corrupt(file, off + th::key_length, fmt::format("tag key length {} is outside 1..{}", h.key_length, kMaxKeyLength));
  if (h.root == 0 || h.root == kNone || h.root % kPageSize != 0)
    corrupt(file, off, fmt::format("tag root pointer {} is not a page offset", h.root));
  h.collation = c_string(p + th::collation, th::collation_size);
  h.descending = get_le16(p + th::descending) != 0;
  uint16_t for_pos = get_le16(p + th::for_pos), for_len = get_le16(p + th::for_len);
  uint16_t key_pos = get_le16(p + th::key_pos), key_len = get_le16(p + th::key_len);
  const uint8_t* pool = p + th::pool;
  auto expr = [&](uint16_t pos, uint16_t len) -> std::string {
    if (pos >= th::pool_size) corrupt(file, off + th::for_pos, "expression offset past the expression pool");
    return c_string(pool + pos, std::min<size_t>(len ? len : th::pool_size, th::pool_size - size_t(pos)));
  };
  h.key_expr = expr(key_pos, key_len);
  if (for_pos == 0 && key_pos == 0) {
    // Writers that leave the positions 0 put the FOR expression right after the key's NUL.
    size_t after = h.key_expr.size() + 1;
    h.for_expr = after < th::pool_size ? c_string(pool + after, th::pool_size - after) : "";
  } else {
    h.for_expr = expr(for_pos, for_len);
  }
  return h;
}

void Node::insert(size_t i, std::string_view k, uint32_t r, uint32_t c, char fill) {
  const size_t at = i * kl;
  if (k.size() >= kl) {
    keys.insert(at, k.data(), kl);
  } else {
    keys.insert(at, kl, fill);
    keys.replace(at, k.size(), k.data(), k.size());
  }
  recnos.insert(recnos.begin() + long(i), r);
  children.insert(children.begin() + long(i), c);
  clean = std::min(clean, i);
}

void Node::erase(size_t i) {
  keys.erase(i * kl, kl);
  recnos.erase(recnos.begin() + long(i));
  children.erase(children.begin() + long(i));
  clean = std::min(clean, i);
}

void Node::set(size_t i, std::string_view k, uint32_t r) {
  std::memcpy(keys.data() + i * kl, k.data(), std::min<size_t>(k.size(), kl));
  recnos[i] = r;
  clean = std::min(clean, i);
}

void Node::append(const Node& o, size_t from, size_t to) {
  keys.append(o.keys, from * o.kl, (to - from) * o.kl);
  recnos.insert(recnos.end(), o.recnos.begin() + long(from), o.recnos.begin() + long(to));
  children.insert(children.end(), o.children.begin() + long(from), o.children.begin() + long(to));
}

namespace {

// A leaf entry's bits: `eb` bytes, least significant first (record number, then duplicate and
// trailing counts).
uint64_t entry_bits(const uint8_t* e, int eb) {
  uint64_t v = 0;
  for (int b = eb - 1; b >= 0; --b) v = (v << 8) | e[b];
  return v;
}

// The 12 bytes every node starts with: attribute, count, left and right siblings.
void put_node_header(uint8_t* p, const Node& n) {
  put_le16(p, n.attr);
  put_le16(p + 2, uint16_t(n.count()));
  put_le32(p + 4, n.left);
  put_le32(p + 8, n.right);
}

struct LeafLayout {
  int dup_bits, rec_bits, eb;
};
LeafLayout leaf_layout(uint32_t max_rec, uint16_t kl);
// The page's layout bytes (14..23) are the ones this encoder writes for `l`.
bool layout_is(const uint8_t* p, const LeafLayout& l);

void parse_into(Node& n, const uint8_t* p, uint64_t off, uint16_t kl, uint8_t fill, const std::string& file) {
  n.kl = kl;
  n.attr = get_le16(p);
  uint16_t count = get_le16(p + 2);
  n.left = get_le32(p + 4);
  n.right = get_le32(p + 8);
  n.size = n.entry_bytes = n.clean = 0;
  if (n.attr > 7)
    corrupt(file, off, fmt::format("page attribute {} is not an index page (free page?)", n.attr));
  // A leaf gets a few entries of room: the insert that follows a page read does not move the
  // buffers.
  const size_t room = n.leaf() ? 4 : 0;
  n.keys.reserve((size_t(count) + room) * kl);
  n.recnos.reserve(size_t(count) + room);
  n.children.reserve(size_t(count) + room);
  n.keys.resize(size_t(count) * kl);
  n.recnos.resize(count);
  n.children.assign(count, 0);
  if (!n.leaf()) {
    size_t per = size_t(kl) + 8;
    if (12 + count * per > kPageSize)
      corrupt(file, off + 2, fmt::format("{} keys of {} bytes do not fit an interior page", count, kl));
    for (uint16_t i = 0; i < count; ++i) {
      const uint8_t* e = p + 12 + i * per;
      std::memcpy(n.keys.data() + size_t(i) * kl, e, kl);
      n.recnos[i] = get_be32(e + kl);
      n.children[i] = get_be32(e + kl + 4);
    }
    return;
  }
  uint32_t rec_mask = get_le32(p + 14);
  uint8_t dup_mask = p[18], trail_mask = p[19];
  uint8_t rec_bits = p[20], dup_bits = p[21], trail_bits = p[22], eb = p[23];
  if (eb == 0 || eb > 8 || rec_bits + dup_bits + trail_bits > eb * 8 || rec_bits > 32)
    corrupt(file, off + 20,
            fmt::format("leaf bit layout {}+{}+{} bits in {} bytes is impossible", rec_bits,
                        dup_bits, trail_bits, eb));
  if (24 + size_t(count) * eb > kPageSize)
    corrupt(file, off + 2, fmt::format("{} entries of {} bytes do not fit a leaf page", count, eb));
  size_t pool_end = kPageSize;                 // keys grow down from the end of the page
  const size_t table_end = 24 + size_t(count) * eb;
  char* out = n.keys.data();
  uint32_t max_rec = 0;
  for (uint16_t i = 0; i < count; ++i) {
    const uint64_t v = entry_bits(p + 24 + size_t(i) * eb, eb);
    uint32_t recno = uint32_t(v & rec_mask);
    size_t dup = size_t((v >> rec_bits) & dup_mask);
    size_t trail = size_t((v >> (rec_bits + dup_bits)) & trail_mask);
    if (dup + trail > kl || (i == 0 && dup != 0))
      corrupt(file, off + 24 + size_t(i) * eb,
              fmt::format("leaf entry {} has duplicate count {} and trailing count {} for a "
                          "{}-byte key",
                          i, dup, trail, kl));
    size_t stored = kl - dup - trail;
    if (pool_end < table_end + stored)
      corrupt(file, off + 24 + size_t(i) * eb,
              fmt::format("leaf entry {}: key bytes run into the entry table", i));
    pool_end -= stored;
    // The first `dup` bytes repeat the previous key, which lies just before this one.
    char* k = out + size_t(i) * kl;
    if (dup) std::memcpy(k, k - kl, dup);
    std::memcpy(k + dup, p + pool_end, stored);
    std::memset(k + dup + stored, fill, trail);
    if (recno == 0) corrupt(file, off + 24 + size_t(i) * eb, fmt::format("leaf entry {} has record number 0", i));
    n.recnos[i] = recno;
    max_rec = std::max(max_rec, recno);
  }
  n.clean = count;
  // In this encoder's layout the page's bytes are what its entries cost here, or more when
  // another program compressed a key less: Tree::fits() need not measure it again.
  const LeafLayout l = leaf_layout(max_rec, kl);
  if (layout_is(p, l)) {
    n.size = table_end + (kPageSize - pool_end);
    n.entry_bytes = size_t(l.eb);
  }
}

}  // namespace

void parse_node_into(Node& n, const uint8_t* p, uint64_t off, uint16_t kl, uint8_t fill, const std::string& file) {
  try {
    parse_into(n, p, off, kl, fill, file);
  } catch (...) {
    n.clear();
    n.attr = 0;
    throw;
  }
}

Node parse_node(const uint8_t* p, uint64_t off, uint16_t kl, uint8_t fill, const std::string& file) {
  Node n;
  parse_node_into(n, p, off, kl, fill, file);
  return n;
}

namespace {

int bits_for(uint64_t v) {
  int b = 0;
  while (v) {
    ++b;
    v >>= 1;
  }
  return b;
}

LeafLayout leaf_layout(uint32_t max_rec, uint16_t kl) {
  int b = bits_for(kl);
  // Three bytes per entry to start with (as Harbour and VFP write small tables), one more
  // whenever a record number of this page does not fit.
  int eb = 3;
  while (eb * 8 - 2 * b < bits_for(max_rec)) ++eb;
  return {b, eb * 8 - 2 * b, eb};
}

uint32_t max_recno(const Node& n, size_t from, size_t to) {
  uint32_t m = 0;
  for (size_t i = from; i < to; ++i) m = std::max(m, n.recnos[i]);
  return m;
}

// Both run for every key of every leaf written: eight bytes at a time, the first differing
// byte of a word found from its bit pattern (memory order is the word's byte order).
size_t trailing(std::string_view k, uint8_t fill) {
  const uint64_t pattern = 0x0101010101010101ull * fill;
  size_t t = 0;
  const size_t n = k.size();
  while (t + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, k.data() + n - t - 8, 8);
    if (w != pattern) {
      const uint64_t x = w ^ pattern;
      // The last bytes in memory that still match, counted from the word's end.
      return t + size_t(std::endian::native == std::endian::little ? std::countl_zero(x) : std::countr_zero(x)) / 8;
    }
    t += 8;
  }
  while (t < n && uint8_t(k[n - 1 - t]) == fill) ++t;
  return t;
}

size_t common_prefix(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i + 8 <= n) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y)
      return i + size_t(std::endian::native == std::endian::little ? std::countr_zero(x ^ y) : std::countl_zero(x ^ y)) / 8;
    i += 8;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

size_t leaf_entry_bytes(uint32_t max_rec, uint16_t kl) { return size_t(leaf_layout(max_rec, kl).eb); }

size_t leaf_entry_bytes(const Node& n) { return leaf_entry_bytes(max_recno(n, 0, n.count()), n.kl); }

size_t leaf_key_cost(std::string_view prev, std::string_view key, uint8_t fill) {
  size_t trail = trailing(key, fill);
  size_t dup = prev.empty() ? 0 : std::min(common_prefix(prev, key), key.size() - trail);
  return key.size() - dup - trail;
}

size_t leaf_size(const Node& n, uint8_t fill, size_t from, size_t to) {
  to = std::min(to, n.count());
  LeafLayout l = leaf_layout(max_recno(n, from, to), n.kl);
  size_t total = 24 + (to - from) * size_t(l.eb);
  for (size_t i = from; i < to; ++i) total += leaf_key_cost(i > from ? n.key(i - 1) : std::string_view(), n.key(i), fill);
  return total;
}

namespace {

void put_layout(uint8_t* p, const LeafLayout& l) {
  put_le32(p + 14, l.rec_bits >= 32 ? 0xFFFFFFFFu : (1u << l.rec_bits) - 1);
  p[18] = uint8_t((1u << l.dup_bits) - 1);
  p[19] = uint8_t((1u << l.dup_bits) - 1);
  p[20] = uint8_t(l.rec_bits);
  p[21] = uint8_t(l.dup_bits);
  p[22] = uint8_t(l.dup_bits);
  p[23] = uint8_t(l.eb);
}

bool layout_is(const uint8_t* p, const LeafLayout& l) {
  uint8_t want[24];
  put_layout(want, l);
  return std::memcmp(p + 14, want + 14, 10) == 0;
}

// How many of the node's first entries can keep their bytes in `before` (Node::clean, when
// `before` is a leaf of layout `l`), and in `pool` where their key bytes end. The entries'
// own counts are walked rather than the page's free-space field believed.
size_t kept_entries(const Node& n, uint16_t kl, const uint8_t* before, const LeafLayout& l, size_t& pool) {
  if (!(get_le16(before) & kAttrLeaf) || !layout_is(before, l)) return 0;
  const size_t keep = std::min({n.clean, n.count(), size_t(get_le16(before + 2))});
  const uint64_t mask = (1u << l.dup_bits) - 1;
  size_t stored = 0;
  for (size_t i = 0; i < keep; ++i) {
    const uint64_t v = entry_bits(before + 24 + i * size_t(l.eb), l.eb);
    const size_t dup = size_t((v >> l.rec_bits) & mask), trail = size_t((v >> (l.rec_bits + l.dup_bits)) & mask);
    if (dup + trail > kl) return 0;
    stored += kl - dup - trail;
  }
  if (24 + keep * size_t(l.eb) + stored > kPageSize) return 0;
  pool = kPageSize - stored;
  return keep;
}

// Entries [from, count) of a leaf into `p`, their key bytes below `pool`; false when they do
// not fit above the entry table.
bool encode_entries(const Node& n, uint16_t kl, uint8_t fill, const LeafLayout& l, size_t from,
                    size_t table_end, size_t& pool, uint8_t* p) {
  for (size_t i = from; i < n.count(); ++i) {
    std::string_view k = n.key(i);
    size_t trail = trailing(k, fill);
    size_t dup = i ? std::min(common_prefix(n.key(i - 1), k), kl - trail) : 0;
    size_t stored = kl - dup - trail;
    if (pool < table_end + stored) return false;
    pool -= stored;
    std::memcpy(p + pool, k.data() + dup, stored);
    uint64_t v = uint64_t(n.recnos[i]) | (uint64_t(dup) << l.rec_bits) |
                 (uint64_t(trail) << (l.rec_bits + l.dup_bits));
    uint8_t* e = p + 24 + i * size_t(l.eb);
    for (int b = 0; b < l.eb; ++b) e[b] = uint8_t(v >> (8 * b));
  }
  return pool >= table_end;
}

}  // namespace

bool encode_node(const Node& n, uint16_t kl, uint8_t fill, uint8_t* p, const uint8_t* before) {
  if (n.kl != kl && !n.empty()) return false;  // keys laid out for another key length
  if (!n.leaf()) {
    if (n.count() > interior_capacity(kl)) return false;
    put_node_header(p, n);
    size_t per = size_t(kl) + 8;
    for (size_t i = 0; i < n.count(); ++i) {
      uint8_t* e = p + 12 + i * per;
      std::memcpy(e, n.key(i).data(), kl);
      put_be32(e + kl, n.recnos[i]);
      put_be32(e + kl + 4, n.children[i]);
    }
    std::fill(p + 12 + n.count() * per, p + kPageSize, 0);
    return true;
  }
  const LeafLayout l = leaf_layout(max_recno(n, 0, n.count()), kl);
  const size_t table_end = 24 + n.count() * size_t(l.eb);
  if (table_end > kPageSize) return false;
  // `before` is read before anything is written: it may be `p` itself.
  size_t pool = kPageSize;
  const size_t from = before && n.clean ? kept_entries(n, kl, before, l, pool) : 0;
  bool fits = false;
  if (from) {
    if (p != before) {
      std::memcpy(p + 24, before + 24, from * size_t(l.eb));
      std::memcpy(p + pool, before + pool, kPageSize - pool);
    }
    fits = encode_entries(n, kl, fill, l, from, table_end, pool, p);
  }
  // Nothing kept, or kept entries another program compressed less leave no room for the rest:
  // the whole page, as compact as this encoder makes it (Tree::fits() measured that).
  if (!fits) {
    pool = kPageSize;
    if (!encode_entries(n, kl, fill, l, 0, table_end, pool, p)) return false;
  }
  put_node_header(p, n);
  std::fill(p + table_end, p + pool, 0);
  put_le16(p + 12, uint16_t(pool - table_end));
  put_layout(p, l);
  return true;
}

void encode_tag_header(const TagHeader& h, uint8_t* p) {
  namespace th = tag_header;
  std::fill(p, p + kTagHeaderSize, 0);
  put_le32(p + th::root, h.root);
  put_le32(p + th::free_list, h.free_list);
  put_be32(p + th::version, h.version);
  put_le16(p + th::key_length, h.key_length);
  p[th::options] = h.options;
  p[th::signature] = h.signature;
  std::memcpy(p + th::collation, h.collation.data(), std::min<size_t>(h.collation.size(), th::collation_size));
  put_le16(p + th::descending, h.descending ? 1 : 0);
  // Expression pool: key, NUL, FOR condition, NUL; the key at position 0 (reference 4.2).
  size_t klen = std::min<size_t>(h.key_expr.size(), th::pool_size - 2);
  size_t flen = std::min<size_t>(h.for_expr.size(), th::pool_size - 2 - klen);
  put_le16(p + th::for_pos, uint16_t(klen + 1));
  put_le16(p + th::for_len, uint16_t(flen + 1));
  put_le16(p + th::key_pos, 0);
  put_le16(p + th::key_len, uint16_t(klen + 1));
  std::memcpy(p + th::pool, h.key_expr.data(), klen);
  std::memcpy(p + th::pool + klen + 1, h.for_expr.data(), flen);
}

}  // namespace xbase::cdx

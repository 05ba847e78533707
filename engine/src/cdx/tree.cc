#include "cdx/tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace xbase::cdx {

namespace {
// std::char_traits<char> compares as unsigned char (guaranteed by the standard), which is
// exactly the memcmp order keys sort in.
static_assert(std::char_traits<char>::lt(char(0x7F), char(0x80)), "keys must compare unsigned");
}  // namespace

// ------------------------------------------------------------------ bulk build

uint32_t build_tree(PageStore& store, const EntrySource& next, uint32_t max_recno, TreeParams p) {
  struct Built {
    uint32_t off;
    std::string key;  // the last entry of the page
    uint32_t recno;
  };
  std::vector<Built> level;
  // Leaves: as many entries as fit, left to right; each written once the next one starts.
  const size_t eb = leaf_entry_bytes(max_recno, p.key_length);
  Node cur(p.key_length);
  cur.attr = kAttrLeaf;
  uint32_t cur_off = store.reserve();
  size_t size = 24;
  std::string_view key;
  uint32_t recno = 0;
  auto close_leaf = [&](uint32_t right) {
    cur.right = right;
    store.write_node(cur_off, cur, p.key_length, p.fill);
    if (cur.empty())
      level.push_back({cur_off, std::string(p.key_length, char(p.fill)), 0});
    else
      level.push_back({cur_off, std::string(cur.key(cur.count() - 1)), cur.recnos.back()});
  };
  while (next(key, recno)) {
    std::string_view prev = cur.empty() ? std::string_view() : cur.key(cur.count() - 1);
    size_t add = eb + leaf_key_cost(prev, key, p.fill);
    if (!cur.empty() && size + add > kPageSize) {
      uint32_t next_off = store.reserve();
      close_leaf(next_off);
      cur.clear();
      cur.left = level.back().off;
      cur_off = next_off;
      size = 24;
      add = eb + leaf_key_cost({}, key, p.fill);
    }
    size += add;
    cur.push_back(key, recno, 0, char(p.fill));
  }
  if (level.empty()) cur.attr |= kAttrRoot;  // a single leaf is the root (an empty tag too)
  close_leaf(kNone);
  // Interior levels until one page remains.
  const size_t cap = interior_capacity(p.key_length);
  while (level.size() > 1) {
    std::vector<Built> up;
    size_t pages = (level.size() + cap - 1) / cap;
    std::vector<uint32_t> offs;
    for (size_t i = 0; i < pages; ++i) offs.push_back(store.reserve());
    for (size_t i = 0; i < pages; ++i) {
      Node n(p.key_length);
      n.attr = uint16_t(pages == 1 ? kAttrIndex | kAttrRoot : kAttrIndex);
      n.left = i ? offs[i - 1] : kNone;
      n.right = i + 1 < pages ? offs[i + 1] : kNone;
      // Spread children evenly so the last page is not nearly empty.
      size_t from = level.size() * i / pages, to = level.size() * (i + 1) / pages;
      for (size_t j = from; j < to; ++j) n.push_back(level[j].key, level[j].recno, level[j].off, char(p.fill));
      store.write_node(offs[i], n, p.key_length, p.fill);
      up.push_back({offs[i], level[to - 1].key, level[to - 1].recno});
    }
    level = std::move(up);
  }
  store.end_writes();
  return level[0].off;
}

uint32_t build_tree(PageStore& store, const std::vector<Entry>& sorted, TreeParams p) {
  size_t i = 0;
  uint32_t max_recno = 0;
  for (const auto& e : sorted) max_recno = std::max(max_recno, e.recno);
  return build_tree(store, [&](std::string_view& key, uint32_t& recno) {
    if (i >= sorted.size()) return false;
    key = sorted[i].key;
    recno = sorted[i++].recno;
    return true;
  }, max_recno, p);
}

// ------------------------------------------------------------------ incremental changes

bool Tree::fits(Node& n) const {
  if (!n.leaf()) return n.count() <= interior_capacity(p_.key_length);
  if (n.size && n.size <= kPageSize) return true;
  n.size = leaf_size(n, p_.fill);
  n.entry_bytes = leaf_entry_bytes(n);
  return n.size <= kPageSize;
}

// Size bookkeeping for one entry inserted at (or erased from) position i of a leaf: only the
// entry and its right neighbour's prefix compression change.
void Tree::account(Node& n, size_t i, bool inserted, std::string_view key, uint32_t recno) const {
  if (!n.size) return;
  if (inserted && leaf_entry_bytes(recno, p_.key_length) > n.entry_bytes) {
    n.size = 0;  // the whole page widens: measure again
    return;
  }
  std::string_view prev = i ? n.key(i - 1) : std::string_view();
  std::string_view next;
  if (inserted ? i + 1 < n.count() : i < n.count()) next = n.key(inserted ? i + 1 : i);
  long with = long(n.entry_bytes + leaf_key_cost(prev, key, p_.fill));
  if (!next.empty()) with += long(leaf_key_cost(key, next, p_.fill)) - long(leaf_key_cost(prev, next, p_.fill));
  // After an erase the width may shrink; the size then over-estimates, which fits() corrects.
  n.size = size_t(long(n.size) + (inserted ? with : -with));
}

Tree::Path Tree::descend(std::string_view key, uint32_t recno) {
  Path path;
  uint32_t off = root_;
  for (int depth = 0;; ++depth) {
    if (depth > 32) throw Error(Errc::corrupt, {store_.file().path(), off, {}, {}}, "index tree deeper than 32 levels");
    const Node& n = at(off);
    // The first entry >= (key, recno); in an interior node its child holds the key (the last
    // child when the key is past every separator).
    size_t lo = 0, hi = n.count();
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (entry_less(n.key(mid), n.recnos[mid], key, recno))
        lo = mid + 1;
      else
        hi = mid;
    }
    if (n.leaf()) {
      path.push_back({off, lo});
      return path;
    }
    if (n.empty()) throw Error(Errc::corrupt, {store_.file().path(), off, {}, {}}, "interior page without keys");
    size_t i = std::min(lo, n.count() - 1);
    path.push_back({off, i});
    off = n.children[i];
  }
}

// After the last entry of the node at path[level] changed, parents' separators follow.
void Tree::fix_separators(Path& path, size_t level) {
  for (size_t l = level; l > 0; --l) {
    Node& child = at(path[l].page);
    if (child.empty()) return;
    Node& parent = at(path[l - 1].page);
    size_t i = path[l - 1].index, last = child.count() - 1;
    if (parent.key(i) == child.key(last) && parent.recnos[i] == child.recnos[last]) return;
    parent.set(i, child.key(last), child.recnos[last]);
    store_.mark_dirty(path[l - 1].page);
    if (i + 1 != parent.count()) return;
  }
}

// Cuts an overfull node's entries into pieces that each fit a page: leaves by bytes (the first
// piece about half, the rest as full as they go, since removing a neighbour can change how
// well a key compresses), interior nodes by count.
std::vector<Node> Tree::pieces(const Node& n) const {
  std::vector<Node> out;
  auto piece = [&] { out.emplace_back(p_.key_length); };
  if (!n.leaf()) {
    size_t cap = interior_capacity(p_.key_length);
    size_t k = std::max<size_t>(2, (n.count() + cap - 1) / cap);
    for (size_t j = 0; j < k; ++j) {
      piece();
      out.back().append(n, n.count() * j / k, n.count() * (j + 1) / k);
    }
    return out;
  }
  const size_t total = leaf_size(n, p_.fill);
  const size_t eb = leaf_entry_bytes(n);  // widest: safe for every piece
  size_t size = 24, from = 0;
  for (size_t i = 0; i < n.count(); ++i) {
    size_t add = eb + leaf_key_cost(i ? n.key(i - 1) : std::string_view(), n.key(i), p_.fill);
    size_t fresh = eb + leaf_key_cost({}, n.key(i), p_.fill);
    bool close = i > from && (size + add > kPageSize || (out.empty() && size >= total / 2));
    if (close) {
      piece();
      out.back().append(n, from, i);
      from = i;
      size = 24 + fresh;
    } else {
      size += add;
    }
  }
  piece();
  out.back().append(n, from, n.count());
  return out;
}

void Tree::split(Path& path, size_t level) {
  uint32_t off = path[level].page;
  std::vector<Node> parts = pieces(at(off));
  uint16_t attr = uint16_t(at(off).attr & ~kAttrRoot);
  std::vector<uint32_t> offs = {off};
  for (size_t j = 1; j < parts.size(); ++j) {
    Node n(p_.key_length);
    n.attr = attr;
    offs.push_back(store_.allocate(std::move(n), p_.key_length, p_.fill));
  }
  uint32_t after = at(off).right;
  for (size_t j = 0; j < parts.size(); ++j) {
    Node& n = at(offs[j]);
    n.attr = attr;
    n.take_entries(std::move(parts[j]));
    if (j) n.left = offs[j - 1];
    n.right = j + 1 < offs.size() ? offs[j + 1] : after;
    store_.mark_dirty(offs[j]);
  }
  if (after != kNone) {
    at(after).left = offs.back();
    store_.mark_dirty(after);
  }
  Node seps(p_.key_length);
  for (uint32_t o : offs) {
    const Node& n = at(o);
    seps.push_back(n.key(n.count() - 1), n.recnos.back(), o);
  }
  if (level == 0) {
    // The root split: a new root above the pieces (split again if even that is too full).
    seps.attr = kAttrIndex | kAttrRoot;
    root_ = store_.allocate(std::move(seps), p_.key_length, p_.fill);
    Path top(Step{root_, 0});
    if (!fits(at(root_))) split(top, 0);
    return;
  }
  Node& parent = at(path[level - 1].page);
  size_t i = path[level - 1].index;
  parent.set(i, seps.key(0), seps.recnos[0]);
  parent.children[i] = seps.children[0];
  for (size_t j = 1; j < seps.count(); ++j) parent.insert(i + j, seps.key(j), seps.recnos[j], seps.children[j]);
  store_.mark_dirty(path[level - 1].page);
  if (!fits(parent)) split(path, level - 1);
}

void Tree::insert(std::string_view key, uint32_t recno) {
  // Pages are encoded assuming every key is exactly key_length bytes; a tag header whose key
  // length disagrees with its expression's keys (a corrupt file) must not get that far.
  if (key.size() != p_.key_length)
    throw Error(Errc::corrupt, {store_.file().path(), root_, {}, {}},
                fmt::format("a key of {} bytes does not fit the tag's key length {}", key.size(),
                            p_.key_length));
  auto path = descend(key, recno);
  Node& leaf = at(path.back().page);
  size_t i = path.back().index;
  leaf.insert(i, key, recno);
  account(leaf, i, true, key, recno);
  store_.mark_dirty(path.back().page);
  if (i + 1 == leaf.count()) fix_separators(path, path.size() - 1);
  if (!fits(at(path.back().page))) split(path, path.size() - 1);
}

// Takes a page out of its level's sibling chain (before it is released).
void Tree::unlink(const Node& n) {
  if (n.left != kNone) {
    at(n.left).right = n.right;
    store_.mark_dirty(n.left);
  }
  if (n.right != kNone) {
    at(n.right).left = n.left;
    store_.mark_dirty(n.right);
  }
}

// Removes the child at path[level] from its parent (the child is empty and already released).
void Tree::remove_child(Path& path, size_t level) {
  Node& parent = at(path[level - 1].page);
  size_t i = path[level - 1].index;
  parent.erase(i);
  store_.mark_dirty(path[level - 1].page);
  if (parent.empty() && level - 1 > 0) {
    uint32_t poff = path[level - 1].page;
    unlink(parent);
    store_.release(poff);
    remove_child(path, level - 1);
    return;
  }
  if (i == parent.count() && !parent.empty()) {
    path[level - 1].index = parent.count() - 1;
    fix_separators(path, level - 1);
  }
  // A root with one child hands the root over to that child.
  if (level - 1 == 0 && parent.count() == 1 && !parent.leaf()) {
    uint32_t child = parent.children[0];
    store_.release(path[0].page);
    Node& c = at(child);
    c.attr |= kAttrRoot;
    c.left = c.right = kNone;
    store_.mark_dirty(child);
    root_ = child;
  }
}

void Tree::maybe_merge(Path& path) {
  // Merge a leaf that fell below a quarter page into its right neighbour under the same
  // parent when both fit comfortably in one page.
  size_t level = path.size() - 1;
  if (level == 0) return;
  uint32_t off = path[level].page;
  Node& n = at(off);
  size_t used = n.size ? n.size : leaf_size(n, p_.fill);
  if (used > kPageSize / 4) return;
  Node& parent = at(path[level - 1].page);
  size_t i = path[level - 1].index;
  if (i + 1 >= parent.count()) return;
  uint32_t roff = parent.children[i + 1];
  Node& r = at(roff);
  Node both(p_.key_length);
  both.append(at(off), 0, at(off).count());
  both.append(r, 0, r.count());
  if (leaf_size(both, p_.fill) > kPageSize * 3 / 4) return;
  // Move this leaf's entries into the right neighbour and drop this leaf.
  r.take_entries(std::move(both));
  store_.mark_dirty(roff);
  Node& me = at(off);
  r.left = me.left;
  if (me.left != kNone) {
    at(me.left).right = roff;
    store_.mark_dirty(me.left);
  }
  store_.release(off);
  remove_child(path, level);
}

bool Tree::erase(std::string_view key, uint32_t recno) {
  auto path = descend(key, recno);
  uint32_t off = path.back().page;
  Node& leaf = at(off);
  size_t i = path.back().index;
  if (i >= leaf.count() || leaf.key(i) != key || leaf.recnos[i] != recno) return false;
  leaf.erase(i);
  account(leaf, i, false, key, recno);
  store_.mark_dirty(off);
  size_t level = path.size() - 1;
  if (leaf.empty() && level > 0) {
    unlink(leaf);
    store_.release(off);
    remove_child(path, level);
    return true;
  }
  if (i == leaf.count() && !leaf.empty()) fix_separators(path, level);
  // The next key may compress less against its new neighbour: the leaf can grow on erase.
  if (!fits(at(off))) {
    split(path, level);
    return true;
  }
  maybe_merge(path);
  return true;
}

std::pair<uint32_t, size_t> Tree::lower_bound(std::string_view key, uint32_t recno) {
  auto path = descend(key, recno);
  uint32_t off = path.back().page;
  size_t i = path.back().index;
  // Past the end of this leaf: the answer is the first entry of the next one.
  while (off != kNone && i >= leaf(off).count()) {
    off = leaf(off).right;
    i = 0;
  }
  return {off, i};
}

bool Tree::contains_key(std::string_view key) {
  auto [off, i] = lower_bound(key, 0);
  return off != kNone && leaf(off).key(i) == key;
}

std::pair<uint32_t, size_t> Tree::first() { return lower_bound(std::string_view(), 0); }

std::pair<uint32_t, size_t> Tree::last() {
  uint32_t off = root_;
  for (int d = 0; d < 40; ++d) {
    const Node& n = at(off);
    if (n.leaf()) {
      // An empty last leaf can only be the root of an empty tag.
      if (n.empty()) return {kNone, 0};
      return {off, n.count() - 1};
    }
    if (n.empty()) break;
    off = n.children.back();
  }
  throw Error(Errc::corrupt, {store_.file().path(), off, {}, {}}, "cannot find the last leaf");
}

}  // namespace xbase::cdx

#include "cdx/tree.h"

#include <fmt/format.h>

#include <algorithm>

namespace xbase::cdx {

bool entry_less(const std::string& ka, uint32_t ra, const std::string& kb, uint32_t rb) {
  int c = ka.compare(kb);  // std::string compares as unsigned bytes (char_traits<char>::lt)
  return c < 0 || (c == 0 && ra < rb);
}

namespace {
// std::char_traits<char> compares as unsigned char (guaranteed by the standard), which is
// exactly the memcmp order keys sort in.
static_assert(std::char_traits<char>::lt(char(0x7F), char(0x80)), "keys must compare unsigned");
}  // namespace

// ------------------------------------------------------------------ PageStore

PageStore::PageStore(File& f, uint64_t size) : file_(f) { set_end(size); }

// New pages go after the last whole or partial page.
void PageStore::set_end(uint64_t size) {
  end_ = size;
  if (end_ % kPageSize) end_ += kPageSize - end_ % kPageSize;
}

Node& PageStore::node(uint32_t off, uint16_t kl, uint8_t fill) {
  auto it = cache_.find(off);
  if (it != cache_.end()) {
    // A page reached from two trees of different key layouts (a corrupt file: cross-linked
    // tags, or a directory whose header key length is not 10) must not be shared: its keys
    // would be encoded with the wrong length.
    if (it->second.key_length != kl || it->second.fill != fill)
      throw Error(Errc::corrupt, {file_.path(), off, {}, {}},
                  fmt::format("index page {} belongs to two trees (key lengths {} and {})", off,
                              it->second.key_length, kl));
    if (it->second.verified) return it->second.node;
  }
  if (cache_only_) throw NotCached{};
  if (off % kPageSize || off < kTagHeaderSize || uint64_t(off) + kPageSize > end_)
    throw Error(Errc::corrupt, {file_.path(), off, {}, {}},
                fmt::format("page pointer {} is not a page inside the file", off));
  std::array<uint8_t, kPageSize> page;
  if (file_.read_at(off, page.data(), kPageSize) != kPageSize)
    throw Error(Errc::corrupt, {file_.path(), off, {}, {}}, "short read of an index page");
  if (it != cache_.end()) {
    Cached& c = it->second;
    if (page != c.raw) {
      c.node = parse_node(page.data(), off, kl, fill, file_.path());
      c.raw = page;
    }
    c.verified = true;
    return c.node;
  }
  Node n = parse_node(page.data(), off, kl, fill, file_.path());
  return cache_.emplace(off, Cached{std::move(n), kl, fill, page, true}).first->second.node;
}

void PageStore::mark_dirty(uint32_t off) { dirty_.insert(off); }

uint32_t PageStore::allocate(Node n, uint16_t kl, uint8_t fill) {
  uint32_t off = uint32_t(end_);
  if (end_ + kPageSize > 0xFFFFFFFFull) throw Error(Errc::overflow, {file_.path(), {}, {}, {}}, "index file full (4 GB)");
  end_ += kPageSize;
  cache_[off] = Cached{std::move(n), kl, fill};
  dirty_.insert(off);
  return off;
}

void PageStore::release(uint32_t off) {
  cache_.erase(off);
  dirty_.erase(off);
  released_.insert(off);
}

void PageStore::write_raw(uint32_t off, const uint8_t* b, size_t n) { file_.write_at(off, b, n); }

uint32_t PageStore::append_raw(const uint8_t* b, size_t n) {
  uint32_t off = uint32_t(end_);
  file_.write_at(off, b, n);
  end_ += (n + kPageSize - 1) / kPageSize * kPageSize;
  return off;
}

void PageStore::flush() {
  if (dirty_.empty() && released_.empty()) return;
  // Contiguous dirty pages go out in one write.
  std::vector<uint8_t> buf;
  uint32_t run_start = 0, run_next = 0;
  auto emit = [&] {
    if (!buf.empty()) file_.write_at(run_start, buf.data(), buf.size());
    buf.clear();
  };
  for (uint32_t off : dirty_) {
    auto& c = cache_.at(off);
    if (buf.empty() || off != run_next) {
      emit();
      run_start = off;
    }
    size_t at = buf.size();
    buf.resize(at + kPageSize);
    if (!encode_node(c.node, c.key_length, c.fill, buf.data() + at))
      throw Error(Errc::corrupt, {file_.path(), off, {}, {}}, "internal: index page overflow");
    std::copy(buf.begin() + long(at), buf.begin() + long(at + kPageSize), c.raw.begin());
    c.verified = true;
    run_next = off + kPageSize;
  }
  emit();
  for (uint32_t off : released_) {
    uint8_t page[kPageSize] = {};
    page[0] = 0xFF;  // free page marker (Harbour writes the same attribute)
    file_.write_at(off, page, kPageSize);
  }
  dirty_.clear();
  released_.clear();
}

void PageStore::revalidate(uint64_t size) {
  for (uint32_t off : dirty_) cache_.erase(off);
  dirty_.clear();
  released_.clear();
  for (auto& [off, c] : cache_) c.verified = false;
  set_end(size);
}

// ------------------------------------------------------------------ bulk build

uint32_t PageStore::reserve() {
  if (end_ + kPageSize > 0xFFFFFFFFull) throw Error(Errc::overflow, {file_.path(), {}, {}, {}}, "index file full (4 GB)");
  uint32_t off = uint32_t(end_);
  end_ += kPageSize;
  return off;
}

void PageStore::write_node(uint32_t off, const Node& n, uint16_t kl, uint8_t fill) {
  uint8_t page[kPageSize];
  if (!encode_node(n, kl, fill, page))
    throw Error(Errc::corrupt, {file_.path(), off, {}, {}}, "internal: index page overflow");
  file_.write_at(off, page, kPageSize);
  cache_.erase(off);
}

uint32_t build_tree(PageStore& store, const EntrySource& next, uint32_t max_recno, TreeParams p) {
  struct Built {
    uint32_t off;
    Entry last;
  };
  std::vector<Built> level;
  // Leaves: as many entries as fit, left to right; each written once the next one starts.
  Entry probe;
  probe.recno = max_recno;
  const size_t eb = leaf_entry_bytes({probe}, p.key_length);
  Node cur;
  cur.attr = kAttrLeaf;
  uint32_t cur_off = store.reserve();
  size_t size = 24;
  Entry e, prev;
  bool have_prev = false;
  auto close_leaf = [&](uint32_t right) {
    cur.right = right;
    store.write_node(cur_off, cur, p.key_length, p.fill);
    level.push_back({cur_off, cur.entries.empty() ? Entry{} : cur.entries.back()});
  };
  while (next(e)) {
    size_t add = eb + leaf_key_cost(have_prev ? &prev : nullptr, e, p.key_length, p.fill);
    if (!cur.entries.empty() && size + add > kPageSize) {
      uint32_t next_off = store.reserve();
      close_leaf(next_off);
      cur = Node();
      cur.attr = kAttrLeaf;
      cur.left = level.back().off;
      cur_off = next_off;
      size = 24;
      add = eb + leaf_key_cost(nullptr, e, p.key_length, p.fill);
    }
    size += add;
    prev = e;
    have_prev = true;
    cur.entries.push_back(std::move(e));
    e = Entry();
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
      Node n;
      n.attr = uint16_t(pages == 1 ? kAttrIndex | kAttrRoot : kAttrIndex);
      n.left = i ? offs[i - 1] : kNone;
      n.right = i + 1 < pages ? offs[i + 1] : kNone;
      // Spread children evenly so the last page is not nearly empty.
      size_t from = level.size() * i / pages, to = level.size() * (i + 1) / pages;
      for (size_t j = from; j < to; ++j) {
        Entry c = level[j].last;
        c.child = level[j].off;
        n.entries.push_back(std::move(c));
      }
      store.write_node(offs[i], n, p.key_length, p.fill);
      up.push_back({offs[i], n.entries.back()});
    }
    level = std::move(up);
  }
  return level[0].off;
}

uint32_t build_tree(PageStore& store, const std::vector<Entry>& sorted, TreeParams p) {
  size_t i = 0;
  uint32_t max_recno = 0;
  for (const auto& e : sorted) max_recno = std::max(max_recno, e.recno);
  return build_tree(store, [&](Entry& e) {
    if (i >= sorted.size()) return false;
    e = sorted[i++];
    return true;
  }, max_recno, p);
}

// ------------------------------------------------------------------ incremental changes

bool Tree::fits(Node& n) const {
  if (!n.leaf()) return n.entries.size() <= interior_capacity(p_.key_length);
  if (n.size && n.size <= kPageSize) return true;
  n.size = leaf_size(n.entries, p_.key_length, p_.fill);
  n.entry_bytes = leaf_entry_bytes(n.entries, p_.key_length);
  return n.size <= kPageSize;
}

// Size bookkeeping for one entry inserted at (or erased from) position i of a leaf: only the
// entry and its right neighbour's prefix compression change.
void Tree::account(Node& n, size_t i, bool inserted, const Entry& e) const {
  if (!n.size) return;
  const uint16_t kl = p_.key_length;
  if (inserted && leaf_entry_bytes({e}, kl) > n.entry_bytes) {
    n.size = 0;  // the whole page widens: measure again
    return;
  }
  const Entry* prev = i ? &n.entries[i - 1] : nullptr;
  const Entry* next = inserted ? (i + 1 < n.entries.size() ? &n.entries[i + 1] : nullptr)
                               : (i < n.entries.size() ? &n.entries[i] : nullptr);
  long with = long(n.entry_bytes + leaf_key_cost(prev, e, kl, p_.fill));
  if (next) with += long(leaf_key_cost(&e, *next, kl, p_.fill)) - long(leaf_key_cost(prev, *next, kl, p_.fill));
  // After an erase the width may shrink; the size then over-estimates, which fits() corrects.
  n.size = size_t(long(n.size) + (inserted ? with : -with));
}

std::vector<Tree::Step> Tree::descend(const std::string& key, uint32_t recno) {
  std::vector<Step> path;
  uint32_t off = root_;
  for (int depth = 0;; ++depth) {
    if (depth > 32) throw Error(Errc::corrupt, {store_.file().path(), off, {}, {}}, "index tree deeper than 32 levels");
    Node& n = store_.node(off, p_.key_length, p_.fill);
    if (n.leaf()) {
      auto it = std::lower_bound(n.entries.begin(), n.entries.end(), 0, [&](const Entry& e, int) {
        return entry_less(e.key, e.recno, key, recno);
      });
      path.push_back({off, size_t(it - n.entries.begin())});
      return path;
    }
    if (n.entries.empty()) throw Error(Errc::corrupt, {store_.file().path(), off, {}, {}}, "interior page without keys");
    size_t i = 0;
    while (i + 1 < n.entries.size() && entry_less(n.entries[i].key, n.entries[i].recno, key, recno)) ++i;
    path.push_back({off, i});
    off = n.entries[i].child;
  }
}

// After the last entry of the node at path[level] changed, parents' separators follow.
void Tree::fix_separators(std::vector<Step>& path, size_t level) {
  for (size_t l = level; l > 0; --l) {
    Node& child = store_.node(path[l].page, p_.key_length, p_.fill);
    if (child.entries.empty()) return;
    Node& parent = store_.node(path[l - 1].page, p_.key_length, p_.fill);
    Entry& sep = parent.entries[path[l - 1].index];
    const Entry& last = child.entries.back();
    if (sep.key == last.key && sep.recno == last.recno) return;
    sep.key = last.key;
    sep.recno = last.recno;
    store_.mark_dirty(path[l - 1].page);
    if (path[l - 1].index + 1 != parent.entries.size()) return;
  }
}

// Cuts an overfull node's entries into pieces that each fit a page: leaves by bytes (the first
// piece about half, the rest as full as they go, since removing a neighbour can change how
// well a key compresses), interior nodes by count.
std::vector<std::vector<Entry>> Tree::pieces(const Node& n) const {
  std::vector<std::vector<Entry>> out(1);
  if (!n.leaf()) {
    size_t cap = interior_capacity(p_.key_length);
    size_t k = std::max<size_t>(2, (n.entries.size() + cap - 1) / cap);
    for (size_t j = 0; j < k; ++j) {
      if (j) out.emplace_back();
      size_t from = n.entries.size() * j / k, to = n.entries.size() * (j + 1) / k;
      out.back().assign(n.entries.begin() + long(from), n.entries.begin() + long(to));
    }
    return out;
  }
  const size_t total = leaf_size(n.entries, p_.key_length, p_.fill);
  const size_t eb = leaf_entry_bytes(n.entries, p_.key_length);  // widest: safe for every piece
  size_t size = 24;
  const Entry* prev = nullptr;
  for (const Entry& e : n.entries) {
    size_t add = eb + leaf_key_cost(prev, e, p_.key_length, p_.fill);
    size_t fresh = eb + leaf_key_cost(nullptr, e, p_.key_length, p_.fill);
    bool close = !out.back().empty() &&
                 (size + add > kPageSize || (out.size() == 1 && size >= total / 2));
    if (close) {
      out.emplace_back();
      size = 24 + fresh;
    } else {
      size += add;
    }
    out.back().push_back(e);
    prev = &e;
  }
  return out;
}

void Tree::split(std::vector<Step>& path, size_t level) {
  uint32_t off = path[level].page;
  std::vector<std::vector<Entry>> parts = pieces(store_.node(off, p_.key_length, p_.fill));
  uint16_t attr = uint16_t(store_.node(off, p_.key_length, p_.fill).attr & ~kAttrRoot);
  std::vector<uint32_t> offs = {off};
  for (size_t j = 1; j < parts.size(); ++j) {
    Node n;
    n.attr = attr;
    offs.push_back(store_.allocate(std::move(n), p_.key_length, p_.fill));
  }
  uint32_t after = store_.node(off, p_.key_length, p_.fill).right;
  for (size_t j = 0; j < parts.size(); ++j) {
    Node& n = store_.node(offs[j], p_.key_length, p_.fill);
    n.attr = attr;
    n.entries = std::move(parts[j]);
    n.size = 0;
    if (j) n.left = offs[j - 1];
    n.right = j + 1 < offs.size() ? offs[j + 1] : after;
    store_.mark_dirty(offs[j]);
  }
  if (after != kNone) {
    store_.node(after, p_.key_length, p_.fill).left = offs.back();
    store_.mark_dirty(after);
  }
  std::vector<Entry> seps;
  for (uint32_t o : offs) {
    Entry e = store_.node(o, p_.key_length, p_.fill).entries.back();
    e.child = o;
    seps.push_back(std::move(e));
  }
  if (level == 0) {
    // The root split: a new root above the pieces (split again if even that is too full).
    Node root;
    root.attr = kAttrIndex | kAttrRoot;
    root.entries = std::move(seps);
    root_ = store_.allocate(std::move(root), p_.key_length, p_.fill);
    std::vector<Step> top = {{root_, 0}};
    if (!fits(store_.node(root_, p_.key_length, p_.fill))) {
      store_.node(root_, p_.key_length, p_.fill).attr = kAttrIndex | kAttrRoot;
      split(top, 0);
    }
    return;
  }
  Node& parent = store_.node(path[level - 1].page, p_.key_length, p_.fill);
  size_t i = path[level - 1].index;
  parent.entries[i] = seps[0];
  parent.entries.insert(parent.entries.begin() + long(i) + 1, seps.begin() + 1, seps.end());
  store_.mark_dirty(path[level - 1].page);
  if (!fits(parent)) split(path, level - 1);
}

void Tree::insert(const std::string& key, uint32_t recno) {
  // Pages are encoded assuming every key is exactly key_length bytes; a tag header whose key
  // length disagrees with its expression's keys (a corrupt file) must not get that far.
  if (key.size() != p_.key_length)
    throw Error(Errc::corrupt, {store_.file().path(), root_, {}, {}},
                fmt::format("a key of {} bytes does not fit the tag's key length {}", key.size(),
                            p_.key_length));
  auto path = descend(key, recno);
  Node& leaf = store_.node(path.back().page, p_.key_length, p_.fill);
  Entry e;
  e.key = key;
  e.recno = recno;
  size_t at = path.back().index;
  leaf.entries.insert(leaf.entries.begin() + long(at), e);
  account(leaf, at, true, e);
  store_.mark_dirty(path.back().page);
  if (path.back().index + 1 == leaf.entries.size()) fix_separators(path, path.size() - 1);
  if (!fits(store_.node(path.back().page, p_.key_length, p_.fill))) split(path, path.size() - 1);
}

// Takes a page out of its level's sibling chain (before it is released).
void Tree::unlink(const Node& n) {
  if (n.left != kNone) {
    store_.node(n.left, p_.key_length, p_.fill).right = n.right;
    store_.mark_dirty(n.left);
  }
  if (n.right != kNone) {
    store_.node(n.right, p_.key_length, p_.fill).left = n.left;
    store_.mark_dirty(n.right);
  }
}

// Removes the child at path[level] from its parent (the child is empty and already released).
void Tree::remove_child(std::vector<Step>& path, size_t level) {
  Node& parent = store_.node(path[level - 1].page, p_.key_length, p_.fill);
  size_t i = path[level - 1].index;
  parent.entries.erase(parent.entries.begin() + long(i));
  store_.mark_dirty(path[level - 1].page);
  if (parent.entries.empty() && level - 1 > 0) {
    uint32_t poff = path[level - 1].page;
    unlink(parent);
    store_.release(poff);
    remove_child(path, level - 1);
    return;
  }
  if (i == parent.entries.size() && !parent.entries.empty()) {
    path[level - 1].index = parent.entries.size() - 1;
    fix_separators(path, level - 1);
  }
  // A root with one child hands the root over to that child.
  if (level - 1 == 0 && parent.entries.size() == 1 && !parent.leaf()) {
    uint32_t child = parent.entries[0].child;
    store_.release(path[0].page);
    Node& c = store_.node(child, p_.key_length, p_.fill);
    c.attr |= kAttrRoot;
    c.left = c.right = kNone;
    store_.mark_dirty(child);
    root_ = child;
  }
}

void Tree::maybe_merge(std::vector<Step>& path) {
  // Merge a leaf that fell below a quarter page into its right neighbour under the same
  // parent when both fit comfortably in one page.
  size_t level = path.size() - 1;
  if (level == 0) return;
  uint32_t off = path[level].page;
  Node& n = store_.node(off, p_.key_length, p_.fill);
  size_t used = n.size ? n.size : leaf_size(n.entries, p_.key_length, p_.fill);
  if (used > kPageSize / 4) return;
  Node& parent = store_.node(path[level - 1].page, p_.key_length, p_.fill);
  size_t i = path[level - 1].index;
  if (i + 1 >= parent.entries.size()) return;
  uint32_t roff = parent.entries[i + 1].child;
  Node& r = store_.node(roff, p_.key_length, p_.fill);
  std::vector<Entry> both = store_.node(off, p_.key_length, p_.fill).entries;
  both.insert(both.end(), r.entries.begin(), r.entries.end());
  if (leaf_size(both, p_.key_length, p_.fill) > kPageSize * 3 / 4) return;
  // Move this leaf's entries into the right neighbour and drop this leaf.
  r.entries = std::move(both);
  r.size = 0;
  store_.mark_dirty(roff);
  Node& me = store_.node(off, p_.key_length, p_.fill);
  r.left = me.left;
  if (me.left != kNone) {
    store_.node(me.left, p_.key_length, p_.fill).right = roff;
    store_.mark_dirty(me.left);
  }
  store_.release(off);
  remove_child(path, level);
}

bool Tree::erase(const std::string& key, uint32_t recno) {
  auto path = descend(key, recno);
  uint32_t off = path.back().page;
  Node& leaf = store_.node(off, p_.key_length, p_.fill);
  size_t i = path.back().index;
  if (i >= leaf.entries.size() || leaf.entries[i].key != key || leaf.entries[i].recno != recno) return false;
  Entry gone = std::move(leaf.entries[i]);
  leaf.entries.erase(leaf.entries.begin() + long(i));
  account(leaf, i, false, gone);
  store_.mark_dirty(off);
  size_t level = path.size() - 1;
  if (leaf.entries.empty() && level > 0) {
    unlink(leaf);
    store_.release(off);
    remove_child(path, level);
    return true;
  }
  if (i == leaf.entries.size() && !leaf.entries.empty()) fix_separators(path, level);
  // The next key may compress less against its new neighbour: the leaf can grow on erase.
  if (!fits(store_.node(off, p_.key_length, p_.fill))) {
    split(path, level);
    return true;
  }
  maybe_merge(path);
  return true;
}

std::pair<uint32_t, size_t> Tree::lower_bound(const std::string& key, uint32_t recno) {
  auto path = descend(key, recno);
  uint32_t off = path.back().page;
  size_t i = path.back().index;
  // Past the end of this leaf: the answer is the first entry of the next one.
  while (off != kNone && i >= leaf(off).entries.size()) {
    off = leaf(off).right;
    i = 0;
  }
  return {off, i};
}

bool Tree::contains_key(const std::string& key) {
  auto [off, i] = lower_bound(key, 0);
  return off != kNone && leaf(off).entries[i].key == key;
}

std::pair<uint32_t, size_t> Tree::first() { return lower_bound(std::string(), 0); }

std::pair<uint32_t, size_t> Tree::last() {
  uint32_t off = root_;
  for (int d = 0; d < 40; ++d) {
    const Node& n = store_.node(off, p_.key_length, p_.fill);
    if (n.leaf()) {
      // An empty last leaf can only be the root of an empty tag.
      if (n.entries.empty()) return {kNone, 0};
      return {off, n.entries.size() - 1};
    }
    if (n.entries.empty()) break;
    off = n.entries.back().child;
  }
  throw Error(Errc::corrupt, {store_.file().path(), off, {}, {}}, "cannot find the last leaf");
}

}  // namespace xbase::cdx

#include "cdx/page_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace xbase::cdx {

PageStore::PageStore(File& f, uint64_t size) : file_(f) { set_end(size); }

// New pages go after the last whole or partial page.
void PageStore::set_end(uint64_t size) {
  end_ = size;
  if (end_ % kPageSize) end_ += kPageSize - end_ % kPageSize;
}

std::unique_ptr<PageStore::Cached>& PageStore::slot(uint32_t off) {
  size_t i = off / kPageSize;
  if (i >= cache_.size()) cache_.resize(std::max(i + 1, cache_.size() * 2));
  return cache_[i];
}

Node& PageStore::node(uint32_t off, uint16_t kl, uint8_t fill) {
  Cached* c = off % kPageSize ? nullptr : find(off);
  bool relaid = false;  // cached with another layout, and not yet known to be current
  if (c) {
    bool same_layout = c->key_length == kl && c->fill == fill;
    if (c->verified_in == epoch_) {
      // A page reached from two trees of different key layouts (a corrupt file: cross-linked
      // tags, or a directory whose header key length is not 10) must not be shared: its keys
      // would be encoded with the wrong length. Only a page known to be current says so: a
      // page cached before another writer freed it and reused it for another tag is read
      // again first (Harbour and VFP reuse freed pages).
      if (!same_layout) two_trees(off, c->key_length, kl);
      c->used = ++tick_;
      return c->node;
    }
    relaid = !same_layout;
  }
  // Prefetched bytes were read under the lock in this epoch, like a verified page: a read
  // without the lock may use them (unless writes are pending, which only a writer has).
  if (cache_only_ && !(writes_.empty() && prefetched_holds(off, kPageSize))) throw NotCached{};
  end_writes();
  if (off % kPageSize || off < kTagHeaderSize || uint64_t(off) + kPageSize > end_)
    throw Error(Errc::corrupt, {file_.path(), off, {}, {}},
                fmt::format("page pointer {} is not a page inside the file", off));
  std::array<uint8_t, kPageSize> page;
  if (read(off, page.data(), kPageSize) != kPageSize)
    throw Error(Errc::corrupt, {file_.path(), off, {}, {}}, "short read of an index page");
  if (c) {
    if (page != c->raw) {
      try {
        parse_node_into(c->node, page.data(), off, kl, fill, file_.path());
      } catch (...) {
        slot(off).reset();  // neither the node nor its bytes are known any more
        throw;
      }
      c->raw = page;
      c->key_length = kl;
      c->fill = fill;
    } else if (relaid) {
      two_trees(off, c->key_length, kl);  // current, and still of the other layout
    }
    c->verified_in = epoch_;
    c->used = ++tick_;
    return c->node;
  }
  Node n = parse_node(page.data(), off, kl, fill, file_.path());
  ++cached_;
  auto& s = slot(off);
  s.reset(new Cached{kl, fill, false, epoch_, ++tick_, std::move(n), page});
  return s->node;
}

void PageStore::two_trees(uint32_t off, uint16_t cached_kl, uint16_t kl) const {
  throw Error(Errc::corrupt, {file_.path(), off, {}, {}},
              fmt::format("index page {} belongs to two trees (key lengths {} and {})", off,
                          cached_kl, kl));
}

void PageStore::mark_dirty(uint32_t off) {
  Cached* c = find(off);
  if (!c || c->dirty) return;
  c->dirty = true;
  dirty_.push_back(off);
}

uint32_t PageStore::allocate(Node n, uint16_t kl, uint8_t fill) {
  uint32_t off = uint32_t(end_);
  if (end_ + kPageSize > 0xFFFFFFFFull) throw Error(Errc::overflow, {file_.path(), {}, {}, {}}, "index file full (4 GB)");
  end_ += kPageSize;
  n.kl = kl;
  ++cached_;
  slot(off).reset(new Cached{kl, fill, true, epoch_, ++tick_, std::move(n), {}, false});
  dirty_.push_back(off);
  return off;
}

void PageStore::trim() {
  if (cached_ <= kMaxCachedPages) return;
  // Forgetting every clean leaf made a tag changed at random places (shared appends of random
  // names) read and decode again, after each trim, the pages it was about to come back to.
  auto forgettable = [](const std::unique_ptr<Cached>& c) { return c && !c->dirty && c->node.leaf(); };
  std::vector<uint64_t> used;
  for (const auto& c : cache_)
    if (forgettable(c)) used.push_back(c->used);
  const size_t keep = kMaxCachedPages / 2;
  uint64_t cutoff = 0;  // leaves last used before it go
  if (used.size() > keep) {
    std::nth_element(used.begin(), used.end() - long(keep), used.end());
    cutoff = used[used.size() - keep];
  }
  cached_ = 0;
  for (auto& c : cache_) {
    if (forgettable(c) && c->used < cutoff) c.reset();
    if (c) ++cached_;
  }
}

void PageStore::release(uint32_t off) {
  if (find(off)) slot(off).reset();
  released_.insert(off);
}

void PageStore::prefetch(uint64_t size) {
  prefetched_.clear();
  if (size > kPrefetchLimit) return;
  prefetched_.resize(size);
  prefetched_.resize(file_.read_at(0, prefetched_.data(), prefetched_.size()));
}

size_t PageStore::read(uint64_t off, uint8_t* dst, size_t n) {
  if (off + n <= prefetched_.size()) {
    std::memcpy(dst, prefetched_.data() + off, n);
    return n;
  }
  const Block* b = block_holding(off, n);
  // Past kMaxBlocks, pages are read one at a time again (the memory stays bounded).
  if (!b && read_ahead_ && blocks_held_ < kMaxBlocks && n <= kBlockBytes && off / kBlockBytes == (off + n - 1) / kBlockBytes &&
      off < end_) {
    const size_t i = off / kBlockBytes;
    const uint64_t at = uint64_t(i) * kBlockBytes;
    if (i >= blocks_.size()) blocks_.resize(std::max(i + 1, blocks_.size() * 2));
    Block& nb = blocks_[i];
    if (!nb.bytes) {
      nb.bytes.reset(new uint8_t[kBlockBytes]);
      ++blocks_held_;
    }
    nb.gen = 0;  // not current until the read succeeded
    nb.size = file_.read_at(at, nb.bytes.get(), size_t(std::min<uint64_t>(kBlockBytes, end_ - at)));
    nb.gen = blocks_gen_;
    b = block_holding(off, n);
  }
  if (!b) return file_.read_at(off, dst, n);
  std::memcpy(dst, b->bytes.get() + off % kBlockBytes, n);
  return n;
}

void PageStore::forget_prefetch() {
  prefetched_.clear();
  ++blocks_gen_;  // 64 bits: never wraps back to a block's generation
}

void PageStore::wrote(uint64_t off, const uint8_t* b, size_t n) {
  if (off < prefetched_.size())
    std::memcpy(prefetched_.data() + off, b, size_t(std::min<uint64_t>(n, prefetched_.size() - off)));
  const uint64_t end = off + n;
  for (size_t i = size_t(off / kBlockBytes); i < blocks_.size() && uint64_t(i) * kBlockBytes < end; ++i) {
    Block& blk = blocks_[i];
    if (blk.gen != blocks_gen_) continue;
    const uint64_t at = uint64_t(i) * kBlockBytes;
    const uint64_t from = std::max(off, at), to = std::min(end, at + kBlockBytes);
    // A block read short at the end of the file grows with writes that continue it; bytes
    // after a gap cannot be held.
    if (from > at + blk.size) continue;
    std::memcpy(blk.bytes.get() + (from - at), b + (from - off), size_t(to - from));
    blk.size = std::max<size_t>(blk.size, size_t(to - at));
  }
}

void PageStore::write_raw(uint32_t off, const uint8_t* b, size_t n) {
  end_writes();
  try {
    file_.write_at(off, b, n);
  } catch (...) {
    forget_prefetch();  // what reached the file is not known
    throw;
  }
  wrote(off, b, n);
}

uint32_t PageStore::append_raw(const uint8_t* b, size_t n) {
  end_writes();
  forget_prefetch();
  uint32_t off = uint32_t(end_);
  file_.write_at(off, b, n);
  end_ += (n + kPageSize - 1) / kPageSize * kPageSize;
  return off;
}

void PageStore::flush() {
  end_writes();
  if (dirty_.empty() && released_.empty()) return;
  // In page order, so that contiguous dirty pages go out in one write.
  std::sort(dirty_.begin(), dirty_.end());
  for (uint32_t off : dirty_) {
    Cached* c = find(off);
    if (!c || !c->dirty) continue;  // released since
    // Verified in this epoch, its bytes are the file's: every writer moves the update counter,
    // and a change to the page happens under the index lock, after the counter was read.
    if (base_noter_ && c->from_file && c->verified_in == epoch_) base_noter_(off, c->raw.data(), kPageSize);
    // A page as last read or written keeps the bytes of the entries that did not change.
    encode_gathered(off, c->node, c->key_length, c->fill, c->from_file ? c->raw.data() : nullptr);
    std::memcpy(c->raw.data(), writes_.data() + writes_.size() - kPageSize, kPageSize);
    c->node.clean = c->node.count();
    c->verified_in = epoch_;
    c->dirty = false;
    c->from_file = true;
  }
  for (uint32_t off : released_) {
    uint8_t* page = gather(off);
    std::memset(page, 0, kPageSize);
    page[0] = 0xFF;  // free page marker (Harbour writes the same attribute)
  }
  end_writes();
  dirty_.clear();
  released_.clear();
}

void PageStore::revalidate(uint64_t size) {
  for (uint32_t off : dirty_)
    if (Cached* c = find(off); c && c->dirty) slot(off).reset();
  dirty_.clear();
  writes_.clear();
  released_.clear();
  forget_prefetch();
  // Epoch 0 is current only until the first revalidation; when the counter wraps, every page
  // goes back to 0 so that none can look verified by an epoch it was not verified in.
  if (++epoch_ == 0) {
    for (auto& c : cache_)
      if (c) c->verified_in = 0;
    epoch_ = 1;
  }
  set_end(size);
}

uint32_t PageStore::reserve() {
  if (end_ + kPageSize > 0xFFFFFFFFull) throw Error(Errc::overflow, {file_.path(), {}, {}, {}}, "index file full (4 GB)");
  uint32_t off = uint32_t(end_);
  end_ += kPageSize;
  return off;
}

void PageStore::write_node(uint32_t off, const Node& n, uint16_t kl, uint8_t fill) {
  encode_gathered(off, n, kl, fill);
  if (find(off)) slot(off).reset();
}

uint8_t* PageStore::gather(uint32_t off) {
  if (!writes_.empty() && (off != writes_at_ + writes_.size() || writes_.size() >= kGatherPages * kPageSize))
    end_writes();
  if (writes_.empty()) writes_at_ = off;
  writes_.resize(writes_.size() + kPageSize);
  return writes_.data() + writes_.size() - kPageSize;
}

void PageStore::encode_gathered(uint32_t off, const Node& n, uint16_t kl, uint8_t fill, const uint8_t* before) {
  if (encode_node(n, kl, fill, gather(off), before)) return;
  // Never written: the pages gathered before it go out (as they would have without it), and
  // nothing is left behind to be written later, outside the caller's lock.
  writes_.resize(writes_.size() - kPageSize);
  end_writes();
  throw Error(Errc::corrupt, {file_.path(), off, {}, {}}, "internal: index page overflow");
}

void PageStore::end_writes() {
  if (writes_.empty()) return;
  try {
    file_.write_at(writes_at_, writes_.data(), writes_.size());
  } catch (...) {
    forget_prefetch();  // what reached the file is not known
    throw;
  }
  wrote(writes_at_, writes_.data(), writes_.size());
  writes_.clear();
}

}  // namespace xbase::cdx

// The pages of one CDX file as the tree code works on them: a cache of decoded pages (dirty
// ones encoded and written on flush), pages allocated at the end, raw writes of tag headers,
// and the revalidation after another process changed the file.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cdx/page.h"
#include "xbase/file.h"

namespace xbase::cdx {

// The pages of one CDX file. Freed pages are not reused (VFP keeps no free list either); they
// are marked free and left for a reindex to drop. Other writers (Harbour) do reuse them, so a
// cached page may come back as another tag's: node() reads it again before calling it corrupt.
class PageStore {
 public:
  PageStore(File& f, uint64_t size);  // size: the file's, as just read
  Node& node(uint32_t off, uint16_t key_length, uint8_t fill);  // cached, decoded
  void mark_dirty(uint32_t off);
  uint32_t allocate(Node n, uint16_t key_length, uint8_t fill);  // a new page at the end
  void release(uint32_t off);
  void write_raw(uint32_t off, const uint8_t* bytes, size_t n);  // tag headers, the file header
  uint32_t append_raw(const uint8_t* bytes, size_t n);           // at the end of the file
  uint32_t reserve();  // a new page at the end, written later with write_node
  // Uncached; consecutive pages are gathered and written together (by flush(), node() or
  // end_writes()).
  void write_node(uint32_t off, const Node& n, uint16_t key_length, uint8_t fill);
  void end_writes();
  void flush();
  bool dirty() const { return !dirty_.empty() || !released_.empty(); }
  // After another process changed the file: every cached page is read again before its next
  // use and decoded again only when its bytes changed (most of a tree stays as it was).
  // Unflushed changes are dropped. `size`: the file's size now.
  void revalidate(uint64_t size);
  // Serve only pages already cached and verified; a page that would need a read throws
  // NotCached (a read without the index lock must not see another writer's pages).
  struct NotCached {};
  void set_cache_only(bool on) { cache_only_ = on; }
  File& file() { return file_; }
  // Reads the whole file in one call when it is small (kPrefetchLimit), as the tags are loaded
  // under the index lock: the tag headers and every page a later read needs come from these
  // bytes instead of a read each. They are current exactly as long as cached pages verified
  // in this epoch are (until the next revalidate); this process's own writes are copied in
  // (wrote()).
  static constexpr uint64_t kPrefetchLimit = 64 * 1024;
  void prefetch(uint64_t size);
  // The whole file, read by the caller under the same rules (at most kPrefetchLimit bytes).
  void take_prefetch(std::vector<uint8_t> whole) {
    whole.shrink_to_fit();  // read into 64 KiB: an index of 3 KiB keeps 3 KiB
    prefetched_ = std::move(whole);
  }
  // n bytes at off: from the prefetched bytes when they hold them, else from the file (with
  // read-ahead on, the block of kBlockBytes around them, kept).
  size_t read(uint64_t off, uint8_t* dst, size_t n);
  void forget_prefetch();
  // This process wrote `n` bytes at `off` (through the store's file): the prefetched bytes and
  // the blocks holding them take the new bytes instead of being forgotten, so a change does not
  // cost the next operation a read of the block it touched (a shared append of random keys
  // read a 32 KiB block again at every append). Pages another process changes still move the
  // update counter, and the next check forgets everything (revalidate).
  void wrote(uint64_t off, const uint8_t* bytes, size_t n);
  // Shared use (issue 30): a page that is not cached is read with the rest of its 32 KiB block
  // in one call, and the block's other pages come from those bytes, under exactly the rules of
  // the prefetched file above: a page is only read from the file under the index lock (or by
  // the only opener), so a block read there is one completed version; it is used without the
  // lock only after the update counter read unchanged, and forgotten when the counter moves
  // (this process's own writes are copied in: wrote()). A cold seek took the lock, read the
  // counter and one page per missing page (4 calls, round trips on a share); the blocks make
  // most of those pages free.
  static constexpr size_t kBlockBytes = 32 * 1024;
  static constexpr size_t kMaxBlocks = 1024;  // 32 MiB
  void set_read_ahead(bool on) { read_ahead_ = on; }
  // Told a page's bytes as the file holds them just before a flush writes it over them (a
  // page read, or written, and verified in this epoch): a transaction's before-image of the
  // page without reading it again (journal::StagedFile::note_base; docs/transactions.md).
  using BaseNoter = std::function<void(uint64_t off, const uint8_t* bytes, size_t n)>;
  void set_base_noter(BaseNoter f) { base_noter_ = std::move(f); }
  size_t blocks_held() const { return blocks_held_; }
  // A size limit for the decoded pages (issue 30: at N = 1,000,000 a tag's pages are tens of
  // MB decoded, about 2 KB a page): past kMaxCachedPages, the clean leaves used longest ago
  // are forgotten, down to half the limit, and read again when next needed; interior pages
  // (few, and on every path) stay. Called only between operations (after a flush), when
  // nobody holds a reference to a cached Node.
  static constexpr size_t kMaxCachedPages = 16384;
  void trim();

 private:
  // What a lookup reads (the flags, the node's header and buffer pointers) comes first, in
  // one cache line; the raw page, read only when the file changed, comes last.
  // A page's raw bytes are known to match the file while its `verified_in` equals the store's
  // `epoch_`: a revalidation after another process's change is one increment, not a walk
  // over every cached page (a busy shared table revalidates on most operations).
  struct Cached {
    uint16_t key_length;
    uint8_t fill;
    bool dirty = false;
    uint32_t verified_in;
    uint64_t used;  // the store's tick_ when node() last returned it (trim keeps the recent)
    Node node;
    std::array<uint8_t, kPageSize> raw{};  // the page as last read or written
    bool from_file = true;                 // false for a page allocated here, never written yet
  };
  BaseNoter base_noter_;
  bool cache_only_ = false;
  uint32_t epoch_ = 0;
  uint64_t tick_ = 0;  // node() calls so far
  size_t cached_ = 0;  // pages cached since the last trim (an upper bound of the count)
  std::vector<uint8_t> prefetched_;  // the file from offset 0, read in the current epoch
  // Blocks read ahead, by offset / kBlockBytes; current while their `gen` is blocks_gen_
  // (forget_prefetch moves it on: no walk over the blocks).
  struct Block {
    uint64_t gen = 0;
    size_t size = 0;
    std::unique_ptr<uint8_t[]> bytes;
  };
  bool read_ahead_ = false;
  uint64_t blocks_gen_ = 1;
  size_t blocks_held_ = 0;  // blocks allocated, never freed before close (kMaxBlocks bounds it)
  std::vector<Block> blocks_;
  const Block* block_holding(uint64_t off, size_t n) const {
    size_t i = off / kBlockBytes;
    if (i >= blocks_.size() || blocks_[i].gen != blocks_gen_) return nullptr;
    return off + n <= i * kBlockBytes + blocks_[i].size ? &blocks_[i] : nullptr;
  }
  bool prefetched_holds(uint64_t off, size_t n) const {
    return off + n <= prefetched_.size() || block_holding(off, n);
  }
  void set_end(uint64_t size);
  [[noreturn]] void two_trees(uint32_t off, uint16_t cached_kl, uint16_t kl) const;
  // The cache slot of the page at `off` (grown on demand): pages are found by their number,
  // not by a search, and a cached Node stays where it is while others come and go.
  std::unique_ptr<Cached>& slot(uint32_t off);
  Cached* find(uint32_t off) const {
    size_t i = off / kPageSize;
    return i < cache_.size() ? cache_[i].get() : nullptr;
  }
  File& file_;
  uint64_t end_;
  std::vector<std::unique_ptr<Cached>> cache_;  // by page number (offset / 512)
  std::vector<uint32_t> dirty_;                 // offsets, in the order they became dirty
  std::set<uint32_t> released_;
  // Pages encoded but not yet written, consecutive from writes_at_ (bulk builds and flushes
  // write runs of pages at once; end_writes() sends them).
  std::vector<uint8_t> writes_;
  uint32_t writes_at_ = 0;
  static constexpr size_t kGatherPages = 256;  // the most pages in one write
  uint8_t* gather(uint32_t off);  // room for the page at off, ending the run if it is elsewhere
  void encode_gathered(uint32_t off, const Node& n, uint16_t key_length, uint8_t fill,
                       const uint8_t* before = nullptr);
};

}  // namespace xbase::cdx

// Writing CDX trees: a page store with a decoded-page cache (dirty pages are encoded and
// written on flush), the bulk builder (sorted keys -> full leaves -> interior levels), and
// incremental insert/erase with page splits, merges and separator maintenance.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cdx/page.h"
#include "xbase/file.h"

namespace xbase::cdx {

// The pages of one CDX file. Freed pages are not reused (VFP keeps no free list either); they
// are marked free and left for a reindex to drop.
class PageStore {
 public:
  PageStore(File& f, uint64_t size);  // size: the file's, as just read
  Node& node(uint32_t off, uint16_t key_length, uint8_t fill);  // cached, decoded
  void mark_dirty(uint32_t off);
  uint32_t allocate(Node n, uint16_t key_length, uint8_t fill);  // a new page at the end
  void release(uint32_t off);
  void write_raw(uint32_t off, const uint8_t* bytes, size_t n);  // tag headers
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
    Node node;
    std::array<uint8_t, kPageSize> raw{};  // the page as last read or written
  };
  bool cache_only_ = false;
  uint32_t epoch_ = 0;
  void set_end(uint64_t size);
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
  void encode_gathered(uint32_t off, const Node& n, uint16_t key_length, uint8_t fill);
};

struct TreeParams {
  uint16_t key_length;
  uint8_t fill;
};

// Builds a tree from entries given in (key, recno) order, writing full leaves as they fill
// (nothing but one leaf and the list of leaves is held in memory); returns the root page.
// `max_recno` fixes the entry width of the leaves.
// Hands out the next (key, recno), or false at the end; the key stays valid until the next call.
using EntrySource = std::function<bool(std::string_view& key, uint32_t& recno)>;
uint32_t build_tree(PageStore& store, const EntrySource& next, uint32_t max_recno, TreeParams p);
uint32_t build_tree(PageStore& store, const std::vector<Entry>& sorted, TreeParams p);

// One tag's tree, for incremental changes. `root` is updated in place on root splits.
class Tree {
 public:
  Tree(PageStore& store, uint32_t& root, TreeParams p) : store_(store), root_(root), p_(p) {}
  void insert(std::string_view key, uint32_t recno);
  bool erase(std::string_view key, uint32_t recno);
  bool contains_key(std::string_view key);  // any record with exactly this key
  // The first entry >= (key, recno) as (leaf page, index); page kNone when past the end.
  std::pair<uint32_t, size_t> lower_bound(std::string_view key, uint32_t recno);
  std::pair<uint32_t, size_t> first();
  std::pair<uint32_t, size_t> last();
  const Node& leaf(uint32_t off) { return store_.node(off, p_.key_length, p_.fill); }

 private:
  struct Step {
    uint32_t page;
    size_t index;
  };
  // The pages from the root down to a leaf: on the stack, since every seek makes one (a heap
  // allocation per seek showed in profiles). descend() refuses trees deeper than 32 levels.
  class Path {
   public:
    Path() = default;
    Path(Step root) { push_back(root); }
    void push_back(Step s) { steps_[n_++] = s; }
    size_t size() const { return n_; }
    Step& operator[](size_t i) { return steps_[i]; }
    const Step& operator[](size_t i) const { return steps_[i]; }
    Step& back() { return steps_[n_ - 1]; }

   private:
    std::array<Step, 34> steps_;
    size_t n_ = 0;
  };
  Path descend(std::string_view key, uint32_t recno);
  void fix_separators(Path& path, size_t level);
  void split(Path& path, size_t level);
  std::vector<Node> pieces(const Node& n) const;
  void remove_child(Path& path, size_t level);
  void unlink(const Node& n);
  void maybe_merge(Path& path);
  bool fits(Node& n) const;
  void account(Node& n, size_t i, bool inserted, std::string_view key, uint32_t recno) const;
  Node& at(uint32_t off) { return store_.node(off, p_.key_length, p_.fill); }
  PageStore& store_;
  uint32_t& root_;
  TreeParams p_;
};

// (key, recno) order: keys as unsigned bytes, then record numbers.
inline bool entry_less(std::string_view ka, uint32_t ra, std::string_view kb, uint32_t rb) {
  int c = ka.compare(kb);  // char_traits<char> compares as unsigned char
  return c < 0 || (c == 0 && ra < rb);
}

}  // namespace xbase::cdx

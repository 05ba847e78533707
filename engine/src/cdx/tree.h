// Writing CDX trees: a page store with a decoded-page cache (dirty pages are encoded and
// written on flush), the bulk builder (sorted keys -> full leaves -> interior levels), and
// incremental insert/erase with page splits, merges and separator maintenance.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
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
  void write_node(uint32_t off, const Node& n, uint16_t key_length, uint8_t fill);  // uncached
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
  struct Cached {
    Node node;
    uint16_t key_length;
    uint8_t fill;
    std::array<uint8_t, kPageSize> raw{};  // the page as last read or written
    bool verified = true;                  // raw is known to match the file
  };
  bool cache_only_ = false;
  void set_end(uint64_t size);
  File& file_;
  uint64_t end_;
  std::map<uint32_t, Cached> cache_;
  std::set<uint32_t> dirty_;
  std::set<uint32_t> released_;
};

struct TreeParams {
  uint16_t key_length;
  uint8_t fill;
};

// Builds a tree from entries given in (key, recno) order, writing full leaves as they fill
// (nothing but one leaf and the list of leaves is held in memory); returns the root page.
// `max_recno` fixes the entry width of the leaves.
using EntrySource = std::function<bool(Entry&)>;
uint32_t build_tree(PageStore& store, const EntrySource& next, uint32_t max_recno, TreeParams p);
uint32_t build_tree(PageStore& store, const std::vector<Entry>& sorted, TreeParams p);

// One tag's tree, for incremental changes. `root` is updated in place on root splits.
class Tree {
 public:
  Tree(PageStore& store, uint32_t& root, TreeParams p) : store_(store), root_(root), p_(p) {}
  void insert(const std::string& key, uint32_t recno);
  bool erase(const std::string& key, uint32_t recno);
  bool contains_key(const std::string& key);  // any record with exactly this key
  // The first entry >= (key, recno) as (leaf page, index); page kNone when past the end.
  std::pair<uint32_t, size_t> lower_bound(const std::string& key, uint32_t recno);
  std::pair<uint32_t, size_t> first();
  std::pair<uint32_t, size_t> last();
  const Node& leaf(uint32_t off) { return store_.node(off, p_.key_length, p_.fill); }

 private:
  struct Step {
    uint32_t page;
    size_t index;
  };
  std::vector<Step> descend(const std::string& key, uint32_t recno);
  void fix_separators(std::vector<Step>& path, size_t level);
  void split(std::vector<Step>& path, size_t level);
  std::vector<std::vector<Entry>> pieces(const Node& n) const;
  void remove_child(std::vector<Step>& path, size_t level);
  void unlink(const Node& n);
  void maybe_merge(std::vector<Step>& path);
  bool fits(Node& n) const;
  void account(Node& n, size_t i, bool inserted, const Entry& e) const;
  PageStore& store_;
  uint32_t& root_;
  TreeParams p_;
};

bool entry_less(const std::string& ka, uint32_t ra, const std::string& kb, uint32_t rb);

}  // namespace xbase::cdx

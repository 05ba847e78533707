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
#include "cdx/page_store.h"
#include "xbase/file.h"

namespace xbase::cdx {

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

// The CDX tree writer against a model: random inserts and erases with small and large keys,
// checking after every batch that the pages on disk hold exactly the model's entries, that
// every separator equals the last key of its subtree, all leaves sit at one depth and the
// sibling links agree at every level.
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "cdx/cdx_file.h"
#include "cdx/tree.h"
#include "test_util.h"

using namespace xbase;
using namespace xbase::cdx;
using namespace xbase::test;

namespace {

using Model = std::set<std::pair<std::string, uint32_t>>;

struct Checker {
  PageStore& store;
  TreeParams p;
  std::vector<std::vector<uint32_t>> levels;  // page offsets per depth, left to right

  // Returns the last entry of the subtree.
  std::pair<std::string, uint32_t> walk(uint32_t off, size_t depth, size_t& leaf_depth,
                                        std::vector<std::pair<std::string, uint32_t>>& out) {
    if (levels.size() <= depth) levels.resize(depth + 1);
    levels[depth].push_back(off);
    const Node& n = store.node(off, p.key_length, p.fill);
    REQUIRE(n.root() == (depth == 0));
    if (n.leaf()) {
      if (leaf_depth == SIZE_MAX) leaf_depth = depth;
      REQUIRE(leaf_depth == depth);
      for (size_t i = 0; i < n.count(); ++i) out.emplace_back(n.key(i), n.recno(i));
      if (n.empty()) return {};
      return {std::string(n.key(n.count() - 1)), n.recnos.back()};
    }
    REQUIRE(!n.empty());
    std::pair<std::string, uint32_t> last;
    for (size_t i = 0; i < n.count(); ++i) {
      last = walk(n.child(i), depth + 1, leaf_depth, out);
      REQUIRE(last.first == n.key(i));
      REQUIRE(last.second == n.recno(i));
    }
    return last;
  }

  void check(uint32_t root, const Model& model, size_t* depth_out = nullptr) {
    levels.clear();
    size_t leaf_depth = SIZE_MAX;
    std::vector<std::pair<std::string, uint32_t>> out;
    walk(root, 0, leaf_depth, out);
    REQUIRE(out == std::vector<std::pair<std::string, uint32_t>>(model.begin(), model.end()));
    for (const auto& lv : levels)
      for (size_t i = 0; i < lv.size(); ++i) {
        const Node& n = store.node(lv[i], p.key_length, p.fill);
        REQUIRE(n.left == (i ? lv[i - 1] : kNone));
        REQUIRE(n.right == (i + 1 < lv.size() ? lv[i + 1] : kNone));
      }
    if (depth_out) *depth_out = leaf_depth;
  }
};

std::string random_key(std::mt19937& rng, uint16_t kl, uint8_t fill, bool binary) {
  std::string k(kl, char(fill));
  size_t len = std::uniform_int_distribution<size_t>(0, kl)(rng);
  for (size_t i = 0; i < len; ++i)
    k[i] = binary ? char(std::uniform_int_distribution<int>(0, 3)(rng))
                  : char('A' + std::uniform_int_distribution<int>(0, 3)(rng));
  return k;
}

void run(uint16_t kl, bool binary, int ops, uint32_t seed, size_t min_depth) {
  TempDir d;
  auto f = FileSystem::os().open(d / "t.cdx", OpenMode::create);
  std::vector<uint8_t> header(kTagHeaderSize, 0);
  f->write_at(0, header.data(), header.size());
  uint8_t fill = binary ? 0 : ' ';
  TreeParams p{kl, fill};
  std::mt19937 rng(seed);
  Model model;
  std::vector<Entry> initial;
  for (uint32_t r = 1; r <= 200; ++r) model.emplace(random_key(rng, kl, fill, binary), r);
  for (const auto& [k, r] : model) {
    Entry e;
    e.key = k;
    e.recno = r;
    initial.push_back(e);
  }
  size_t max_depth = 0;
  {
    PageStore store(*f, f->size());
    uint32_t root = build_tree(store, initial, p);
    Tree tree(store, root, p);
    Checker c{store, p, {}};
    c.check(root, model);
    uint32_t next = 201;
    for (int op = 1; op <= ops; ++op) {
      bool add = model.empty() || std::uniform_int_distribution<int>(0, 99)(rng) < (op < ops / 2 ? 70 : 35);
      if (add) {
        // Large record numbers too, so leaves must widen their entries.
        uint32_t recno = std::uniform_int_distribution<int>(0, 9)(rng) == 0 ? next * 4096 : next;
        ++next;
        std::string k = random_key(rng, kl, fill, binary);
        tree.insert(k, recno);
        model.emplace(k, recno);
      } else {
        auto it = model.begin();
        std::advance(it, std::uniform_int_distribution<size_t>(0, model.size() - 1)(rng));
        REQUIRE(tree.erase(it->first, it->second));
        model.erase(it);
        REQUIRE_FALSE(tree.erase(std::string(kl, 'Z'), 1));
      }
      if (op % 500 == 0 || op == ops) {
        size_t depth = 0;
        c.check(root, model, &depth);
        max_depth = std::max(max_depth, depth);
        // What reaches the disk reads back the same through the reader.
        store.flush();
        auto fresh = std::make_unique<PageStore>(*f, f->size());
        Checker c2{*fresh, p, {}};
        c2.check(root, model);
      }
    }
  }
  INFO("deepest tree: " << max_depth + 1 << " levels");
  CHECK(max_depth + 1 >= min_depth);
}

}  // namespace

TEST_CASE("tree with 10-byte character keys follows the model", "[cdx]") { run(10, false, 20000, 1, 2); }
TEST_CASE("tree with 240-byte keys reaches four levels and follows the model", "[cdx]") { run(240, false, 6000, 2, 4); }
TEST_CASE("tree with 8-byte binary keys follows the model", "[cdx]") { run(8, true, 20000, 3, 2); }

// Leaf compression counts the bytes a key shares with the one before and its trailing fill
// bytes, eight at a time; a difference or a fill run ending at any place must count right.
TEST_CASE("leaf key cost counts shared and trailing bytes ending at every place", "[cdx]") {
  auto naive = [](std::string_view prev, std::string_view key, uint8_t fill) {
    size_t trail = 0;
    while (trail < key.size() && uint8_t(key[key.size() - 1 - trail]) == fill) ++trail;
    size_t dup = 0;
    while (!prev.empty() && dup < std::min(prev.size(), key.size()) && prev[dup] == key[dup]) ++dup;
    return key.size() - std::min(dup, key.size() - trail) - trail;
  };
  for (uint8_t fill : {uint8_t(' '), uint8_t(0)}) {
    for (size_t len = 1; len <= 40; ++len) {
      for (size_t differ = 0; differ <= len; ++differ) {
        for (size_t blanks = 0; blanks <= len; ++blanks) {
          std::string prev(len, 'K'), key(len, 'K');
          for (size_t i = 0; i < len; ++i) prev[i] = key[i] = char('A' + i % 23);
          if (differ < len) key[differ] = char(key[differ] + 1);
          for (size_t i = len - blanks; i < len; ++i) key[i] = char(fill);
          INFO("fill " << int(fill) << " length " << len << " differs at " << differ << " fill bytes " << blanks);
          REQUIRE(xbase::cdx::leaf_key_cost(prev, key, fill) == naive(prev, key, fill));
          REQUIRE(xbase::cdx::leaf_key_cost({}, key, fill) == naive({}, key, fill));
        }
      }
    }
  }
}

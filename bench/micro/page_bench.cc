// CDX compact leaf pages: encoding a full leaf into its 512 bytes, encoding it again after an
// append, and decoding it (engine/src/cdx/page.h), for the workload's two tags.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "cdx/page.h"
#include "expr/expr.h"
#include "fixture.h"
#include "workload.h"

namespace micro {
namespace {

using namespace xbase;

struct Leaf {
  cdx::Node node;
  uint16_t key_length = 0;
  uint8_t fill = 0;
};

// A leaf holding as many consecutive keys of the tag as fit, from the middle of a kN-record
// table: NAME (UPPER(NAME), 40-byte keys sharing their "CUST0000" prefix, blank-filled) or
// ID (4-byte integer keys).
Leaf full_leaf(bool name) {
  Leaf l;
  l.node.attr = cdx::kAttrLeaf;
  l.key_length = name ? 40 : 4;
  l.node.kl = l.key_length;
  l.fill = name ? ' ' : 0;
  // NAME of record i is "CUST" + (i * 7919 mod kN): the record of each name value, in order.
  std::vector<uint32_t> record_of(kN);
  for (uint32_t i = 1; i <= kN; ++i) record_of[uint64_t(i) * 7919 % kN] = i;
  for (uint32_t v = kN / 2; v < kN; ++v) {
    cdx::Entry e;
    if (name) {
      e.key = bench::name_of(record_of[v], kN);
      e.key.resize(l.key_length, ' ');
      e.recno = record_of[v];
    } else {
      expr::XValue x = expr::XValue::number(double(v));
      x.from_int_field = true;
      e.key = expr::encode_key(x, l.key_length, false);
      e.recno = v;
    }
    l.node.push_back(e.key, e.recno);
    if (cdx::leaf_size(l.node, l.fill) > cdx::kPageSize) {
      l.node.erase(l.node.count() - 1);
      break;
    }
  }
  return l;
}

void leaf_encode(benchmark::State& state, bool name) {
  const Leaf l = full_leaf(name);
  uint8_t page[cdx::kPageSize];
  for (auto _ : state) {
    bool ok = cdx::encode_node(l.node, l.key_length, l.fill, page);
    benchmark::DoNotOptimize(ok);
    benchmark::ClobberMemory();
  }
  state.counters["entries"] = double(l.node.count());
  state.SetItemsProcessed(int64_t(state.iterations() * l.node.count()));
}

// The flush after one key was added at the end of a full leaf's entries (issue 30): the page
// as written before is kept but for the last entry (Node::clean).
void leaf_encode_after_append(benchmark::State& state, bool name) {
  Leaf l = full_leaf(name);
  uint8_t before[cdx::kPageSize], page[cdx::kPageSize];
  const std::string last(l.node.key(l.node.count() - 1));
  const uint32_t recno = l.node.recnos.back();
  l.node.erase(l.node.count() - 1);
  if (!cdx::encode_node(l.node, l.key_length, l.fill, before)) throw std::runtime_error("the leaf does not fit its page");
  l.node.clean = l.node.count();
  l.node.insert(l.node.count(), last, recno);
  for (auto _ : state) {
    bool ok = cdx::encode_node(l.node, l.key_length, l.fill, page, before);
    benchmark::DoNotOptimize(ok);
    benchmark::ClobberMemory();
  }
  state.counters["entries"] = double(l.node.count());
  state.SetItemsProcessed(int64_t(state.iterations()));
}

void leaf_decode(benchmark::State& state, bool name) {
  const Leaf l = full_leaf(name);
  uint8_t page[cdx::kPageSize];
  if (!cdx::encode_node(l.node, l.key_length, l.fill, page))
    throw std::runtime_error("the leaf does not fit its page");
  const std::string file = "CUST.CDX";
  for (auto _ : state) {
    cdx::Node n = cdx::parse_node(page, 0x400, l.key_length, l.fill, file);
    benchmark::DoNotOptimize(n);
  }
  cdx::Node n = cdx::parse_node(page, 0x400, l.key_length, l.fill, file);
  if (n.count() != l.node.count() || n.keys != l.node.keys)
    state.SkipWithError("the decoded leaf differs from the encoded one");
  state.counters["entries"] = double(l.node.count());
  state.SetItemsProcessed(int64_t(state.iterations() * l.node.count()));
}

[[maybe_unused]] const bool registered = [] {
  for (bool name : {false, true}) {
    const std::string tag = name ? "NAME" : "ID";
    add("cdx_leaf/encode/" + tag, [name](benchmark::State& s) { leaf_encode(s, name); });
    add("cdx_leaf/encode_after_append/" + tag, [name](benchmark::State& s) { leaf_encode_after_append(s, name); });
    add("cdx_leaf/decode/" + tag, [name](benchmark::State& s) { leaf_decode(s, name); });
  }
  return true;
}();

}  // namespace
}  // namespace micro

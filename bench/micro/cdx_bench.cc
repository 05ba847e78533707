// CDX: seeking in a cached tag, and building a record's index key (the tag's expression
// evaluated on the record bytes, then encoded as the tag stores it).
#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <vector>

#include "expr/expr.h"
#include "fixture.h"
#include "workload.h"

namespace micro {
namespace {

using namespace xbase;

// The three tags of the fixture: ID (I field, 4-byte keys), AMOUNT (N field, 8-byte keys) and
// NAME (UPPER(NAME), 40-byte character keys).
enum class Key { id, amount, name };
const char* tag_of(Key k) { return k == Key::id ? "ID" : k == Key::amount ? "AMOUNT" : "NAME"; }

// The keys of the workload's seek-id and seek-name (k = 1..kN: every record once); AMOUNT is
// sought by the amount of the record seek-id finds.
std::vector<Value> seek_keys(Key key) {
  std::vector<Value> keys;
  keys.reserve(kN);
  for (uint32_t k = 1; k <= kN; ++k) {
    switch (key) {
      case Key::id:
        keys.push_back(Value::integer(bench::seek_id_key(k, kN)));
        break;
      case Key::amount:
        keys.push_back(Value::number(bench::amount_of(bench::seek_id_key(k, kN))));
        break;
      case Key::name:
        keys.push_back(Value::text(bench::seek_name_key(k, kN)));
        break;
    }
  }
  return keys;
}

SeekMode seek_mode(Key key) { return key == Key::name ? SeekMode::partial : SeekMode::exact; }

// Table::seek on a tag whose pages are cached: the table stays open between runs and every key
// was sought once before timing. In shared use each seek also checks the index's update counter
// (under the index lock) before trusting the cache.
void seek(benchmark::State& state, Mode m, Key key) {
  const std::vector<Value> keys = seek_keys(key);
  const char* tag = tag_of(key);
  const SeekMode mode = seek_mode(key);
  Table& t = kept_open(cust_table(), m, false, [&](Table& table) {
    for (const Value& v : keys)
      if (!table.seek(tag, v, mode)) throw std::runtime_error("a workload key was not found");
  });
  size_t i = 0, found = 0;
  for (auto _ : state) {
    std::optional<uint32_t> r = t.seek(tag, keys[i], mode);
    found += r.has_value();
    benchmark::DoNotOptimize(r);
    if (++i == keys.size()) i = 0;
  }
  if (int64_t(found) != int64_t(state.iterations()))
    state.SkipWithError("a workload key was not found");
  state.SetItemsProcessed(int64_t(state.iterations()));
}

// The key of one record for a tag, as index maintenance computes it on every append and
// update: the compiled expression evaluated on the record bytes, then encoded (engine/src/expr).
void key_build(benchmark::State& state, Key key) {
  Table& t = kept_open(cust_table(), Mode::shared, false);
  const char* tag = tag_of(key);
  const TagInfo* info = nullptr;
  for (const TagInfo& ti : t.tags())
    if (ti.name == tag) info = &ti;
  if (!info) throw std::runtime_error(std::string("no tag ") + tag);
  // Compiled as the index set compiles tags: against every descriptor, in the table's codepage.
  const expr::Expression e =
      expr::Expression::compile(info->key_expr, t.descriptors(), Codepage::get(t.info().codepage));
  const size_t key_length = info->key_length;
  // The bytes of the first 4096 records, evaluated in turn.
  const size_t reclen = t.info().record_length, count = 4096;
  std::vector<uint8_t> records;
  records.reserve(reclen * count);
  t.scan([&](const Record& r) {
    records.insert(records.end(), r.bytes().begin(), r.bytes().end());
    return records.size() < reclen * count;
  });
  expr::RecordContext rc;
  size_t i = 0;
  for (auto _ : state) {
    rc.bytes = records.data() + i * reclen;
    rc.recno = uint32_t(i + 1);
    std::string k = expr::encode_key(e.eval(rc), key_length, false);
    benchmark::DoNotOptimize(k);
    if (++i == count) i = 0;
  }
  state.SetItemsProcessed(int64_t(state.iterations()));
}

[[maybe_unused]] const bool registered = [] {
  for (Key k : {Key::id, Key::amount, Key::name})
    for (Mode m : {Mode::exclusive, Mode::shared})
      add(std::string("seek/") + tag_of(k) + "/" + mode_name(m),
          [m, k](benchmark::State& s) { seek(s, m, k); });
  for (Key k : {Key::id, Key::amount, Key::name})
    add(std::string("cdx_key/") + tag_of(k), [k](benchmark::State& s) { key_build(s, k); });
  return true;
}();

}  // namespace
}  // namespace micro

// Durable one-record changes: an xbase::Transaction of one update (journal written and synced,
// then the tables written and synced, then the journal cleared) against the same update made
// directly and followed by Table::sync(). Both wait for fsync, so the figures depend on the
// disk far more than on the engine.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "fixture.h"
#include "workload.h"
#include "xbase/transaction.h"

namespace micro {
namespace {

using namespace xbase;

// A table of 10,000 workload records with tags ID and NAME, shared by these benchmarks.
constexpr uint32_t kTxRecords = 10000;
const fs::path& tx_table() { return cust_copy("tx", kTxRecords, {tag_id(), tag_name()}); }

// One update: NAME of record r = ((k * 7919) mod n) + 1 becomes "UPD" + 10-digit k (as the
// workload's update-indexed), so tag NAME is maintained too.
void durable_update(benchmark::State& state, Mode m, bool transaction) {
  Table& t = kept_open(tx_table(), m, true);
  const size_t name = t.field_index_or_throw("NAME");
  static uint32_t k = 0;  // continues across runs: every update changes the record
  for (auto _ : state) {
    ++k;
    const uint32_t r = bench::update_record(k, kTxRecords);
    Value v = Value::text(fmt::format("UPD{:010}", k));
    if (transaction) {
      Transaction tx{&t};
      t.update(r, name, v);
      tx.commit();
    } else {
      t.update(r, name, v);
      t.sync();
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()));
}

[[maybe_unused]] const bool registered = [] {
  for (Mode m : {Mode::exclusive, Mode::shared}) {
    add(std::string("durable_update/transaction/") + mode_name(m),
        [m](benchmark::State& s) { durable_update(s, m, true); });
    add(std::string("durable_update/update_sync/") + mode_name(m),
        [m](benchmark::State& s) { durable_update(s, m, false); });
  }
  return true;
}();

}  // namespace
}  // namespace micro

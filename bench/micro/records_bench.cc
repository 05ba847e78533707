// Records: reading and decoding fields, scanning the table, appending one record.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "fixture.h"
#include "workload.h"

namespace micro {
namespace {

using namespace xbase;

// Fields of the CUST table by type: C, N, D, I, L, M.
struct CustFields {
  size_t name, amount, due, id, paid, note;
  explicit CustFields(const Table& t)
      : name(t.field_index_or_throw("NAME")),
        amount(t.field_index_or_throw("AMOUNT")),
        due(t.field_index_or_throw("DUE")),
        id(t.field_index_or_throw("ID")),
        paid(t.field_index_or_throw("PAID")),
        note(t.field_index_or_throw("NOTE")) {}
};

// A full scan once, so that the files are in the page cache before timing.
void warm_scan(Table& t) {
  t.scan([](const Record&) { return true; });
}

// Table::read of a record (in the workload's update order, so not sequential) and Record::get
// of its C, N, D, I and M fields (every 10th record has a memo, the others an empty one).
void read_decode(benchmark::State& state, Mode m) {
  Table& t = kept_open(cust_table(), m, false, warm_scan);
  const CustFields f(t);
  uint32_t k = 0;
  for (auto _ : state) {
    k = k % kN + 1;
    Record r = t.read(bench::update_record(k, kN));
    benchmark::DoNotOptimize(r.get(f.name));
    benchmark::DoNotOptimize(r.get(f.amount));
    benchmark::DoNotOptimize(r.get(f.due));
    benchmark::DoNotOptimize(r.get(f.id));
    benchmark::DoNotOptimize(r.get(f.note));
  }
  state.SetItemsProcessed(int64_t(state.iterations()));
}

// Record::get of one field of a record read once (record 10 has a memo): the decoding alone.
void field_get(benchmark::State& state, size_t CustFields::*field) {
  Table& t = kept_open(cust_table(), Mode::exclusive, false, warm_scan);
  const CustFields f(t);
  Record r = t.read(10);
  const size_t i = f.*field;
  for (auto _ : state) benchmark::DoNotOptimize(r.get(i));
}

// Table::scan over the kN records; bytes/s counts record bytes visited.
void scan(benchmark::State& state, Mode m) {
  Table& t = kept_open(cust_table(), m, false, warm_scan);
  const uint64_t record_bytes = uint64_t(t.record_count()) * t.info().record_length;
  uint64_t visited = 0;
  for (auto _ : state) {
    uint64_t n = 0;
    t.scan([&n](const Record&) {
      ++n;
      return true;
    });
    benchmark::DoNotOptimize(n);
    visited += n;
  }
  if (visited != uint64_t(state.iterations()) * t.record_count())
    state.SkipWithError("the scan did not visit every record");
  state.SetBytesProcessed(int64_t(state.iterations() * record_bytes));
  state.SetItemsProcessed(int64_t(visited));
}

// Rows to append: the workload's records 1..16384 made once (building Values is not what is
// measured); ID is set to a running number, so IDs stay distinct, NAME repeats after 16384.
std::vector<std::vector<Value>>& append_rows() {
  static std::vector<std::vector<Value>> rows = [] {
    std::vector<std::vector<Value>> v;
    for (uint32_t i = 1; i <= 16384; ++i) v.push_back(cust_row(i, kN));
    return v;
  }();
  return rows;
}

// Table::append of one record into a table created for the run: exclusive use with
// write-behind (records gathered and written in large blocks) or shared use (header lock, the
// record count re-read, the record and header written through). `indexed`: tags ID and NAME
// maintained.
void append(benchmark::State& state, Mode m, bool indexed) {
  auto& rows = append_rows();
  TempDir dir("append");
  std::unique_ptr<Table> t;
  {
    CreateOptions o;
    o.write_behind = m == Mode::exclusive;
    t = Table::create(dir.path() / "CUST.DBF", parse_field_list(kCustFields), o);
    if (indexed) {
      t->create_tag(tag_id());
      t->create_tag(tag_name());
    }
    if (m == Mode::shared) {
      t->close();
      t = Table::open(dir.path() / "CUST.DBF", options(Mode::shared, true));
    }
  }
  uint32_t i = 0;
  for (auto _ : state) {
    ++i;
    std::vector<Value>& row = rows[(i - 1) % rows.size()];
    row[0] = Value::integer(i);
    benchmark::DoNotOptimize(t->append(row));
  }
  t->close();  // the last write-behind block is written here, untimed
  state.SetItemsProcessed(int64_t(state.iterations()));
}

[[maybe_unused]] const bool registered = [] {
  for (Mode m : {Mode::exclusive, Mode::shared})
    add(std::string("record/read_get/") + mode_name(m),
        [m](benchmark::State& s) { read_decode(s, m); });
  const std::pair<const char*, size_t CustFields::*> fields[] = {
      {"C", &CustFields::name}, {"N", &CustFields::amount}, {"D", &CustFields::due},
      {"I", &CustFields::id},   {"L", &CustFields::paid},   {"M", &CustFields::note}};
  for (const auto& f : fields)
    add(std::string("record/get/") + f.first,
        [field = f.second](benchmark::State& s) { field_get(s, field); });
  for (Mode m : {Mode::exclusive, Mode::shared})
    add(std::string("scan/") + mode_name(m), [m](benchmark::State& s) { scan(s, m); });
  for (bool indexed : {false, true}) {
    add(std::string("append/exclusive_write_behind") + (indexed ? "/indexed" : ""),
        [indexed](benchmark::State& s) { append(s, Mode::exclusive, indexed); });
    add(std::string("append/shared") + (indexed ? "/indexed" : ""),
        [indexed](benchmark::State& s) { append(s, Mode::shared, indexed); });
  }
  return true;
}();

}  // namespace
}  // namespace micro

// The workload against our engine: CUST.DBF with its FPT and structural CDX.
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "workload.h"
#include "xbase/table.h"

namespace bench {

namespace fs = std::filesystem;
using namespace xbase;

namespace {

const char* kFields = "ID I, NAME C(40), CITY C(30), AMOUNT N(12,2), DUE D, PAID L, NOTE M";

std::vector<Value> row(uint32_t i, uint32_t n) {
  return {Value::integer(i),
          Value::text(name_of(i, n)),
          Value::text(city_of(i)),
          Value::number(amount_of(i)),
          Value::date(from_julian_day(julian_day({2020, 1, 1}) + due_day_of(i))),
          Value::logical(i % 3 == 0),
          Value::text(note_of(i))};
}

fs::path table(const Config& c) { return c.dir / "CUST.DBF"; }

void build_table(const Config& c, bool with_tags) {
  for (const char* f : {"CUST.DBF", "CUST.FPT", "CUST.CDX"}) fs::remove(c.dir / f);
  CreateOptions o;
  o.write_behind = true;
  auto t = Table::create(table(c), parse_field_list(kFields), o);
  if (with_tags) {
    t->create_tag({"ID", "ID", "", false, false, false});
    t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
  }
  for (uint32_t i = 1; i <= c.n; ++i) t->append(row(i, c.n));
  t->close();
}

OpenOptions reading(const std::string& mode) {
  OpenOptions o;
  if (mode == "exclusive")
    o.exclusive = true;
  else
    o.read_only = true;
  o.batched_scans = mode == "batch";  // the table is written by this engine alone
  return o;
}

OpenOptions writing(const std::string& mode) {
  OpenOptions o;
  o.exclusive = mode == "exclusive";
  return o;
}

// Mode "batch": a new read batch before seek k = 1, 1 + kBatchSeeks, ... (the last one ended
// first).
void next_batch(std::optional<ReadBatch>& batch, Table& t, const std::string& mode, uint32_t k) {
  if (mode != "batch" || (k - 1) % kBatchSeeks != 0) return;
  batch.reset();
  batch.emplace(t);
  if (!batch->active()) throw std::runtime_error("the read batch holds no lock");
}

uint32_t g_append_base = 0;  // records before the last shared-append-2p run

// After shared-append-2p: 100,000 more records, every new ID once, both tags right.
void check_shared_append(const Config& c) {
  const uint32_t before = g_append_base;
  auto t = Table::open(table(c), reading("shared"));
  if (t->record_count() != before + 2 * kAppendsPerProcess)
    throw std::runtime_error(fmt::format("shared-append-2p: {} records, wanted {}", t->record_count(),
                                         before + 2 * kAppendsPerProcess));
  std::vector<bool> seen(size_t(before) + 2 * kAppendsPerProcess + 1, false);
  size_t id = t->field_index_or_throw("ID");
  t->scan([&](const Record& r) {
    int64_t v = r.get(id).as_integer();
    if (v > int64_t(before) && v < int64_t(seen.size())) seen[size_t(v)] = true;
    return true;
  });
  for (size_t v = size_t(before) + 1; v < seen.size(); ++v)
    if (!seen[v]) throw std::runtime_error(fmt::format("shared-append-2p: ID {} is missing", v));
  for (const char* tag : {"ID", "NAME"})
    if (!t->verify_tag(tag).empty()) throw std::runtime_error(fmt::format("shared-append-2p: tag {} is wrong", tag));
}

// The table as append-indexed leaves it (an index build alone leaves one tag only).
bool has_both_tags(const Config& c) {
  if (!fs::exists(c.dir / "CUST.CDX")) return false;
  auto t = Table::open(table(c), reading("shared"));
  size_t found = 0;
  for (const auto& tag : t->tags()) found += tag.name == "ID" || tag.name == "NAME";
  return found == 2;
}

}  // namespace

Engine xbase_engine() {
  Engine e;
  e.name = "xbase";
  auto& m = e.ops;
  m["append"] = [](const Config& c, const std::string&) {
    build_table(c, false);
    return std::string();
  };
  m["index-name"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(table(c), writing(mode));
    t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
    t->close();
    return std::string();
  };
  m["index-id"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(table(c), writing(mode));
    t->create_tag({"ID", "ID", "", false, false, false});
    t->close();
    return std::string();
  };
  m["append-indexed"] = [](const Config& c, const std::string&) {
    build_table(c, true);
    return std::string();
  };
  m["seek-id"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(table(c), reading(mode));
    size_t name = t->field_index_or_throw("NAME"), found = 0;
    std::optional<ReadBatch> batch;
    for (uint32_t k = 1; k <= kSeeks; ++k) {
      next_batch(batch, *t, mode, k);
      auto r = t->seek("ID", Value::integer(seek_id_key(k, c.n)), SeekMode::exact);
      if (r && !t->read(*r).raw(name).empty()) ++found;
    }
    if (found != kSeeks) throw std::runtime_error(fmt::format("seek-id found {} of {}", found, kSeeks));
    return std::string();
  };
  m["seek-name"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(table(c), reading(mode));
    size_t found = 0;
    std::optional<ReadBatch> batch;
    for (uint32_t k = 1; k <= kSeeks; ++k) {
      next_batch(batch, *t, mode, k);
      if (t->seek("NAME", Value::text(seek_name_key(k, c.n)), SeekMode::partial)) ++found;
    }
    if (found != kSeeks) throw std::runtime_error(fmt::format("seek-name found {} of {}", found, kSeeks));
    return std::string();
  };
  m["scan-filter"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(table(c), reading(mode));
    size_t city = t->field_index_or_throw("CITY"), amount = t->field_index_or_throw("AMOUNT");
    uint64_t count = 0;
    const std::string_view want = "CITY07";
    t->scan([&](const Record& rec) {
      std::string_view cv = rec.raw(city);
      if (cv.substr(0, 6) != want || cv.find_first_not_of(' ', 6) != std::string_view::npos) return true;
      if (std::strtod(std::string(rec.raw(amount)).c_str(), nullptr) > 500.00) ++count;
      return true;
    });
    return fmt::format("count {}", count);
  };
  m["update-indexed"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(table(c), writing(mode));
    size_t name = t->field_index_or_throw("NAME");
    for (uint32_t k = 1; k <= kUpdates; ++k) {
      uint32_t r = update_record(k, c.n);
      t->lock_record(r);
      t->update(r, name, Value::text(fmt::format("UPD{:010}", k)));
      t->unlock_record(r);
    }
    t->close();
    return std::string();
  };
  m["lock-cycle"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(table(c), writing(mode));
    for (uint32_t k = 1; k <= kUpdates; ++k) {
      uint32_t r = update_record(k, c.n);
      t->lock_record(r);
      t->unlock_record(r);
    }
    return std::string();
  };
  m["shared-append-2p"] = [](const Config& c, const std::string&) {
    uint32_t before = Table::open(table(c), reading("shared"))->record_count();
    g_append_base = before;
    in_processes(2, [&](int p) {
      auto t = Table::open(table(c), writing("shared"));
      // Process p appends the generator's rows for IDs before + p * 50,000 + 1 ...
      for (uint32_t i = 1; i <= kAppendsPerProcess; ++i)
        t->append(row(before + uint32_t(p) * kAppendsPerProcess + i, c.n));
      t->close();
    });
    return std::string("no record lost");
  };
  e.prepare = [](const Config& c, const std::string& op, int run) {
    if (op == "append" || op == "append-indexed") return;
    bool index_build = op == "index-name" || op == "index-id";
    if (index_build) {
      build_table(c, false);  // a table without the tag, before every run
      return;
    }
    if (run > 0) return;
    // With its tags for every operation: a scan in mode "batch" takes the index lock.
    if (!fs::exists(table(c)) || !has_both_tags(c)) build_table(c, true);
  };
  e.check = [](const Config& c, const std::string& op) {
    if (op == "shared-append-2p") check_shared_append(c);
  };
  return e;
}

}  // namespace bench

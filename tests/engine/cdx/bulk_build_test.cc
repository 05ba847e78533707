// Building a tag over many records with a small sort budget: the keys are sorted in runs on
// disk and merged, the result equals the in-memory build, and no temporary file is left.
#include <catch2/catch.hpp>
#include <random>

#include "cdx/sorter.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;
namespace fs = std::filesystem;

namespace {
using Entries = std::vector<std::pair<std::string, uint32_t>>;

// What the sorter gives back, in its order.
Entries drain(cdx::KeySorter& s) {
  Entries got;
  cdx::Entry e;
  while (s.next(e)) got.emplace_back(e.key, e.recno);
  return got;
}
}  // namespace

TEST_CASE("the key sorter merges runs from disk in key order", "[cdx]") {
  TempDir d;
  std::mt19937 rng(7);
  cdx::KeySorter s(FileSystem::os(), d / "x.cdx", 6, 4096);
  Entries model;
  for (uint32_t r = 1; r <= 3000; ++r) {
    std::string k(6, ' ');
    for (auto& c : k) c = char('a' + rng() % 5);
    s.add(k, r);
    model.emplace_back(k, r);
  }
  std::sort(model.begin(), model.end());
  const Entries got = drain(s);
  CHECK(s.runs() > 10);
  CHECK(got == model);
}

// Each entry costs its key, its record number, its place in the order and two 12-byte radix
// items: key length + 32 bytes. The budget used to count 20 where the sort used 36, so the
// default 64 MiB "sorted in memory" a million 40-byte keys while they took 80 MB.
TEST_CASE("the key sorter spills when the entries and their sort space pass the budget", "[cdx]") {
  TempDir d;
  const size_t budget = 1 << 20, per = 40 + 32, fit = budget / per;
  for (size_t n : {fit - 1, fit + 1}) {
    INFO(n);
    cdx::KeySorter s(FileSystem::os(), d / "x.cdx", 40, budget);
    s.expect(n);
    for (uint32_t r = 1; r <= n; ++r) s.add(std::to_string(r * 7919u % 100003u), r);
    CHECK(s.runs() == (n > fit ? 1u : 0u));
  }
}

// Keys that come in order (a tag on an ID) are not sorted, and the radix sort's room is taken
// only at the first key out of order: wherever that comes, the order must still be right, in
// memory and through disk runs.
TEST_CASE("the key sorter orders keys that came in order but for one wherever it is", "[cdx]") {
  TempDir d;
  const uint32_t n = 200000;
  for (uint32_t odd : {0u, 2u, n / 2, n}) {
    for (size_t budget : {size_t(64) << 20, size_t(1) << 20}) {
      INFO("key out of order at " << odd << ", budget " << budget);
      cdx::KeySorter s(FileSystem::os(), d / "x.cdx", 8, budget);
      s.expect(n);
      Entries model;
      for (uint32_t r = 1; r <= n; ++r) {
        char k[16];
        std::snprintf(k, sizeof k, "%08u", r == odd ? 1u : r * 3u);  // 1 sorts before every other
        s.add(k, r);
        model.emplace_back(k, r);
      }
      std::sort(model.begin(), model.end());
      const Entries got = drain(s);
      if (budget == size_t(64) << 20) CHECK(s.runs() == 0u);
      else CHECK(s.runs() > 1u);
      CHECK(got == model);
    }
  }
}

TEST_CASE("the default sort memory sorts a million 40-byte keys without disk runs", "[cdx]") {
  CHECK(OpenOptions().sort_memory / (40 + 32) >= 1000000);
}

TEST_CASE("a tag built through disk runs equals one built in memory", "[cdx]") {
  TempDir d;
  std::mt19937 rng(11);
  {
    auto t = Table::create(d / "big.dbf", parse_field_list("NAME C(40), N N(8)"));
    std::vector<Value> v(2);
    for (int i = 0; i < 6000; ++i) {
      std::string name;
      for (int j = 0, n = int(rng() % 30); j < n; ++j) name += char('A' + rng() % 20);
      v[0] = Value::text(name);
      v[1] = Value::integer(int64_t(rng() % 1000));
      t->append(v);
    }
  }
  OpenOptions small;
  small.sort_memory = 16 * 1024;  // about 180 keys per run
  small.exclusive = true;
  auto t = Table::open(d / "big.dbf", small);
  t->create_tag({"NAME", "NAME", "", false, false, false});
  t->create_tag({"NUNIQ", "N", "", true, false, false});
  t->create_tag({"NDESC", "N", "N > 500", false, false, true});
  for (const char* tag : {"NAME", "NUNIQ", "NDESC"}) {
    INFO(tag);
    CHECK(t->verify_tag(tag).empty());
  }
  CHECK(t->key_count("NAME") == 6000);
  CHECK(t->key_count("NUNIQ") <= 1000);
  auto ordered_small = t->tag_order("NAME");
  t->close();
  // The same tags built in memory.
  OpenOptions excl;
  excl.exclusive = true;
  t = Table::open(d / "big.dbf", excl);
  t->reindex();
  CHECK(t->tag_order("NAME") == ordered_small);
  for (const auto& e : fs::directory_iterator(d.path()))
    CHECK(e.path().extension() != ".tmp");
}

// Builds and write-behind appends reserve room for their keys up front; a sort memory set
// without bound ("never spill") must not turn into a reservation of that size.
TEST_CASE("a sort memory without bound builds tags and defers keys like any other", "[cdx]") {
  TempDir d;
  CreateOptions c;
  c.write_behind = true;
  auto t = Table::create(d / "u.dbf", parse_field_list("NAME C(20), N N(8)"), c);
  t->close();
  OpenOptions o;
  o.exclusive = true;
  o.write_behind = true;
  o.sort_memory = SIZE_MAX;
  t = Table::open(d / "u.dbf", o);
  std::vector<Value> v(2);
  for (int i = 0; i < 500; ++i) {
    v[0] = Value::text("name " + std::to_string(i * 7 % 500));
    v[1] = Value::integer(i);
    t->append(v);
  }
  t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
  for (int i = 500; i < 1000; ++i) {  // keys deferred, then settled by the checks below
    v[0] = Value::text("name " + std::to_string(i * 7 % 1000));
    v[1] = Value::integer(i);
    t->append(v);
  }
  CHECK(t->verify_tag("NAME").empty());
  CHECK(t->key_count("NAME") == 1000);
}

#include "fixture.h"

#include <fmt/format.h>
#include <unistd.h>

#include <exception>
#include <map>
#include <system_error>

#include "workload.h"

namespace micro {

using namespace xbase;

TempDir::TempDir(const std::string& what) {
  static int counter = 0;
  path_ =
      fs::temp_directory_path() / fmt::format("xbase-micro-{}-{}-{}", ::getpid(), what, ++counter);
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const char* const kCustFields =
    "ID I, NAME C(40), CITY C(30), AMOUNT N(12,2), DUE D, PAID L, NOTE M";

std::vector<Value> cust_row(uint32_t i, uint32_t n) {
  return {Value::integer(i),
          Value::text(bench::name_of(i, n)),
          Value::text(bench::city_of(i)),
          Value::number(bench::amount_of(i)),
          Value::date(from_julian_day(julian_day({2020, 1, 1}) + bench::due_day_of(i))),
          Value::logical(i % 3 == 0),
          Value::text(bench::note_of(i))};
}

TagSpec tag_id() { return {"ID", "ID", "", false, false, false}; }
TagSpec tag_name() { return {"NAME", "UPPER(NAME)", "", false, false, false}; }
TagSpec tag_amount() { return {"AMOUNT", "AMOUNT", "", false, false, false}; }

fs::path build_cust(const fs::path& dir, uint32_t n, const std::vector<TagSpec>& tags) {
  CreateOptions o;
  o.write_behind = true;
  o.overwrite = true;
  fs::path p = dir / "CUST.DBF";
  auto t = Table::create(p, parse_field_list(kCustFields), o);
  for (uint32_t i = 1; i <= n; ++i) t->append(cust_row(i, n));
  for (const TagSpec& s : tags) t->create_tag(s);
  t->close();
  return p;
}

namespace {

// Process-wide fixtures; members are destroyed in reverse order, so the kept table closes
// before its folder goes.
struct Fixtures {
  std::map<std::string, std::unique_ptr<TempDir>> dirs;
  std::map<std::string, fs::path> tables;
  std::unique_ptr<Table> kept;
  fs::path kept_path;
  Mode kept_mode = Mode::shared;
  bool kept_writable = false;
};

Fixtures& fixtures() {
  static Fixtures f;
  return f;
}

}  // namespace

const fs::path& cust_copy(const std::string& name, uint32_t n, const std::vector<TagSpec>& tags) {
  Fixtures& f = fixtures();
  auto it = f.tables.find(name);
  if (it != f.tables.end()) return it->second;
  auto dir = std::make_unique<TempDir>(name);
  fs::path p = build_cust(dir->path(), n, tags);
  f.dirs[name] = std::move(dir);
  return f.tables[name] = p;
}

const fs::path& cust_table() { return cust_copy("cust", kN, {tag_id(), tag_name(), tag_amount()}); }

OpenOptions options(Mode m, bool writable) {
  OpenOptions o;
  o.exclusive = m == Mode::exclusive;
  o.read_only = !writable && m == Mode::shared;
  return o;
}

Table& kept_open(const fs::path& p, Mode m, bool writable,
                 const std::function<void(Table&)>& warm) {
  Fixtures& f = fixtures();
  if (f.kept && f.kept_path == p && f.kept_mode == m && f.kept_writable == writable) return *f.kept;
  close_kept();
  f.kept = Table::open(p, options(m, writable));
  f.kept_path = p;
  f.kept_mode = m;
  f.kept_writable = writable;
  if (warm) warm(*f.kept);
  return *f.kept;
}

void close_kept() {
  Fixtures& f = fixtures();
  if (!f.kept) return;
  auto t = std::move(f.kept);
  t->close();
}

void guarded(benchmark::State& state, const std::function<void(benchmark::State&)>& body) {
  try {
    body(state);
  } catch (const std::exception& e) {
    close_kept();
    state.SkipWithError(e.what());
  }
}

benchmark::internal::Benchmark* add(const std::string& name,
                                    std::function<void(benchmark::State&)> body) {
  return benchmark::RegisterBenchmark(
             name.c_str(),
             [body = std::move(body)](benchmark::State& state) { guarded(state, body); })
      ->UseRealTime();
}

}  // namespace micro

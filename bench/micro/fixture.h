// What the micro benchmarks share: the workload's CUST table (../shared/BENCH_WORKLOAD.md) built
// in a temporary folder, and tables kept open between the runs of one benchmark.
//
// Google Benchmark calls a benchmark function once per trial run (1 iteration, then more until
// the minimum time is reached), so what a benchmark sets up in its body is set up once per run,
// never per iteration; fixtures that are slow to build (a table of 100,000 records, a warm tag)
// are built once per process here and removed when it exits.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "xbase/index.h"
#include "xbase/table.h"

namespace micro {

namespace fs = std::filesystem;

// Records of the read fixtures (the workload's quick-run N).
constexpr uint32_t kN = 100000;

enum class Mode { exclusive, shared };
inline const char* mode_name(Mode m) { return m == Mode::exclusive ? "exclusive" : "shared"; }

// A folder under temp_directory_path(), removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& what);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The workload's field list and its record i of n, as the xbase-bench runner writes them.
extern const char* const kCustFields;
std::vector<xbase::Value> cust_row(uint32_t i, uint32_t n);

// The workload's tags, and a tag on the N field AMOUNT (unique for n <= 100,000).
xbase::TagSpec tag_id();
xbase::TagSpec tag_name();
xbase::TagSpec tag_amount();

// Creates dir/CUST.DBF (with .FPT, and .CDX when tags are given) holding records 1..n of the
// workload, writing behind in exclusive use; the tags are built after the records. Closed.
fs::path build_cust(const fs::path& dir, uint32_t n, const std::vector<xbase::TagSpec>& tags);

// The process's CUST table of kN records with tags ID, NAME and AMOUNT, built on first use
// (in a folder removed at exit). Benchmarks that only read or lock it share it.
const fs::path& cust_table();
// A private copy for benchmarks that change records: `name` tells copies apart; built once.
const fs::path& cust_copy(const std::string& name, uint32_t n,
                          const std::vector<xbase::TagSpec>& tags);

xbase::OpenOptions options(Mode m, bool writable);

// A table kept open between the runs of one benchmark (its caches stay warm): returns the one
// opened last when path, mode and writability match, else closes it, opens anew and calls
// `warm` once. Only one table is kept, since exclusive use shuts out any other open.
xbase::Table& kept_open(const fs::path& p, Mode m, bool writable,
                        const std::function<void(xbase::Table&)>& warm = {});
// Closes the kept table (before a benchmark opens the same files itself).
void close_kept();

// Runs body(state), turning an engine error into a skipped benchmark with its message.
void guarded(benchmark::State& state, const std::function<void(benchmark::State&)>& body);

// Registers a benchmark under `name` (what it measures, then its variant: "seek/ID/shared"),
// guarded, timed by the wall clock (file I/O, fsync and locks are much of what is measured, and
// the workload's figures are wall-clock too). No minimum time is set here, so
// --benchmark_min_time decides how long each runs.
benchmark::internal::Benchmark* add(const std::string& name,
                                    std::function<void(benchmark::State&)> body);

}  // namespace micro

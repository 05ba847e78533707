// The standard workload of ../shared/BENCH_WORKLOAD.md: its generator, its operations and
// the interface every engine of the runner implements.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace bench {

struct Config {
  uint32_t n = 100000;
  int runs = 3;
  std::set<std::string> ops;
  std::set<std::string> engines = {"xbase", "sqlite", "floor"};
  std::filesystem::path dir;
  std::string json;
};

// The operations in the workload's order, and the modes each runs in ("shared" and/or
// "exclusive": 5 to 9 in both where an engine tells them apart).
extern const std::vector<std::string> kOps;
std::vector<std::string> modes_of(const std::string& op);

// The generator, exactly as written in the workload.
std::string name_of(uint32_t i, uint32_t n);  // "CUST" + 10 digits
std::string city_of(uint32_t i);               // "CITY" + 2 digits
std::string amount_of(uint32_t i);             // "123.45"
int32_t due_day_of(uint32_t i);                 // days after 2020-01-01
std::string note_of(uint32_t i);               // "" or "note i"
// The seek keys: k = 1..100,000.
uint32_t seek_id_key(uint32_t k, uint32_t n);
std::string seek_name_key(uint32_t k, uint32_t n);
uint32_t update_record(uint32_t k, uint32_t n);  // record r of update-indexed and lock-cycle
constexpr uint32_t kSeeks = 100000;
constexpr uint32_t kBatchSeeks = 100;  // seeks per read batch (mode "batch")
constexpr uint32_t kUpdates = 100000;
constexpr uint32_t kAppendsPerProcess = 50000;

// Runs an operation once in a mode; returns a note for the table (a count).
using Op = std::function<std::string(const Config&, const std::string& mode)>;

struct Engine {
  std::string name;
  std::map<std::string, Op> ops;
  // Untimed, before the runs of an operation and before each run: make the data it needs.
  std::function<void(const Config&, const std::string& op, int run)> prepare;
  // Untimed, after each run: check what the run did (throws when it is wrong).
  std::function<void(const Config&, const std::string& op)> check;
};

Engine xbase_engine();
Engine sqlite_engine();
Engine floor_engine();

// Runs fn in `procs` forked processes at once (process index 0..procs-1); throws when one
// fails.
void in_processes(int procs, const std::function<void(int)>& fn);

}  // namespace bench

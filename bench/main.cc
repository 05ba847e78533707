// xbase-bench: runs the operations of ../shared/BENCH_WORKLOAD.md and prints the median of
// several runs per operation and mode, for our engine ("xbase"), SQLite ("sqlite") and the
// plain I/O the hardware allows ("floor"), then ours / SQLite and ours / floor in the same run.
//
//   xbase-bench [--n 100000] [--runs 3] [--ops append,seek-id,...] [--engines xbase,sqlite,floor]
//               [--json FILE] [--dir DIR]
#include <fmt/format.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "workload.h"

namespace fs = std::filesystem;
using namespace bench;

namespace {

struct Result {
  std::string op, engine, mode;
  std::vector<double> secs;
  double rss = 0;
  std::string note;
  double median() const {
    auto s = secs;
    std::sort(s.begin(), s.end());
    return s[s.size() / 2];
  }
};

// Peak resident memory of this process since the last reset_peak_rss(), in MB: the kernel's
// high-water mark (VmHWM), which writing 5 to clear_refs resets (Linux 4.0 and later).
double peak_rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);  // without /proc: the peak of the whole run
  return double(ru.ru_maxrss) / 1024.0;
}

// Each operation's peak counts from here: memory freed by the previous one goes back to the
// system first, then the kernel's high-water mark restarts at what is resident now.
// Reads every file of the folder once, so that a run starts with its data in the page cache
// (on this kind of virtual machine the cache is small and is often dropped between runs).
void warm_cache(const fs::path& dir) {
  std::vector<char> buf(1 << 20);
  for (const auto& f : fs::directory_iterator(dir)) {
    std::ifstream in(f.path(), std::ios::binary);
    while (in.read(buf.data(), std::streamsize(buf.size()))) {
    }
  }
}

// --cold: the folder's files leave the page cache, so that the operation's own reads fill it
// again as after a reboot (issue 30: how the cache was filled decides the cost of later small
// writes: readahead fills it in large folios, and each small write walks a whole folio).
void evict_cache(const fs::path& dir) {
  for (const auto& f : fs::directory_iterator(dir)) {
    int fd = ::open(f.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

void reset_peak_rss() {
  ::malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

// What the figures were measured on, for the JSON: the source's commit, machine, compiler.
std::string commit_of_source() {
  std::string out;
  if (FILE* p = ::popen("git -C \"" XBASE_SOURCE_DIR "\" rev-parse --short HEAD 2>/dev/null", "r")) {
    char buf[64];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? "unknown" : out;
}

std::string machine() {
  utsname u{};
  ::uname(&u);
  return fmt::format("{} {} {}, {} cpus", u.sysname, u.release, u.machine, ::sysconf(_SC_NPROCESSORS_ONLN));
}

std::set<std::string> list(const std::string& s) {
  std::set<std::string> out;
  size_t p = 0;
  while (p <= s.size()) {
    size_t e = s.find(',', p);
    if (e == std::string::npos) e = s.size();
    if (e > p) out.insert(s.substr(p, e - p));
    p = e + 1;
  }
  return out;
}

const Result* find(const std::vector<Result>& rs, const std::string& op, const std::string& engine,
                   const std::string& mode) {
  for (const auto& r : rs)
    if (r.op == op && r.engine == engine && (r.mode == mode || r.mode == "-")) return &r;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  bool cold = false, keep_cache = false;  // --cold, --keep-cache
  std::set<std::string> only_modes;        // --modes shared: one mode alone (for a profile)
  try {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      auto val = [&]() -> std::string {
        if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
        return argv[++i];
      };
      if (a == "--n") c.n = uint32_t(std::stoul(val()));
      else if (a == "--runs") c.runs = std::max(1, std::stoi(val()));
      else if (a == "--ops") c.ops = list(val());
      else if (a == "--engines") c.engines = list(val());
      else if (a == "--json") c.json = val();
      else if (a == "--dir") c.dir = val();
      else if (a == "--modes") only_modes = list(val());
      else if (a == "--cold") cold = true;
      else if (a == "--keep-cache") keep_cache = true;  // as another program left it
      else throw std::runtime_error("unknown option " + a);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "xbase-bench: {}\nusage: xbase-bench [--n N] [--runs R] [--ops a,b] "
                       "[--engines xbase,sqlite,floor] [--modes shared,exclusive] [--json FILE] [--dir DIR] "
                       "[--cold | --keep-cache]\n", e.what());
    return 2;
  }
  bool own_dir = c.dir.empty();
  if (own_dir) c.dir = fs::temp_directory_path() / fmt::format("xbase-bench-{}", ::getpid());
  fs::create_directories(c.dir);
  if (c.ops.empty()) c.ops.insert(kOps.begin(), kOps.end());

  std::vector<Engine> engines;
  for (auto make : {xbase_engine, sqlite_engine, floor_engine}) {
    Engine e = make();
    if (c.engines.count(e.name)) engines.push_back(std::move(e));
  }
  std::vector<Result> results;
  fmt::print("N = {}, {} runs, folder {}\n", c.n, c.runs, c.dir.string());
  fmt::print("{:<16} {:<7} {:<9} {:>10} {:>10} {:>10} {:>9}  {}\n", "operation", "engine", "mode",
             "median s", "min s", "max s", "rss MB", "note");
  int rc = 0;
  for (const std::string& op : kOps) {
    if (!c.ops.count(op)) continue;
    for (auto& e : engines) {
      if (!e.ops.count(op)) continue;
      // The floor has no modes: once per operation.
      const auto modes = e.name == "floor" ? std::vector<std::string>{"-"} : modes_of(op);
      for (const std::string& mode : modes) {
        if (!only_modes.empty() && mode != "-" && !only_modes.count(mode)) continue;
        Result r{op, e.name, mode, {}, 0, ""};
        try {
          for (int k = 0; k < c.runs; ++k) {
            e.prepare(c, op, k);
            // Every run starts on a settled file system: the previous run's dirty pages are
            // written back, so a write does not wait for their writeback (which on ext4 made a
            // 100-byte pwrite take 40 us instead of 2).
            ::sync();
            if (cold) evict_cache(c.dir);
            else if (!keep_cache) warm_cache(c.dir);
            reset_peak_rss();
            auto t0 = std::chrono::steady_clock::now();
            r.note = e.ops.at(op)(c, mode);
            r.secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            // The operation's own peak, before the check (which reads every key) adds its own.
            r.rss = std::max(r.rss, peak_rss_mb());
            if (op == "shared-append-2p") {
              rusage ru{};  // the appending processes (the largest child so far)
              getrusage(RUSAGE_CHILDREN, &ru);
              r.rss = std::max(r.rss, double(ru.ru_maxrss) / 1024.0);
            }
            e.check(c, op);
          }
        } catch (const std::exception& ex) {
          fmt::print(stderr, "xbase-bench: {} {} {}: {}\n", op, e.name, mode, ex.what());
          rc = 1;
          continue;
        }
        auto s = r.secs;
        std::sort(s.begin(), s.end());
        fmt::print("{:<16} {:<7} {:<9} {:>10.3f} {:>10.3f} {:>10.3f} {:>9.0f}  {}\n", op, e.name, mode,
                   r.median(), s.front(), s.back(), r.rss, r.note);
        std::fflush(stdout);
        results.push_back(std::move(r));
      }
    }
  }
  fmt::print("\n{:<16} {:<9} {:>12} {:>12}\n", "operation", "mode", "xbase/sqlite", "xbase/floor");
  for (const auto& r : results) {
    if (r.engine != "xbase") continue;
    const Result* q = find(results, r.op, "sqlite", r.mode);
    const Result* f = find(results, r.op, "floor", r.mode);
    fmt::print("{:<16} {:<9} {:>12} {:>12}\n", r.op, r.mode,
               q ? fmt::format("{:.2f}", r.median() / q->median()) : "-",
               f ? fmt::format("{:.1f}", r.median() / f->median()) : "-");
  }
  if (!c.json.empty()) {
    std::ofstream out(c.json);
    out << fmt::format("{{\"n\": {}, \"runs\": {}, \"commit\": \"{}\", \"machine\": \"{}\", \"compiler\": \"{}\", \"results\": [",
                       c.n, c.runs, commit_of_source(), machine(), __VERSION__);
    for (size_t i = 0; i < results.size(); ++i) {
      auto s = results[i].secs;
      std::sort(s.begin(), s.end());
      out << fmt::format("{}{{\"op\": \"{}\", \"engine\": \"{}\", \"mode\": \"{}\", \"median_s\": {:.4f}, \"min_s\": {:.4f}, \"max_s\": {:.4f}, \"peak_rss_mb\": {:.0f}}}",
                         i ? ", " : "", results[i].op, results[i].engine, results[i].mode, results[i].median(),
                         s.front(), s.back(), results[i].rss);
    }
    out << "]}\n";
  }
  if (own_dir) fs::remove_all(c.dir);
  return rc;
}

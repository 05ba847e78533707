// xbase-bench: runs the operations of ../shared/BENCH_WORKLOAD.md and prints the median of
// several runs per operation, for our engine ("xbase") and for the plain I/O the hardware
// allows ("floor": the same bytes with pwrite/pread, bare OFD lock loops). Operations 5 to 9
// run in shared use (other processes may work on the table: locks, fresh reads) and, where
// that differs, in exclusive use.
//
//   xbase-bench [--n 100000] [--runs 3] [--ops append,index-name,...] [--engines xbase,floor]
//               [--json FILE] [--dir DIR]
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;

namespace {

struct Config {
  uint32_t n = 100000;
  int runs = 3;
  std::set<std::string> ops;
  std::set<std::string> engines = {"xbase", "floor"};
  fs::path dir;
  std::string json;
};

const char* kOps[] = {"append",      "index-name",     "index-id",   "append-indexed",
                      "seek-id",     "seek-name",      "scan-filter", "update-indexed",
                      "lock-cycle",  "shared-append-2p"};

// The modes an operation runs in (the workload: 5 to 9 in both where the engine tells them
// apart; lock-cycle takes no locks in exclusive use, shared-append-2p is shared by nature).
std::vector<std::string> modes_of(const std::string& op) {
  if (op == "seek-id" || op == "seek-name" || op == "scan-filter" || op == "update-indexed")
    return {"shared", "exclusive"};
  if (op == "lock-cycle" || op == "shared-append-2p") return {"shared"};
  return {"exclusive"};
}

// The workload's generator, exactly as written.
std::string name_of(uint32_t i, uint32_t n) { return fmt::format("CUST{:010}", uint64_t(i) * 7919 % n); }
std::string city_of(uint32_t i) { return fmt::format("CITY{:02}", uint64_t(i) * 31 % 50); }
std::string amount_of(uint32_t i) { return fmt::format("{}.{:02}", (i % 100000) / 100, (i % 100000) % 100); }
Date due_of(uint32_t i) { return from_julian_day(julian_day({2020, 1, 1}) + int32_t(i % 2000)); }

std::vector<Value> row(uint32_t i, uint32_t n) {
  return {Value::integer(i),
          Value::text(name_of(i, n)),
          Value::text(city_of(i)),
          Value::number(amount_of(i)),
          Value::date(due_of(i)),
          Value::logical(i % 3 == 0),
          Value::text(i % 10 == 0 ? fmt::format("note {}", i) : std::string())};
}

const char* kFields = "ID I, NAME C(40), CITY C(30), AMOUNT N(12,2), DUE D, PAID L, NOTE M";

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

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) / 1024.0;
}

struct Result {
  std::string op, engine, mode;
  std::vector<double> secs;
  double rss = 0;
  std::string note;
};

void remove_table(const fs::path& dir) {
  for (const char* f : {"CUST.DBF", "CUST.FPT", "CUST.CDX"}) fs::remove(dir / f);
}

void build_table(const Config& c, bool with_tags) {
  remove_table(c.dir);
  CreateOptions o;
  o.write_behind = true;
  auto t = Table::create(c.dir / "CUST.DBF", parse_field_list(kFields), o);
  if (with_tags) {
    t->create_tag({"ID", "ID", "", false, false, false});
    t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
  }
  for (uint32_t i = 1; i <= c.n; ++i) t->append(row(i, c.n));
  t->close();
}

// Runs the operation once in the mode ("shared" or "exclusive"); returns a note (a count).
using Op = std::function<std::string(const Config&, const std::string& mode)>;

uint32_t g_append_base = 0;  // records before the last shared-append-2p run

OpenOptions reading(const std::string& mode) {
  OpenOptions o;
  if (mode == "exclusive")
    o.exclusive = true;
  else
    o.read_only = true;
  return o;
}

OpenOptions writing(const std::string& mode) {
  OpenOptions o;
  o.exclusive = mode == "exclusive";
  return o;
}

std::map<std::string, Op> xbase_ops() {
  std::map<std::string, Op> m;
  m["append"] = [](const Config& c, const std::string&) {
    build_table(c, false);
    return std::string();
  };
  m["index-name"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(c.dir / "CUST.DBF", writing(mode));
    t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
    t->close();
    return std::string();
  };
  m["index-id"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(c.dir / "CUST.DBF", writing(mode));
    t->create_tag({"ID", "ID", "", false, false, false});
    t->close();
    return std::string();
  };
  m["append-indexed"] = [](const Config& c, const std::string&) {
    build_table(c, true);
    return std::string();
  };
  m["seek-id"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(c.dir / "CUST.DBF", reading(mode));
    size_t name = t->field_index_or_throw("NAME"), found = 0;
    for (uint32_t k = 1; k <= 100000; ++k) {
      auto r = t->seek("ID", Value::integer(int64_t(uint64_t(k) * 104729 % c.n) + 1), SeekMode::exact);
      if (r && !t->read(*r).raw(name).empty()) ++found;
    }
    if (found != 100000) throw std::runtime_error(fmt::format("seek-id found {} of 100000", found));
    return std::string();
  };
  m["seek-name"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(c.dir / "CUST.DBF", reading(mode));
    size_t found = 0;
    for (uint32_t k = 1; k <= 100000; ++k) {
      std::string key = fmt::format("CUST{:010}", uint64_t(k) * 7919 * 13 % c.n);
      if (t->seek("NAME", Value::text(key), SeekMode::partial)) ++found;
    }
    if (found != 100000) throw std::runtime_error(fmt::format("seek-name found {} of 100000", found));
    return std::string();
  };
  m["scan-filter"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(c.dir / "CUST.DBF", reading(mode));
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
    auto t = Table::open(c.dir / "CUST.DBF", writing(mode));
    size_t name = t->field_index_or_throw("NAME");
    for (uint32_t k = 1; k <= 100000; ++k) {
      uint32_t r = uint32_t(uint64_t(k) * 7919 % c.n) + 1;
      t->lock_record(r);
      t->update(r, name, Value::text(fmt::format("UPD{:010}", k)));
      t->unlock_record(r);
    }
    t->close();
    return std::string();
  };
  m["lock-cycle"] = [](const Config& c, const std::string& mode) {
    auto t = Table::open(c.dir / "CUST.DBF", writing(mode));
    for (uint32_t k = 1; k <= 100000; ++k) {
      uint32_t r = uint32_t(uint64_t(k) * 7919 % c.n) + 1;
      t->lock_record(r);
      t->unlock_record(r);
    }
    return std::string();
  };
  m["shared-append-2p"] = [](const Config& c, const std::string&) {
    uint32_t before = Table::open(c.dir / "CUST.DBF", reading("shared"))->record_count();
    g_append_base = before;
    pid_t kids[2];
    for (int p = 0; p < 2; ++p) {
      kids[p] = ::fork();
      if (kids[p] < 0) throw std::runtime_error("fork failed");
      if (kids[p] == 0) {
        int rc = 0;
        try {
          auto t = Table::open(c.dir / "CUST.DBF", writing("shared"));
          // Process p appends IDs before + p*50000 + 1 ... (the generator's rows).
          for (uint32_t i = 1; i <= 50000; ++i) t->append(row(before + uint32_t(p) * 50000 + i, c.n));
          t->close();
        } catch (const std::exception& e) {
          fmt::print(stderr, "shared-append-2p: {}\n", e.what());
          rc = 1;
        }
        ::_exit(rc);
      }
    }
    for (pid_t k : kids) {
      int st = 0;
      ::waitpid(k, &st, 0);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) throw std::runtime_error("an appending process failed");
    }
    // Checked after the clock stops (see main): every record there, every tag right.
    return std::string("no record lost");
  };
  return m;
}

// The CUST record: deletion flag + ID I + NAME C(40) + CITY C(30) + AMOUNT N(12,2) + DUE D +
// PAID L + NOTE M(4).
constexpr size_t reclen = 1 + 4 + 40 + 30 + 12 + 8 + 1 + 4;

// The floor: the same number of bytes written and read with plain calls in large blocks.
std::map<std::string, Op> floor_ops() {
  std::map<std::string, Op> m;
  m["append"] = [](const Config& c, const std::string&) {
    int fd = ::open((c.dir / "floor.bin").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    std::vector<char> buf(4 << 20, 'x');
    uint64_t total = uint64_t(c.n) * reclen, off = 0;
    while (off < total) {
      size_t k = size_t(std::min<uint64_t>(buf.size(), total - off));
      if (::pwrite(fd, buf.data(), k, off_t(off)) != ssize_t(k)) throw std::runtime_error("pwrite");
      off += k;
    }
    ::close(fd);
    return std::string();
  };
  m["scan-filter"] = [](const Config& c, const std::string&) {
    int fd = ::open((c.dir / "floor.bin").c_str(), O_RDONLY);
    std::vector<char> buf(64 * 1024);
    uint64_t total = uint64_t(c.n) * reclen, off = 0;
    while (off < total) {
      ssize_t k = ::pread(fd, buf.data(), buf.size(), off_t(off));
      if (k <= 0) break;
      off += uint64_t(k);
    }
    ::close(fd);
    return std::string();
  };
  m["lock-cycle"] = [](const Config& c, const std::string&) {
    int fd = ::open((c.dir / "floor.bin").c_str(), O_RDWR | O_CREAT, 0644);
    struct flock fl {};
    fl.l_whence = SEEK_SET;
    fl.l_len = 1;
    for (uint32_t k = 1; k <= 100000; ++k) {
      fl.l_start = off_t(0x7FFFFFFE - (uint64_t(k) * 7919 % c.n + 1));
      fl.l_type = F_WRLCK;
      if (::fcntl(fd, F_OFD_SETLK, &fl) != 0) throw std::runtime_error("F_OFD_SETLK");
      fl.l_type = F_UNLCK;
      ::fcntl(fd, F_OFD_SETLK, &fl);
    }
    ::close(fd);
    return std::string();
  };
  return m;
}

// After shared-append-2p: N + 100,000 records, every ID once, both tags right.
void check_shared_append(const Config& c) {
  const uint32_t before = g_append_base;
  OpenOptions o;
  o.read_only = true;
  auto t = Table::open(c.dir / "CUST.DBF", o);
  if (t->record_count() != before + 100000)
    throw std::runtime_error(fmt::format("shared-append-2p: {} records, wanted {}", t->record_count(), before + 100000));
  std::vector<bool> seen(size_t(before) + 100001, false);
  size_t id = t->field_index_or_throw("ID");
  t->scan([&](const Record& r) {
    int64_t v = r.get(id).as_integer();
    if (v > int64_t(before) && v <= int64_t(before) + 100000) seen[size_t(v)] = true;
    return true;
  });
  for (uint32_t v = before + 1; v <= before + 100000; ++v)
    if (!seen[v]) throw std::runtime_error(fmt::format("shared-append-2p: ID {} is missing", v));
  for (const char* tag : {"ID", "NAME"})
    if (!t->verify_tag(tag).empty()) throw std::runtime_error(fmt::format("shared-append-2p: tag {} is wrong", tag));
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    auto list = [](const std::string& s) {
      std::set<std::string> out;
      size_t p = 0;
      while (p <= s.size()) {
        size_t e = s.find(',', p);
        if (e == std::string::npos) e = s.size();
        if (e > p) out.insert(s.substr(p, e - p));
        p = e + 1;
      }
      return out;
    };
    if (a == "--n") c.n = uint32_t(std::stoul(val()));
    else if (a == "--runs") c.runs = std::stoi(val());
    else if (a == "--ops") c.ops = list(val());
    else if (a == "--engines") c.engines = list(val());
    else if (a == "--json") c.json = val();
    else if (a == "--dir") c.dir = val();
    else {
      fmt::print(stderr, "usage: xbase-bench [--n N] [--runs R] [--ops a,b] [--engines xbase,floor] [--json FILE] [--dir DIR]\n");
      return 2;
    }
  }
  bool own_dir = c.dir.empty();
  if (own_dir) c.dir = fs::temp_directory_path() / fmt::format("xbase-bench-{}", ::getpid());
  fs::create_directories(c.dir);
  if (c.ops.empty())
    for (const char* o : kOps) c.ops.insert(o);

  std::map<std::string, std::map<std::string, Op>> engines = {{"xbase", xbase_ops()}, {"floor", floor_ops()}};
  std::vector<Result> results;
  fmt::print("N = {}, {} runs, folder {}\n", c.n, c.runs, c.dir.string());
  fmt::print("{:<16} {:<7} {:<9} {:>10} {:>10} {:>10} {:>9}  {}\n", "operation", "engine", "mode", "median s",
             "min s", "max s", "rss MB", "note");
  for (const char* op_name : kOps) {
    const std::string op = op_name;
    if (!c.ops.count(op)) continue;
    for (const auto& [ename, ops] : engines) {
      if (!c.engines.count(ename) || !ops.count(op)) continue;
      // The floor has no modes: once per operation.
      const auto modes = ename == "floor" ? std::vector<std::string>{"-"} : modes_of(op);
      for (const std::string& mode : modes) {
        Result r{op, ename, mode, {}, 0, ""};
        // Operations that need the table: make sure it is there, without timing that.
        bool index_build = op == "index-name" || op == "index-id";
        if (ename == "xbase" && op != "append" && op != "append-indexed") {
          bool needs_tags = !index_build && op != "scan-filter";
          bool have = fs::exists(c.dir / "CUST.DBF") && (!needs_tags || fs::exists(c.dir / "CUST.CDX"));
          if (!have || index_build) build_table(c, needs_tags);
        }
        for (int k = 0; k < c.runs; ++k) {
          if (ename == "xbase" && k > 0 && index_build) build_table(c, false);
          auto t0 = std::chrono::steady_clock::now();
          r.note = ops.at(op)(c, mode);
          r.secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
          if (ename == "xbase" && op == "shared-append-2p") check_shared_append(c);
        }
        r.rss = peak_rss_mb();
        std::vector<double> s = r.secs;
        std::sort(s.begin(), s.end());
        fmt::print("{:<16} {:<7} {:<9} {:>10.3f} {:>10.3f} {:>10.3f} {:>9.0f}  {}\n", op, ename, r.mode,
                   s[s.size() / 2], s.front(), s.back(), r.rss, r.note);
        std::fflush(stdout);
        results.push_back(std::move(r));
      }
    }
  }
  if (!c.json.empty()) {
    std::ofstream out(c.json);
    out << fmt::format("{{\"n\": {}, \"runs\": {}, \"commit\": \"{}\", \"machine\": \"{}\", \"compiler\": \"{}\", \"results\": [",
                       c.n, c.runs, commit_of_source(), machine(), __VERSION__);
    for (size_t i = 0; i < results.size(); ++i) {
      auto s = results[i].secs;
      std::sort(s.begin(), s.end());
      out << fmt::format("{}{{\"op\": \"{}\", \"engine\": \"{}\", \"mode\": \"{}\", \"median_s\": {:.4f}, \"min_s\": {:.4f}, \"max_s\": {:.4f}, \"peak_rss_mb\": {:.0f}}}",
                         i ? ", " : "", results[i].op, results[i].engine, results[i].mode, s[s.size() / 2], s.front(), s.back(), results[i].rss);
    }
    out << "]}\n";
  }
  if (own_dir) fs::remove_all(c.dir);
  return 0;
}

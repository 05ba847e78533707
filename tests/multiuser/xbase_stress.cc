// xbase-stress: several processes working on one table in shared use, and the checks that
// nothing was lost. Driven by tests/multiuser/*.sh (and, inside the SMB lab's guest, by a
// script on the share), so it uses nothing but the engine's public API.
//
//   xbase-stress init DIR                     creates DIR/STRESS.DBF with three tags
//   xbase-stress work DIR WORKER OPS SEED     random appends, locked updates, deletes, seeks;
//                                             writes DIR/worker-WORKER.txt with its counts
//   xbase-stress verify DIR                   the invariants over every worker-*.txt
//   xbase-stress hang DIR                     starts an append and stops inside it, holding
//                                             the header lock (for kill -9 tests)
//   xbase-stress lock DIR RECNO SECONDS       holds a record lock (prints its offset)
//   xbase-stress trylock DIR RECNO            exit 0 when the record lock was granted, 1 not,
//                                             3 when the table is open for exclusive use
//
// Exit codes: 0 good, 1 an invariant failed (printed), 2 could not run.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "xbase/table.h"

namespace fs = std::filesystem;
using xbase::Table;
using xbase::Value;

namespace {

constexpr const char* kTable = "STRESS.DBF";
// Fields: worker, its sequence number, a name, an update counter and a checksum over them
// (a record read half old, half new fails the checksum).
enum { kWorker, kSeq, kName, kCnt, kChk };

int fail(const std::string& msg) {
  std::cerr << "xbase-stress: " << msg << "\n";
  return 1;
}

std::string checksum(int64_t worker, int64_t seq, const std::string& name, int64_t cnt) {
  uint32_t h = 2166136261u;
  for (char c : fmt::format("{}|{}|{}|{}", worker, seq, name, cnt)) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return fmt::format("{:08X}", h);
}

int64_t num(const Value& v) { return v.is_null() || v.is_empty() ? 0 : std::llround(v.as_real()); }
std::string text(const Value& v) {
  std::string s = v.is_null() || v.is_empty() ? "" : v.str();
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

struct Row {
  int64_t worker, seq, cnt;
  std::string name;
};

// Reads a record and checks its checksum; false for a torn record.
bool read_row(Table& t, uint32_t recno, Row& row) {
  auto r = t.read(recno);
  row.worker = num(r.get(size_t(kWorker)));
  row.seq = num(r.get(size_t(kSeq)));
  row.name = text(r.get(size_t(kName)));
  row.cnt = num(r.get(size_t(kCnt)));
  return text(r.get(size_t(kChk))) == checksum(row.worker, row.seq, row.name, row.cnt);
}

xbase::OpenOptions shared_options() {
  xbase::OpenOptions o;
  o.lock_wait = xbase::LockWait::up_to(std::chrono::seconds(60));
  o.internal_lock_timeout = std::chrono::seconds(60);
  return o;
}

std::string random_name(std::mt19937& rng) {
  static const char* kNames[] = {"Janssens", "Peeters", "Maes", "Jacobs", "Mertens",
                                 "Willems", "Claes", "Goossens", "Wouters", "De Smet",
                                 "Dubois", "Lambert", "Dupont", "Müller", "Vermeulen"};
  return fmt::format("{} {}", kNames[rng() % 15], rng() % 1000);
}

int init(const fs::path& dir) {
  fs::create_directories(dir);
  xbase::CreateOptions co;
  co.overwrite = true;
  auto t = Table::create(dir / kTable,
                         xbase::parse_field_list("WORKER N(5), SEQ N(10), NAME C(24), CNT N(10), CHK C(8)"),
                         co);
  t->create_tag({"KEY", "STR(WORKER,5)+STR(SEQ,10)", "", false, false, false});
  t->create_tag({"NAME", "UPPER(NAME)", "", false, false, false});
  t->create_tag({"CNT", "CNT", "", false, false, false});
  t->close();
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("worker-", 0) == 0) fs::remove(e.path());
  return 0;
}

int work(const fs::path& dir, int worker, int ops, unsigned seed) {
  std::mt19937 rng(seed);
  auto t = Table::open(dir / kTable, shared_options());
  int64_t appends = 0, updates = 0, deletes = 0, seeks = 0;
  std::vector<uint32_t> mine;  // record numbers of our appends, by sequence number - 1
  for (int op = 0; op < ops; ++op) {
    int dice = int(rng() % 100);
    if (dice < 35 || mine.empty()) {
      int64_t seq = appends + 1;
      std::string name = random_name(rng);
      std::vector<Value> v{Value::integer(worker), Value::integer(seq), Value::text(name),
                           Value::integer(0), Value::text(checksum(worker, seq, name, 0))};
      mine.push_back(t->append(v));
      ++appends;
    } else if (dice < 75) {
      uint32_t n = t->record_count();
      uint32_t recno = 1 + uint32_t(rng() % n);
      t->lock_record(recno);
      Row row;
      if (!read_row(*t, recno, row)) return fail(fmt::format("worker {}: record {} torn", worker, recno));
      row.cnt += 1;
      row.name = random_name(rng);
      std::vector<std::pair<size_t, Value>> ch{
          {kName, Value::text(row.name)},
          {kCnt, Value::integer(row.cnt)},
          {kChk, Value::text(checksum(row.worker, row.seq, row.name, row.cnt))}};
      t->update(recno, ch);
      t->unlock_record(recno);
      ++updates;
    } else if (dice < 85) {
      uint32_t recno = 1 + uint32_t(rng() % t->record_count());
      // Without an explicit lock: remove/recall lock the record for the change themselves.
      if (rng() % 2)
        t->remove(recno);
      else
        t->recall(recno);
      ++deletes;
    } else {
      int64_t seq = 1 + int64_t(rng() % mine.size());
      auto found = t->seek("KEY", Value::text(fmt::format("{:5d}{:10d}", worker, seq)));
      if (!found || *found != mine[size_t(seq - 1)])
        return fail(fmt::format("worker {}: seek of its record {} found {}", worker, seq,
                                found ? std::to_string(*found) : "nothing"));
      Row row;
      if (!read_row(*t, *found, row)) return fail(fmt::format("worker {}: record {} torn", worker, *found));
      if (row.worker != worker || row.seq != seq)
        return fail(fmt::format("worker {}: record {} holds {}/{}", worker, *found, row.worker, row.seq));
      ++seeks;
    }
  }
  t->close();
  std::ofstream out(dir / fmt::format("worker-{}.txt", worker));
  out << appends << " " << updates << " " << deletes << " " << seeks << "\n";
  std::cout << fmt::format("worker {}: {} appends, {} updates, {} deletes/recalls, {} seeks\n",
                           worker, appends, updates, deletes, seeks);
  return out ? 0 : 2;
}

int verify(const fs::path& dir) {
  std::map<int, int64_t> appends;
  int64_t updates = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.rfind("worker-", 0) != 0) continue;
    int w = std::stoi(n.substr(7));
    std::ifstream in(e.path());
    int64_t a = 0, u = 0;
    in >> a >> u;
    appends[w] = a;
    updates += u;
  }
  xbase::OpenOptions o;
  o.read_only = true;
  auto t = Table::open(dir / kTable, o);
  int64_t want = 0;
  for (auto& [w, a] : appends) want += a;
  int bad = 0;
  auto problem = [&](const std::string& m) {
    if (++bad <= 20) std::cerr << "xbase-stress: " << m << "\n";
  };
  if (int64_t(t->record_count()) != want)
    problem(fmt::format("{} records but the workers appended {}", t->record_count(), want));
  std::map<int, std::vector<int>> seen;  // worker -> times each sequence number occurs
  for (auto& [w, a] : appends) seen[w].assign(size_t(a) + 1, 0);
  int64_t total_cnt = 0;
  for (uint32_t r = 1; r <= t->record_count(); ++r) {
    Row row;
    if (!read_row(*t, r, row)) problem(fmt::format("record {} fails its checksum", r));
    total_cnt += row.cnt;
    auto it = seen.find(int(row.worker));
    if (it == seen.end() || row.seq < 1 || row.seq >= int64_t(it->second.size()))
      problem(fmt::format("record {} holds an unknown worker/sequence {}/{}", r, row.worker, row.seq));
    else
      ++it->second[size_t(row.seq)];
  }
  for (auto& [w, v] : seen)
    for (size_t s = 1; s < v.size(); ++s)
      if (v[s] != 1) problem(fmt::format("worker {} record {} appears {} times", w, s, v[s]));
  if (total_cnt != updates)
    problem(fmt::format("update counters add up to {} but the workers made {} updates (lost updates)",
                        total_cnt, updates));
  for (const auto& tag : t->tags())
    for (const auto& d : t->verify_tag(tag.name)) problem(d);
  if (bad) return fail(fmt::format("{} problems", bad));
  std::cout << fmt::format("verified: {} records from {} workers, {} updates, {} tags right\n",
                           want, appends.size(), updates, t->tags().size());
  return 0;
}

// A file system whose DBF writes stop for good once armed: the process then sits inside an
// append, holding the header lock, until it is killed.
class StallFileSystem final : public xbase::FileSystem {
 public:
  explicit StallFileSystem(fs::path marker) : marker_(std::move(marker)) {}
  bool armed = false;
  std::unique_ptr<xbase::File> open(const fs::path& p, xbase::OpenMode m) override;
  bool exists(const fs::path& p) override { return os().exists(p); }
  void rename(const fs::path& a, const fs::path& b) override { os().rename(a, b); }
  void remove(const fs::path& p) override { os().remove(p); }
  void sync_dir(const fs::path& d) override { os().sync_dir(d); }
  std::vector<std::string> list_dir(const fs::path& d) override { return os().list_dir(d); }
  void stall() {
    std::ofstream(marker_) << getpid() << "\n";
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }

 private:
  fs::path marker_;
};

class StallFile final : public xbase::File {
 public:
  StallFile(std::unique_ptr<xbase::File> f, StallFileSystem& fsys) : f_(std::move(f)), fs_(fsys) {}
  size_t read_at(uint64_t off, void* buf, size_t n) override { return f_->read_at(off, buf, n); }
  void write_at(uint64_t off, const void* buf, size_t n) override {
    if (fs_.armed) fs_.stall();
    f_->write_at(off, buf, n);
  }
  uint64_t size() override { return f_->size(); }
  void truncate(uint64_t s) override { f_->truncate(s); }
  void sync() override { f_->sync(); }
  bool lock(uint64_t off, uint64_t len, xbase::LockMode m, bool wait) override {
    return f_->lock(off, len, m, wait);
  }
  void unlock(uint64_t off, uint64_t len) override { f_->unlock(off, len); }
  const std::string& path() const override { return f_->path(); }

 private:
  std::unique_ptr<xbase::File> f_;
  StallFileSystem& fs_;
};

std::unique_ptr<xbase::File> StallFileSystem::open(const fs::path& p, xbase::OpenMode m) {
  return std::make_unique<StallFile>(os().open(p, m), *this);
}

int hang(const fs::path& dir) {
  StallFileSystem sfs(dir / "hang.pid");
  auto o = shared_options();
  o.fs = &sfs;
  auto t = Table::open(dir / kTable, o);
  sfs.armed = true;
  std::string name = "never written";
  t->append(std::vector<Value>{Value::integer(99), Value::integer(1), Value::text(name),
                               Value::integer(0), Value::text(checksum(99, 1, name, 0))});
  return fail("the append was not stopped");
}

int hold_lock(const fs::path& dir, uint32_t recno, int seconds) {
  auto t = Table::open(dir / kTable, shared_options());
  t->lock_record(recno);
  xbase::LockLayout l(t->lock_scheme(), t->info().structural_index, t->info().header_length,
                      t->info().record_length);
  std::cout << "locked " << l.record(recno).offset << std::endl;
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  return 0;
}

int try_lock(const fs::path& dir, uint32_t recno) {
  auto o = shared_options();
  o.lock_wait = xbase::LockWait::immediate();
  std::unique_ptr<Table> t;
  try {
    t = Table::open(dir / kTable, o);
  } catch (const xbase::Error& e) {
    if (e.code() != xbase::Errc::in_use) throw;
    std::cout << "in use: " << e.what() << "\n";
    return 3;
  }
  try {
    t->lock_record(recno);
  } catch (const xbase::Error& e) {
    if (e.code() != xbase::Errc::lock_timeout) throw;
    std::cout << "refused: " << e.what() << "\n";
    return 1;
  }
  std::cout << "granted\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  try {
    if (a.size() == 2 && a[0] == "init") return init(a[1]);
    if (a.size() == 5 && a[0] == "work")
      return work(a[1], std::stoi(a[2]), std::stoi(a[3]), unsigned(std::stoul(a[4])));
    if (a.size() == 2 && a[0] == "verify") return verify(a[1]);
    if (a.size() == 2 && a[0] == "hang") return hang(a[1]);
    if (a.size() == 4 && a[0] == "lock") return hold_lock(a[1], uint32_t(std::stoul(a[2])), std::stoi(a[3]));
    if (a.size() == 3 && a[0] == "trylock") return try_lock(a[1], uint32_t(std::stoul(a[2])));
  } catch (const std::exception& e) {
    std::cerr << "xbase-stress: " << e.what() << "\n";
    return 2;
  }
  std::cerr << "usage: xbase-stress init|work|verify|hang|lock|trylock DIR ...\n";
  return 2;
}

// Transactions under SIGKILL (tests/crash/sigkill.sh): workers move amounts between accounts
// of two tables and give numbered rows to a third, in transactions; the script kills them at
// random moments, and `verify` checks after each kill that nothing was half done.
//
//   xbase-txstress init DIR         accounts A and B (50 each, balance 1000), counter, rows
//   xbase-txstress work DIR SEED    transactions until killed
//   xbase-txstress cost DIR [N]     times N durable one-record updates with and without one
//   xbase-txstress verify DIR       completes what the killed left, then checks:
//       the balances still sum to 100000; the rows' numbers are exactly 1 .. NEXT-1, each
//       once; every tag matches its records. Exit 0 when all hold.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <string>

#include "journal/journal.h"
#include "journal/recovery.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

namespace fs = std::filesystem;
using namespace xbase;

namespace {

constexpr int kAccounts = 50;
constexpr int64_t kStart = 1000;

Value I(int64_t v) { return Value::integer(v); }
int64_t num(Table& t, uint32_t r, size_t f) { return int64_t(t.read(r).get(f).as_real()); }

void init(const fs::path& dir) {
  fs::create_directories(dir);
  for (const char* name : {"ACC_A", "ACC_B"}) {
    auto t = Table::create(dir / (std::string(name) + ".DBF"),
                           parse_field_list("ID N(6), BAL N(12), NOTE M"));
    for (int i = 1; i <= kAccounts; ++i)
      t->append(std::vector<Value>{I(i), I(kStart), Value::text("opened")});
    t->create_tag({"ID", "ID", "", false, true, false});
    t->create_tag({"BAL", "BAL", "", false, false, false});
  }
  auto c = Table::create(dir / "COUNTER.DBF", parse_field_list("NEXT N(10)"));
  c->append(std::vector<Value>{I(1)});
  c->create_tag({"NEXT", "NEXT", "", false, false, false});
  auto n = Table::create(dir / "NUMS.DBF", parse_field_list("SEQ N(10), AMT N(12), NOTE M"));
  n->create_tag({"SEQ", "SEQ", "", false, true, false});
}

struct Tables {
  std::unique_ptr<Table> a, b, counter, nums;
  explicit Tables(const fs::path& dir) {
    OpenOptions o;
    o.lock_wait = LockWait::up_to(std::chrono::seconds(20));
    o.internal_lock_timeout = std::chrono::milliseconds(20000);
    a = Table::open(dir / "ACC_A.DBF", o);
    b = Table::open(dir / "ACC_B.DBF", o);
    counter = Table::open(dir / "COUNTER.DBF", o);
    nums = Table::open(dir / "NUMS.DBF", o);
  }
};

[[noreturn]] void work(const fs::path& dir, unsigned seed) {
  Tables t(dir);
  std::mt19937 rng(seed);
  for (;;) {
    try {
      Transaction tx{t.a.get(), t.b.get(), t.counter.get(), t.nums.get()};
      bool numbered = rng() % 2 == 0;
      uint32_t a = 1 + rng() % kAccounts, b = 1 + rng() % kAccounts;
      int64_t amount = 1 + rng() % 100;
      // Every lock before any change, always in this order: no two transactions wait on
      // each other in a circle.
      if (numbered) t.counter->lock_record(1);
      t.a->lock_record(a);
      t.b->lock_record(b);
      t.a->update(a, 1, I(num(*t.a, a, 1) - amount));
      t.b->update(b, 1, I(num(*t.b, b, 1) + amount));
      if (rng() % 4 == 0)
        t.a->update(a, 2, Value::text(fmt::format("sent {} to B{} ({})", amount, b,
                                                  std::string(rng() % 200, '.'))));
      if (numbered) {
        int64_t next = num(*t.counter, 1, 0);
        t.nums->append(std::vector<Value>{I(next), I(amount), Value::text(fmt::format("row {}", next))});
        t.counter->update(1, 0, I(next + 1));
      }
      tx.commit();
    } catch (const Error& e) {
      // Busy, or a killed worker's commit was completed while this one ran: not made, again.
      if (e.code() != Errc::lock_timeout && e.code() != Errc::retry) throw;
    }
  }
}

int verify(const fs::path& dir) {
  // What the killed processes left: counted here, then the tables open as usual.
  auto report = journal::settle(FileSystem::os(), dir, nullptr, std::chrono::seconds(20));
  Tables t(dir);
  int problems = 0;
  auto fail = [&](const std::string& m) {
    std::fprintf(stderr, "verify: %s\n", m.c_str());
    ++problems;
  };
  int64_t sum = 0;
  for (Table* acc : {t.a.get(), t.b.get()}) {
    if (acc->record_count() != kAccounts) fail(fmt::format("{} has {} records", acc->path().string(), acc->record_count()));
    for (uint32_t r = 1; r <= acc->record_count(); ++r) sum += num(*acc, r, 1);
  }
  if (sum != 2 * kAccounts * kStart) fail(fmt::format("balances sum to {}, not {}", sum, 2 * kAccounts * kStart));
  int64_t next = num(*t.counter, 1, 0);
  std::set<int64_t> seen;
  for (uint32_t r = 1; r <= t.nums->record_count(); ++r) {
    int64_t s = num(*t.nums, r, 0);
    if (!seen.insert(s).second) fail(fmt::format("number {} given twice", s));
    if (t.nums->read(r).get(2).str() != fmt::format("row {}", s)) fail(fmt::format("row {}: memo wrong", r));
  }
  if (seen.size() != size_t(next - 1) || (!seen.empty() && (*seen.begin() != 1 || *seen.rbegin() != next - 1)))
    fail(fmt::format("{} numbered rows, counter says next is {}", seen.size(), next));
  for (Table* x : {t.a.get(), t.b.get(), t.counter.get(), t.nums.get()})
    for (const auto& tag : x->tags())
      for (const auto& p : x->verify_tag(tag.name)) fail(p);
  std::printf("replayed=%d discarded=%d numbered=%lld problems=%d\n", report.replayed,
              report.discarded, static_cast<long long>(next - 1), problems);
  return problems ? 1 : 0;
}

// Time per change: a one-record update made durable without a transaction (update, sync)
// and the same in a transaction (update, commit), on the accounts of an init'ed folder.
int cost(const fs::path& dir, int n) {
  Tables t(dir);
  auto time = [&](bool in_tx) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      uint32_t r = uint32_t(1 + i % kAccounts);
      if (in_tx) {
        Transaction tx{t.a.get()};
        t.a->update(r, 1, I(num(*t.a, r, 1)));
        tx.commit();
      } else {
        t.a->update(r, 1, I(num(*t.a, r, 1)));
        t.a->sync();
      }
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / n;
  };
  double plain = time(false), tx = time(true);
  std::printf("one-record update, durable: %.3f ms without a transaction, %.3f ms in one (%d each)\n",
              plain, tx, n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: xbase-txstress init|work|verify DIR [SEED]\n");
    return 2;
  }
  std::string mode = argv[1];
  fs::path dir = argv[2];
  try {
    if (mode == "init") init(dir);
    else if (mode == "work") work(dir, argc > 3 ? unsigned(std::stoul(argv[3])) : 1u);
    else if (mode == "verify") return verify(dir);
    else if (mode == "cost") return cost(dir, argc > 3 ? std::stoi(argv[3]) : 200);
    else return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xbase-txstress %s: %s\n", mode.c_str(), e.what());
    return 2;
  }
  return 0;
}

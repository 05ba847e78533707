// The environment the engine takes from its FileSystem (clock, pauses, local time, random
// bits): a file system with its own clock makes a 30-second lock wait end at once, stamps its
// own date in table headers and names repair backups by it; every wrapper passes the calls on.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "testing/fault_fs.h"
#include "io/forwarding_fs.h"
#include "test_util.h"
#include "xbase/error.h"
#include "xbase/repair.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::TempDir;

namespace {

// The machine's files on a clock of its own: sleeping moves the clock on at once, and the
// local time is a fixed moment.
class VirtualClockFs final : public ForwardingFileSystem {
 public:
  VirtualClockFs() : ForwardingFileSystem(FileSystem::os()) {}
  std::chrono::steady_clock::time_point now() override { return t_; }
  void sleep_for(std::chrono::microseconds d) override {
    t_ += d;
    slept_ += d;
    ++sleeps_;
  }
  void yield() override { t_ += std::chrono::microseconds(1); }
  std::tm local_time() override {
    std::tm tm{};
    tm.tm_year = 2031 - 1900, tm.tm_mon = 1, tm.tm_mday = 28, tm.tm_hour = 23, tm.tm_min = 59, tm.tm_sec = 58;
    return tm;
  }
  uint64_t random() override { return ++draws_; }

  std::chrono::microseconds slept_{0};
  int sleeps_ = 0;
  uint64_t draws_ = 0;

 private:
  std::chrono::steady_clock::time_point t_{};
};

fs::path make_table(const TempDir& d, FileSystem* fsys = nullptr) {
  auto p = d / "T.DBF";
  CreateOptions c;
  c.fs = fsys;
  auto t = Table::create(p, parse_field_list("ID N(6), NAME C(20)"), c);
  for (int i = 1; i <= 3; ++i) t->append(std::vector<Value>{Value::integer(i), Value::text("n")});
  t->close();
  return p;
}

}  // namespace

TEST_CASE("a lock wait runs on the file system's clock", "[io]") {
  TempDir d;
  auto p = make_table(d);
  auto holder = Table::open(p, OpenOptions{});
  holder->lock_record(2);

  VirtualClockFs clock;
  OpenOptions o;
  o.fs = &clock;
  o.lock_wait = LockWait::up_to(std::chrono::seconds(30));
  auto waiter = Table::open(p, o);
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(waiter->lock_record(2), Error);
  const auto real = std::chrono::steady_clock::now() - start;
  // Thirty virtual seconds waited in pauses that grow to 20 ms, in well under a real second.
  CHECK(clock.slept_ >= std::chrono::seconds(29));
  CHECK(clock.sleeps_ > 1000);
  CHECK(real < std::chrono::seconds(5));
  CHECK(clock.draws_ >= 1);  // the index-lock slot of this open
  holder->unlock_all();
  waiter->lock_record(2);  // free now: taken at the first try
  CHECK(waiter->holds_lock(2));
}

TEST_CASE("a new table's header carries the file system's date", "[io]") {
  TempDir d;
  VirtualClockFs clock;
  auto p = make_table(d, &clock);
  OpenOptions o;
  o.fs = &clock;
  auto t = Table::open(p, o);
  CHECK(t->info().last_update.year == 2031);
  CHECK(t->info().last_update.month == 2);
  CHECK(t->info().last_update.day == 28);
}

TEST_CASE("repair names its backup by the file system's clock and copies through it", "[io]") {
  TempDir d;
  auto p = make_table(d);
  {  // damage: a header record count past the records the file holds
    auto f = FileSystem::os().open(p, OpenMode::read_write);
    uint8_t count[4] = {9, 0, 0, 0};
    f->write_at(4, count, 4);
  }
  VirtualClockFs clock;
  FaultFileSystem counting(clock);  // a wrapper of the wrapper passes the clock on
  RepairOptions ro;
  ro.fs = &counting;
  auto res = repair_table(p, ro);
  REQUIRE(res.changed);
  CHECK(res.backup.filename().string() == "T-20310228-235958");
  {  // the backup is the original, damaged header and all
    auto b = FileSystem::os().open(res.backup / "T.DBF", OpenMode::read_only);
    uint8_t count = 0;
    b->read_at(4, &count, 1);
    CHECK(count == 9);
  }
  CHECK(counting.ops() > 0);  // the copies and the repair went through the given file system
  CHECK(counting.synced().size() >= 1);
  auto t = Table::open(p, OpenOptions{});
  CHECK(t->record_count() == 3);
}

namespace {
// The machine's files, remembering every name looked for.
class LooksFs final : public ForwardingFileSystem {
 public:
  LooksFs() : ForwardingFileSystem(FileSystem::os()) {}
  bool exists(const fs::path& p) override {
    looked.push_back(p.filename().string());
    return base_.exists(p);
  }
  std::vector<std::string> looked;
};
}  // namespace

// Each look for a name that is not there is a round trip on a share: a table named in capitals
// looked for DOC.fpt and DOC.cdx before DOC.FPT and DOC.CDX at every open. Its index is now
// opened at DOC.CDX without a look at all.
TEST_CASE("a table named in capitals finds its memo and index files at the first look", "[io]") {
  TempDir d;
  {
    auto t = Table::create(d / "KLANT.DBF", parse_field_list("ID N(6), NOTE M"));
    t->create_tag({"ID", "ID", "", false, false, false});
  }
  LooksFs looks;
  OpenOptions o;
  o.fs = &looks;
  auto t = Table::open(d / "KLANT.DBF", o);
  CHECK(std::count(looks.looked.begin(), looks.looked.end(), "KLANT.FPT") == 1);
  CHECK(std::count(looks.looked.begin(), looks.looked.end(), "KLANT.CDX") == 0);
  CHECK(t->info().structural_index_path == std::optional<std::string>((d / "KLANT.CDX").string()));
  CHECK(std::count(looks.looked.begin(), looks.looked.end(), "KLANT.fpt") == 0);
  CHECK(std::count(looks.looked.begin(), looks.looked.end(), "KLANT.cdx") == 0);
}

// repair checked exclusive use with an open it closed again, then edited the files through
// handles of its own and opened the table twice more: between those steps another program
// could open the table and work in it while repair changed it underneath (issue 29). Now the
// exclusive hold lasts from the check to the end. Another process (a fork of this test, with
// none of its locks) tries to open the table, as the engine and as Harbour (flock) do, at
// every step of a repair that quarantines a record and rebuilds the index.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "damage_util.h"
#include "io/forwarding_fs.h"
#include "test_util.h"
#include "util/coding.h"
#include "xbase/repair.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;
namespace fs = std::filesystem;

namespace {

// What another process gets when it tries to open the table: bit 0 the engine's shared open
// succeeded, bit 1 a shared flock() was granted.
int other_process_opens(const fs::path& p) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int rc = 0;
    try {
      Table::open(p);
      rc |= 1;
    } catch (...) {
    }
    int fd = ::open(p.c_str(), O_RDONLY);
    if (fd >= 0 && ::flock(fd, LOCK_SH | LOCK_NB) == 0) rc |= 2;
    ::_exit(rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

// The real file system; once repair has started changing things (it makes its backup folder
// first), every open of the table's files lets another process try to open the table.
struct Watching final : ForwardingFileSystem {
  fs::path dbf;
  bool started = false;
  std::vector<std::string> let_in;  // the steps at which the other process got in
  explicit Watching(fs::path p) : ForwardingFileSystem(FileSystem::os()), dbf(std::move(p)) {}
  void try_other(const std::string& step) {
    if (int got = other_process_opens(dbf)) let_in.push_back(step + ": " + std::to_string(got));
  }
  void create_directories(const fs::path& dir) override {
    if (!started) {
      started = true;
      try_other("backup folder");
    }
    base_.create_directories(dir);
  }
  std::unique_ptr<File> open(const fs::path& p, OpenMode mode) override {
    if (started && p.stem() == dbf.stem()) try_other("open " + p.filename().string());
    return base_.open(p, mode);
  }
};

uint64_t record_offset(const fs::path& p, uint32_t recno) {
  auto h = test::peek(p, 8, 4);
  auto* b = reinterpret_cast<const uint8_t*>(h.data());
  return coding::get_le16(b) + uint64_t(recno - 1) * coding::get_le16(b + 2);
}

}  // namespace

TEST_CASE("repair keeps its exclusive hold from the check to the end: no other program gets in between its steps",
          "[check]") {
  TempDir d;
  auto p = test::fixture("vfp", d);
  uint32_t date_offset = 0;
  {
    OpenOptions o;
    o.read_only = true;
    auto t = Table::open(p, o);
    for (const auto& f : t->descriptors())
      if (f.name == "D") date_offset = f.offset;
  }
  REQUIRE(date_offset > 0);
  test::poke(p, record_offset(p, 40) + date_offset, "20x1 3 5");  // quarantined, index rebuilt
  CHECK(other_process_opens(p) == 3);  // before: anyone may open it

  Watching w(p);
  RepairOptions o;
  o.fs = &w;
  auto r = repair_table(p, o);
  CHECK(r.quarantined == 1);
  CHECK(r.after.problems() == 0);
  CHECK(w.started);
  std::string got_in;
  for (const auto& s : w.let_in) got_in += s + "\n";
  INFO("the other process got in at (1: engine open, 2: flock, 3: both):\n" << got_in);
  CHECK(w.let_in.empty());

  CHECK(other_process_opens(p) == 3);  // and after
}

// Shared and exclusive use seen by programs that signal it with flock(), as Harbour does on
// Linux (issue 29: `xbase index` rebuilt a table Harbour had open, and Harbour opened for
// exclusive use a table the engine was using). The other program is this test holding flock()
// on a descriptor of its own (its own open file description, as another process's would be),
// and flock(1) for the other direction.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "lock/whole_file_lock.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

std::filesystem::path make_table(const TempDir& d) {
  auto p = d / "T.DBF";
  auto t = Table::create(p, parse_field_list("ID N(6)"));
  t->append(std::vector<Value>{Value::integer(1)});
  return p;
}

// Another program's flock() on the table, held while this object lives.
struct OtherProgram {
  int fd;
  OtherProgram(const std::filesystem::path& p, int op) : fd(::open(p.c_str(), O_RDONLY)) {
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, op | LOCK_NB) == 0);
  }
  ~OtherProgram() { ::close(fd); }
};

Errc open_error(const std::filesystem::path& p, bool exclusive) {
  OpenOptions o;
  o.exclusive = exclusive;
  try {
    Table::open(p, o);
  } catch (const Error& e) {
    return e.code();
  }
  return Errc::io;  // opened: no error
}

// flock(1) as another program: its exit code (1: the lock was held by someone else).
int flock_tool(const TempDir& d, const char* mode, const std::filesystem::path& p) {
  return xbase::test::run_program("flock", {"-n", mode, p.string(), "true"}, d.path()).rc;
}

}  // namespace

TEST_CASE("a table another program holds with flock for exclusive use is not opened", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  OtherProgram harbour(p, LOCK_EX);
  CHECK(open_error(p, false) == Errc::in_use);
  CHECK(open_error(p, true) == Errc::in_use);
}

TEST_CASE("a table another program holds with a shared flock opens shared, not exclusive", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  OtherProgram harbour(p, LOCK_SH);
  CHECK(open_error(p, false) == Errc::io);  // opened
  CHECK(open_error(p, true) == Errc::in_use);
}

TEST_CASE("the engine's shared and exclusive use is seen by another program's flock", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  {
    OpenOptions excl;
    excl.exclusive = true;
    auto t = Table::open(p, excl);
    CHECK(flock_tool(d, "-s", p) == 1);
    CHECK(flock_tool(d, "-x", p) == 1);
  }
  {
    auto t = Table::open(p);
    CHECK(flock_tool(d, "-s", p) == 0);
    CHECK(flock_tool(d, "-x", p) == 1);
  }
  CHECK(flock_tool(d, "-x", p) == 0);  // closed: nothing left behind
}

TEST_CASE("flock is not taken on SMB/CIFS and NFS mounts, where it locks the whole file", "[lock]") {
  CHECK_FALSE(lock::flock_is_separate(0xFF534D42ul));  // cifs
  CHECK_FALSE(lock::flock_is_separate(0xFE534D42ul));  // smb2
  CHECK_FALSE(lock::flock_is_separate(0x6969ul));      // nfs
  CHECK(lock::flock_is_separate(0xEF53ul));            // ext4
  CHECK(lock::flock_is_separate(0x01021994ul));        // tmpfs
}

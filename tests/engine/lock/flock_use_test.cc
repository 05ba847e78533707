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

namespace {

// Descriptors of this process open on `p` (/proc/self/fd).
int descriptors_on(const std::filesystem::path& p) {
  int n = 0;
  const auto target = std::filesystem::canonical(p);
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    auto to = std::filesystem::read_symlink(e.path(), ec);
    if (!ec && to == target) ++n;
  }
  return n;
}

// Whether some open file description holds a lock on the use byte (0x7FFFFFFF) of `p`, seen
// from a descriptor of its own.
bool use_byte_locked(const std::filesystem::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0x7FFFFFFF;
  fl.l_len = 1;
  REQUIRE(::fcntl(fd, F_OFD_GETLK, &fl) == 0);
  ::close(fd);
  return fl.l_type != F_UNLCK;
}

}  // namespace

TEST_CASE("an open table holds its flock on its own descriptor: the DBF is opened once", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  auto t = Table::open(p);
  CHECK(descriptors_on(p) == 1);
  CHECK(flock_tool(d, "-x", p) == 1);  // and the flock is there
}

TEST_CASE("closing a table releases its use lock and flock with the descriptor", "[lock]") {
  TempDir d;
  auto p = make_table(d);
  {
    auto t = Table::open(p);
    CHECK(use_byte_locked(p));
  }
  CHECK_FALSE(use_byte_locked(p));
  CHECK(flock_tool(d, "-x", p) == 0);
  OpenOptions excl;
  excl.exclusive = true;
  CHECK(Table::open(p, excl) != nullptr);
}

// A program that keeps a table open and reads it outside any transaction saw a dead
// process's half-applied commit until the next open or transaction in the folder settled it
// (issue 29). Now its reads look at the folder (the journal marker and the journals of live
// owners, once a second at most) and complete such a commit before they are served. The
// writer is a second process (a fork of this test) killed with SIGKILL right after the first
// write of its commit into the table: record 1 changed, record 3 and the index not.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string_view>
#include <thread>

#include "io/forwarding_fs.h"
#include "test_util.h"
#include "xbase/check.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

using namespace xbase;
using xbase::test::TempDir;
namespace fs = std::filesystem;

namespace {

// The real file system; once armed, the first write into the DBF (the commit's apply: a
// transaction's own writes are staged in memory) holding record 1 is made and the process
// is killed.
struct DiesInApply final : ForwardingFileSystem {
  bool armed = false;
  DiesInApply() : ForwardingFileSystem(FileSystem::os()) {}
  struct F final : File {
    DiesInApply& owner;
    std::unique_ptr<File> f;
    bool dbf;
    F(DiesInApply& o, std::unique_ptr<File> b, bool d) : owner(o), f(std::move(b)), dbf(d) {}
    size_t read_at(uint64_t off, void* buf, size_t n) override { return f->read_at(off, buf, n); }
    void write_at(uint64_t off, const void* buf, size_t n) override {
      f->write_at(off, buf, n);
      if (dbf && owner.armed && std::string_view(static_cast<const char*>(buf), n).find("B1") != std::string_view::npos) {
        f->sync();
        ::raise(SIGKILL);
      }
    }
    uint64_t size() override { return f->size(); }
    void truncate(uint64_t s) override { f->truncate(s); }
    void sync() override { f->sync(); }
    bool lock(uint64_t off, uint64_t len, LockMode m, bool wait) override { return f->lock(off, len, m, wait); }
    void unlock(uint64_t off, uint64_t len) override { f->unlock(off, len); }
    std::optional<LockInfo> probe(uint64_t off, uint64_t len) override { return f->probe(off, len); }
    const std::string& path() const override { return f->path(); }
  };
  std::unique_ptr<File> open(const fs::path& p, OpenMode mode) override {
    const bool dbf = p.extension() == ".DBF" && p.stem() == "T";
    return std::make_unique<F>(*this, base_.open(p, mode), dbf);
  }
};

}  // namespace

TEST_CASE("a reader outside transactions completes a dead process's half-applied commit before it reads",
          "[transaction][crash]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("NAME C(10)"));
    for (const char* n : {"A1", "A2", "A3"}) t->append(std::vector<Value>{Value::text(n)});
    t->create_tag({"NAME", "NAME", "", false, false, false});
  }
  auto reader = Table::open(p);  // kept open, shared, throughout
  CHECK(reader->read(2).get("NAME").str() == "A2");

  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    DiesInApply fsys;
    OpenOptions o;
    o.fs = &fsys;
    auto w = Table::open(p, o);
    Transaction tx{w.get()};
    w->update(1, 0, Value::text("B1"));
    w->update(3, 0, Value::text("B3"));  // not beside record 1: written separately
    fsys.armed = true;
    tx.commit();
    ::_exit(3);  // not reached: killed in the commit
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);

  // Half applied on the disk: what a reader that does not settle would serve.
  {
    std::string bytes = test::read_file(p);
    CHECK(bytes.find("B1") != std::string::npos);
    CHECK(bytes.find("B3") == std::string::npos);
  }

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the reader looks once a second
  CHECK(reader->read(1).get("NAME").str() == "B1");
  CHECK(reader->read(3).get("NAME").str() == "B3");
  CHECK(reader->seek("NAME", Value::text("B3")) == 3u);
  reader->close();
  CHECK(check_table(p).problems() == 0);
}

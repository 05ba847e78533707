// In exclusive use a memo is read from the memo file once, not at every Record::get (issue 29):
// nobody else can change the file meanwhile. Shared use still reads it every time (another
// workstation may have changed it). Writes, packs and zaps are seen at once.
#include <catch2/catch.hpp>

#include "io/forwarding_fs.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

// Counts the reads of memo files (.FPT).
class CountingFs final : public ForwardingFileSystem {
 public:
  CountingFs() : ForwardingFileSystem(FileSystem::os()) {}
  size_t memo_reads = 0;

  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    auto f = base_.open(p, mode);
    if (p.extension() != ".FPT") return f;
    return std::make_unique<Counted>(std::move(f), memo_reads);
  }

 private:
  class Counted final : public File {
   public:
    Counted(std::unique_ptr<File> f, size_t& n) : f_(std::move(f)), n_(n) {}
    size_t read_at(uint64_t off, void* buf, size_t n) override {
      ++n_;
      return f_->read_at(off, buf, n);
    }
    void write_at(uint64_t off, const void* buf, size_t n) override { f_->write_at(off, buf, n); }
    uint64_t size() override { return f_->size(); }
    void truncate(uint64_t n) override { f_->truncate(n); }
    void sync() override { f_->sync(); }
    bool lock(uint64_t off, uint64_t len, LockMode m, bool wait) override { return f_->lock(off, len, m, wait); }
    void unlock(uint64_t off, uint64_t len) override { f_->unlock(off, len); }
    const std::string& path() const override { return f_->path(); }

   private:
    std::unique_ptr<File> f_;
    size_t& n_;
  };
};

std::filesystem::path make_table(const TempDir& d) {
  auto p = d / "T.DBF";
  auto t = Table::create(p, parse_field_list("ID I, NOTE M"));
  for (int i = 1; i <= 3; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text("note " + std::to_string(i))});
  return p;
}

size_t reads_for_100_gets(Table& t, CountingFs& fs) {
  size_t before = fs.memo_reads;
  for (int i = 0; i < 100; ++i) REQUIRE(t.read(2).get(1).str() == "note 2");
  return fs.memo_reads - before;
}

}  // namespace

TEST_CASE("a memo is read from the file at every Record::get only in shared use", "[memo]") {
  TempDir d;
  auto p = make_table(d);
  CountingFs fs;
  OpenOptions o;
  o.fs = &fs;
  {
    auto shared = Table::open(p, o);
    CHECK(reads_for_100_gets(*shared, fs) >= 100);
  }
  o.exclusive = true;
  auto t = Table::open(p, o);
  CHECK(reads_for_100_gets(*t, fs) <= 2);
  // A change is read back at once, in place or in a new block.
  t->update(2, 1, Value::text("new 2"));
  CHECK(t->read(2).get(1).str() == "new 2");
  t->update(2, 1, Value::text(std::string(300, 'x')));
  CHECK(t->read(2).get(1).str() == std::string(300, 'x'));
  t->update(2, 1, Value::text("note 2"));
  CHECK(reads_for_100_gets(*t, fs) <= 2);
  // Pack and zap write new memo files.
  t->remove(1);
  t->pack();
  CHECK(t->read(1).get(1).str() == "note 2");
  CHECK(t->read(2).get(1).str() == "note 3");
  t->zap();
  t->append(std::vector<Value>{Value::integer(9), Value::text("after zap")});
  CHECK(t->read(1).get(1).str() == "after zap");
}

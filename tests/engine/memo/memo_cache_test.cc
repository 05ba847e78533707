// In exclusive use a memo is read from the memo file once, not at every Record::get (issue 29):
// nobody else can change the file meanwhile. Shared use still reads it every time (another
// workstation may have changed it). Writes, packs and zaps are seen at once. The second
// process of the shared case is a fork of this test.
#include <catch2/catch.hpp>

#include <functional>

#include "io/forwarding_fs.h"
#include "other_process.h"
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

std::filesystem::path make_table(const TempDir& d, Format format = Format::vfp) {
  auto p = d / "T.DBF";
  CreateOptions co;
  co.format = format;
  auto t = Table::create(p, parse_field_list("ID N(5), NOTE M"), co);
  for (int i = 1; i <= 3; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text("note " + std::to_string(i))});
  return p;
}

// The memo-file reads one Record::get of record 2's memo makes.
size_t reads_for_one_get(Table& t, CountingFs& fs, const std::string& expect) {
  size_t before = fs.memo_reads;
  CHECK(t.read(2).get(1).str() == expect);
  return fs.memo_reads - before;
}


}  // namespace

TEST_CASE("a second get of the same memo in exclusive use reads nothing from the memo file", "[memo]") {
  TempDir d;
  auto p = make_table(d);
  CountingFs fs;
  OpenOptions o;
  o.fs = &fs;
  o.exclusive = true;
  auto t = Table::open(p, o);
  CHECK(reads_for_one_get(*t, fs, "note 2") > 0);
  CHECK(reads_for_one_get(*t, fs, "note 2") == 0);
  // A change is read back at once, in place or in a new block.
  t->update(2, 1, Value::text("new 2"));
  CHECK(t->read(2).get(1).str() == "new 2");
  t->update(2, 1, Value::text(std::string(300, 'x')));
  CHECK(t->read(2).get(1).str() == std::string(300, 'x'));
  t->update(2, 1, Value::text("note 2"));
  CHECK(reads_for_one_get(*t, fs, "note 2") > 0);  // what was written is read from the file
  CHECK(reads_for_one_get(*t, fs, "note 2") == 0);
  // Pack and zap write new memo files.
  t->remove(1);
  t->pack();
  CHECK(t->read(1).get(1).str() == "note 2");
  CHECK(t->read(2).get(1).str() == "note 3");
  t->zap();
  t->append(std::vector<Value>{Value::integer(9), Value::text("after zap")});
  CHECK(t->read(1).get(1).str() == "after zap");
}

#ifndef _WIN32  // the other process is a fork()
TEST_CASE("a memo another process wrote is read from the file in shared use", "[memo][multiuser]") {
  TempDir d;
  auto p = make_table(d);
  CountingFs fs;
  OpenOptions o;
  o.fs = &fs;
  auto t = Table::open(p, o);
  CHECK(reads_for_one_get(*t, fs, "note 2") > 0);
  CHECK(reads_for_one_get(*t, fs, "note 2") > 0);
  REQUIRE(xbase::test::in_other_process(p, OpenOptions{},  // in place
                                        [](Table& o2) { o2.update(2, 1, Value::text("other 2")); }));
  CHECK(reads_for_one_get(*t, fs, "other 2") > 0);
}
#endif

TEST_CASE("a dBASE IV memo rewritten in place reads back as written in exclusive use", "[memo]") {
  // memo_fuzz found it in the first try of this cache: a DBT write reads the old memo to see
  // whether the new one fits, which put the old text back into the cache just before the
  // new text was written over it, so the next get returned the old memo.
  TempDir d;
  auto p = make_table(d, Format::dbase4);
  OpenOptions o;
  o.exclusive = true;
  auto t = Table::open(p, o);
  CHECK(t->read(2).get(1).str() == "note 2");
  t->update(2, 1, Value::text("rewritten"));  // fits the old block: written in place
  CHECK(t->read(2).get(1).str() == "rewritten");
  t->update(2, 1, Value::text("again"));
  CHECK(t->read(2).get(1).str() == "again");
}

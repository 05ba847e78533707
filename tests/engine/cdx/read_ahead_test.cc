// Index pages read ahead in blocks (issue 30): in shared use a page that is not cached is read
// with the rest of its 32 KiB block, and later seeks take the block's other pages from those
// bytes without the index lock. Another process's commit must make every block stale: a seek
// after it that decoded a page from the old bytes would serve a key the file no longer has.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "cdx/cdx_file.h"
#include "io/forwarding_fs.h"
#include "other_process.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

std::string name_for(int i) { return "customer " + std::to_string(100000 + i); }

OpenOptions shared_use() {
  OpenOptions o;
  o.lock_wait = LockWait::up_to(std::chrono::seconds(8));
  o.internal_lock_timeout = std::chrono::seconds(8);
  return o;
}

constexpr int kRecords = 20000;  // an index of several blocks, past the whole-file prefetch

void make_table(const std::filesystem::path& p) {
  auto t = Table::create(p, parse_field_list("ID N(6), NAME C(24)"));
  for (int i = 1; i <= kRecords; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text(name_for(i))});
  t->create_tag({"NAME", "NAME", "", false, false, false});
}

}  // namespace

TEST_CASE("pages read ahead in a block are not served after another process changed the index",
          "[cdx][multiuser]") {
  TempDir d;
  auto p = d / "T.DBF";
  make_table(p);
  REQUIRE(std::filesystem::file_size(d / "T.CDX") > 3 * 32 * 1024);
  auto a = Table::open(p, shared_use());
  // One seek reads the block around its leaf; the records after it have their keys on that
  // leaf and the next ones of the block, which this process has not decoded yet.
  REQUIRE(a->seek("NAME", Value::text(name_for(500)), SeekMode::exact) == 500u);
  REQUIRE(a->seek("NAME", Value::text(name_for(501)), SeekMode::exact) == 501u);
  const std::vector<int> changed = {501, 530, 560, 600, 700, 900};
  REQUIRE(xbase::test::in_other_process(p, shared_use(), [&](Table& b) {
    for (int r : changed) b.update(uint32_t(r), 1, Value::text("changed " + std::to_string(r)));
  }));
  for (int r : changed) {
    INFO("record " << r);
    CHECK_FALSE(a->seek("NAME", Value::text(name_for(r)), SeekMode::exact));
    CHECK(a->seek("NAME", Value::text("changed " + std::to_string(r)), SeekMode::exact) == uint32_t(r));
  }
  CHECK(a->seek("NAME", Value::text(name_for(502)), SeekMode::exact) == 502u);
  CHECK(a->seek("NAME", Value::text(name_for(kRecords)), SeekMode::exact) == uint32_t(kRecords));
}

namespace {
// Counts the reads of index files (.CDX) that fetch pages: not the 12-byte header check.
class PageReads final : public ForwardingFileSystem {
 public:
  PageReads() : ForwardingFileSystem(FileSystem::os()) {}
  int reads = 0;
  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    auto f = base_.open(p, mode);
    if (p.extension() != ".CDX") return f;
    return std::make_unique<Counted>(std::move(f), reads);
  }

 private:
  struct Counted final : ForwardingFile {
    Counted(std::unique_ptr<File> f, int& n) : ForwardingFile(std::move(f)), reads(n) {}
    size_t read_at(uint64_t off, void* buf, size_t n) override {
      if (off != 0 || n > 12) ++reads;
      return base_->read_at(off, buf, n);
    }
    int& reads;
  };
};
}  // namespace

// Issue 30: this process's own change of the index wrote its pages into the blocks it had read
// ahead no more: it forgot every block, and the next seek (a shared append of random keys:
// every append) read its block again, 32 KiB a round trip. The blocks take the written bytes.
TEST_CASE("a block read ahead takes this process's own writes: a seek after a change reads no page again",
          "[cdx]") {
  TempDir d;
  auto p = d / "T.DBF";
  make_table(p);
  PageReads fs;
  OpenOptions o = shared_use();
  o.fs = &fs;
  auto a = Table::open(p, o);
  REQUIRE(a->seek("NAME", Value::text(name_for(1000)), SeekMode::exact) == 1000u);  // its block read
  a->update(1001, 1, Value::text(name_for(1001) + "x"));  // a key of the same leaf moves
  const int before = fs.reads;
  // A leaf a few leaves on, in the same block, not decoded yet: from the block.
  CHECK(a->seek("NAME", Value::text(name_for(1120)), SeekMode::exact) == 1120u);
  CHECK(a->seek("NAME", Value::text(name_for(1001) + "x"), SeekMode::exact) == 1001u);
  CHECK(fs.reads == before);
}

TEST_CASE("a block read ahead is not served after this process wrote the index", "[cdx]") {
  TempDir d;
  auto p = d / "T.DBF";
  make_table(p);
  auto a = Table::open(p, shared_use());
  REQUIRE(a->seek("NAME", Value::text(name_for(1000)), SeekMode::exact) == 1000u);
  // A second opener in this process changes keys near it; then the first changes another.
  {
    auto b = Table::open(p, shared_use());
    b->update(1010, 1, Value::text("changed by b"));
  }
  a->update(1020, 1, Value::text("changed by a"));
  CHECK_FALSE(a->seek("NAME", Value::text(name_for(1010)), SeekMode::exact));
  CHECK(a->seek("NAME", Value::text("changed by b"), SeekMode::exact) == 1010u);
  CHECK(a->seek("NAME", Value::text("changed by a"), SeekMode::exact) == 1020u);
  CHECK(a->seek("NAME", Value::text(name_for(1030)), SeekMode::exact) == 1030u);
}

TEST_CASE("reading ahead stays on after the index is reloaded", "[cdx]") {
  // reload() (after a rollback, or a change that failed halfway) makes a new page store.
  TempDir d;
  make_table(d / "T.DBF");
  auto f = cdx::CdxFile::open(FileSystem::os().open(d / "T.CDX", OpenMode::read_only));
  f->set_read_ahead(true);
  f->reload();
  size_t keys = 0;
  f->walk_tag("NAME", ' ', [&](uint32_t, const cdx::Node& leaf) { keys += leaf.count(); });
  CHECK(keys == size_t(kRecords));
  CHECK(f->store().blocks_held() > 0);
}

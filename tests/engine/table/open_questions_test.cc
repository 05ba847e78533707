// What opening a table asks the file system beyond its reads (issue 30): on a share each
// question is a round trip. A table or index whose first read ended at the file's end knows its
// size from that read (File::read_at is short only there), so its size is not asked again, nor
// when a small table's count is looked at again (one read of the whole file); a larger file
// still asks, and its count comes out right either way. The .dbf is opened without
// looking for it first: a pack's leftovers are looked for only when it is missing.
#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <string>

#include "dbf/header.h"
#include "io/forwarding_fs.h"
#include "test_util.h"
#include "xbase/error.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

// Counts size() per file name, and exists() per name looked for.
class QuestionsFs final : public ForwardingFileSystem {
 public:
  QuestionsFs() : ForwardingFileSystem(FileSystem::os()) {}
  std::map<std::string, int> sizes, looks;

  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    return std::make_unique<Counted>(base_.open(p, mode), sizes[p.filename().string()]);
  }
  bool exists(const std::filesystem::path& p) override {
    ++looks[p.filename().string()];
    return base_.exists(p);
  }

 private:
  class Counted final : public ForwardingFile {
   public:
    Counted(std::unique_ptr<File> f, int& n) : ForwardingFile(std::move(f)), n_(n) {}
    uint64_t size() override {
      ++n_;
      return ForwardingFile::size();
    }

   private:
    int& n_;
  };
};

// T.DBF with a structural index on NAME and `rows` records of `name_len` characters each.
std::filesystem::path make_table(const TempDir& d, int rows, int name_len) {
  auto p = d / "T.DBF";
  auto t = Table::create(p, parse_field_list("ID N(6), NAME C(" + std::to_string(name_len) + ")"), CreateOptions{});
  TagSpec tag;
  tag.name = tag.key = "NAME";
  t->create_tag(tag);
  for (int i = 1; i <= rows; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text("N" + std::to_string(100000 + i))});
  return p;
}

OpenOptions shared_through(QuestionsFs& fs) {
  OpenOptions o;
  o.fs = &fs;
  return o;
}

}  // namespace

TEST_CASE("a small table and its index are opened and read without asking their sizes", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 20, 10);
  REQUIRE(std::filesystem::file_size(p) < dbf::kHeaderReadAhead);
  QuestionsFs fs;
  auto t = Table::open(p, shared_through(fs));
  CHECK(t->seek("NAME", Value::text("N100017")) == 17u);
  CHECK(t->read(17).get(0).as_real() == 17);
  CHECK(fs.sizes["T.DBF"] == 0);
#ifdef _WIN32
  CHECK(fs.sizes["T.CDX"] == 1);  // a Windows file knows no size from its open (WinFile)
#else
  CHECK(fs.sizes["T.CDX"] == 0);
#endif
  // Nothing looked for before the table's own open, nor before its index's.
  CHECK(fs.looks["T.DBF"] == 0);
  CHECK(fs.looks["T.DBF.bak"] == 0);
  CHECK(fs.looks["T.CDX"] == 0);
  // Asked for its count in shared use, a table reads the file as it is now: a small one whole,
  // in one read that ends at the file's end.
  CHECK(t->record_count() == 20);
  CHECK(fs.sizes["T.DBF"] == 0);
  // Another opener appends: the count follows, still without a size asked.
  auto other = Table::open(p, OpenOptions{});
  other->append(std::vector<Value>{Value::integer(21), Value::text("N100021")});
  CHECK(t->record_count() == 21);
  CHECK(t->read(21).get(1).str() == "N100021");
  other.reset();
  CHECK(fs.sizes["T.DBF"] == 0);
}

TEST_CASE("a table and an index larger than their first read ask their sizes and count right", "[engine][share]") {
  TempDir d;
  // About 460 KB of records and an index of more than 64 KB.
  auto p = make_table(d, 6000, 70);
  REQUIRE(std::filesystem::file_size(p) > dbf::kHeaderReadAhead);
  REQUIRE(std::filesystem::file_size(d / "T.CDX") > 64 * 1024);
  QuestionsFs fs;
  auto t = Table::open(p, shared_through(fs));
  CHECK(t->seek("NAME", Value::text("N105417")) == 5417u);
  CHECK(fs.sizes["T.DBF"] == 1);
  CHECK(fs.sizes["T.CDX"] == 1);
  CHECK(t->record_count() == 6000);
  CHECK(fs.sizes["T.DBF"] == 2);  // too large for one read: its size is asked
}

TEST_CASE("a table exactly as long as the header read asks its size and counts right", "[engine][share]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("ID N(6), NAME C(10)"), CreateOptions{});
    t->append(std::vector<Value>{Value::integer(1), Value::text("A")});
  }
  // Records of the right count, then a file cut to exactly the header read's length: the read
  // comes back whole, so it cannot tell where the file ends.
  {
    auto t = Table::open(p, OpenOptions{});
    const uint64_t header = t->info().header_length, rec = t->info().record_length;
    const uint32_t n = uint32_t((dbf::kHeaderReadAhead - header - 1) / rec);
    for (uint32_t i = 2; i <= n; ++i) t->append(std::vector<Value>{Value::integer(int(i)), Value::text("B")});
  }
  const uint64_t size = std::filesystem::file_size(p);
  REQUIRE(size <= dbf::kHeaderReadAhead);
  std::filesystem::resize_file(p, dbf::kHeaderReadAhead);  // zeros after the marker
  QuestionsFs fs;
  auto t = Table::open(p, shared_through(fs));
  CHECK(fs.sizes["T.DBF"] == 1);
  CHECK(t->info().count_by_size >= t->info().header_count);
  CHECK(t->record_count() == t->info().header_count);
}

TEST_CASE("an index that grew past a whole read since its last load asks its size and is read right", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 20, 70);
  QuestionsFs fs;
  auto reader = Table::open(p, shared_through(fs));
  CHECK(reader->seek("NAME", Value::text("N100017")) == 17u);
  const int asked = fs.sizes["T.CDX"];  // none (a Windows file asks once: no size at its open)
  {
    // Another opener (its own descriptors, as another process) makes the index large.
    auto writer = Table::open(p, OpenOptions{});
    for (int i = 21; i <= 6000; ++i)
      writer->append(std::vector<Value>{Value::integer(i), Value::text("N" + std::to_string(100000 + i))});
  }
  REQUIRE(std::filesystem::file_size(d / "T.CDX") > 64 * 1024);
  // The last load's size says small: the whole read comes back full, so the size is asked.
  CHECK(reader->seek("NAME", Value::text("N105999")) == 5999u);
  CHECK(reader->seek("NAME", Value::text("N100003")) == 3u);
  CHECK(fs.sizes["T.CDX"] == asked + 1);
}

// The index is opened at the table's own spelling without a look first; one in another case
// (a folder copied by a program that lowers names) is still found and used.
TEST_CASE("an index spelt in another case than its table is still found and used", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 20, 10);
  std::filesystem::rename(d / "T.CDX", d / "t.cdx");
  QuestionsFs fs;
  auto t = Table::open(p, shared_through(fs));
  REQUIRE(t->info().structural_index_path);
  // Compared without case: a case-insensitive file system (Windows) may name it either way.
  std::string name = std::filesystem::path(*t->info().structural_index_path).filename().string();
  for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
  CHECK(name == "t.cdx");
  CHECK(t->seek("NAME", Value::text("N100017")) == 17u);
  CHECK(t->warnings().empty());
}

TEST_CASE("a table whose index is missing under every spelling opens with a warning naming it", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 20, 10);
  std::filesystem::remove(d / "T.CDX");
  QuestionsFs fs;
  auto t = Table::open(p, shared_through(fs));
  CHECK(fs.looks["T.CDX"] == 1);  // the open found nothing at the usual spelling, then looked
  CHECK(!t->info().structural_index_path);
  bool named = false;
  for (const auto& w : t->warnings()) named |= w.code == WarnCode::structural_index_missing && w.message.find("T.CDX") != std::string::npos;
  CHECK(named);
}

namespace {
// The machine's files, but the first `fails` opens of T.CDX fail as a dropped connection does.
class FlakyIndexFs final : public ForwardingFileSystem {
 public:
  explicit FlakyIndexFs(int fails) : ForwardingFileSystem(FileSystem::os()), fails_(fails) {}
  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    if (p.filename() == "T.CDX" && fails_ > 0) {
      --fails_;
      throw Error(Errc::io, {p.string(), {}, {}, {}}, "the connection failed");
    }
    return base_.open(p, mode);
  }

 private:
  int fails_;
};
}  // namespace

// The open at the usual spelling fails for another reason than a missing file: the table opens
// the index the usual way (looked for, then opened), and that second open reports what it finds.
TEST_CASE("an index whose first open fails is opened again the usual way", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 20, 10);
  {
    FlakyIndexFs once(1);
    OpenOptions o;
    o.fs = &once;
    auto t = Table::open(p, o);
    CHECK(t->seek("NAME", Value::text("N100017")) == 17u);
    CHECK(t->warnings().empty());
  }
  {
    // Failing again: a read-only open goes on without the index and says why.
    FlakyIndexFs twice(2);
    OpenOptions o;
    o.fs = &twice;
    o.read_only = true;
    auto t = Table::open(p, o);
    bool said = false;
    for (const auto& w : t->warnings()) said |= w.message.find("the connection failed") != std::string::npos;
    CHECK(said);
  }
}

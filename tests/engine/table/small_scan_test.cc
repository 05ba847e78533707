// A scan of a small table in shared use (issue 30): the read of the whole file that gives its
// count holds its records too, so one more read of the first window that agrees with it is all
// the scan reads (before: the window read twice more, each read a round trip on a share). A
// record another process was writing during the first read is never served torn: the reads
// disagree and the scan reads its window until two reads agree, as before.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "dbf/header.h"
#include "io/forwarding_fs.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

// Counts the reads of T.DBF; with `tear` set, the next read from its start comes back with the
// first record's name half changed, as while another process rewrites it.
class ReadsFs final : public ForwardingFileSystem {
 public:
  ReadsFs() : ForwardingFileSystem(FileSystem::os()) {}
  int reads = 0;
  bool tear = false;
  uint64_t torn_at = 0;  // the offset of the byte a torn read changes

  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    auto f = base_.open(p, mode);
    if (p.filename() != "T.DBF") return f;
    return std::make_unique<Counted>(std::move(f), *this);
  }

 private:
  class Counted final : public ForwardingFile {
   public:
    Counted(std::unique_ptr<File> f, ReadsFs& fs) : ForwardingFile(std::move(f)), fs_(fs) {}
    size_t read_at(uint64_t off, void* buf, size_t n) override {
      ++fs_.reads;
      const size_t got = ForwardingFile::read_at(off, buf, n);
      if (fs_.tear && off == 0 && fs_.torn_at < got) {
        fs_.tear = false;
        static_cast<uint8_t*>(buf)[fs_.torn_at] = 'X';
      }
      return got;
    }

   private:
    ReadsFs& fs_;
  };
};

// T.DBF with `rows` records named N100001, N100002, ...
std::filesystem::path make_table(const TempDir& d, int rows) {
  auto p = d / "T.DBF";
  auto t = Table::create(p, parse_field_list("ID N(6), NAME C(10)"), CreateOptions{});
  for (int i = 1; i <= rows; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text("N" + std::to_string(100000 + i))});
  return p;
}

std::vector<std::string> names_from(Table& t, uint32_t from = 1) {
  std::vector<std::string> out;
  t.scan(
      [&](const Record& r) {
        out.push_back(r.get(1).str());
        return true;
      },
      from);
  return out;
}

std::vector<std::string> expected_names(int first, int last) {
  std::vector<std::string> out;
  for (int i = first; i <= last; ++i) out.push_back("N" + std::to_string(100000 + i));
  return out;
}

OpenOptions shared_through(ReadsFs& fs) {
  OpenOptions o;
  o.fs = &fs;
  return o;
}

}  // namespace

TEST_CASE("a small table's scan in shared use reads its window once after the whole file", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 30);
  REQUIRE(std::filesystem::file_size(p) < dbf::kHeaderReadAhead);
  ReadsFs fs;
  auto t = Table::open(p, shared_through(fs));
  fs.reads = 0;
  CHECK(names_from(*t) == expected_names(1, 30));
  CHECK(fs.reads == 2);  // the whole file (its count), then the window that agrees with it
  fs.reads = 0;
  CHECK(names_from(*t, 12) == expected_names(12, 30));
  CHECK(fs.reads == 2);
  // Another program's change is seen by the next scan.
  {
    auto other = Table::open(p, OpenOptions{});
    other->update(3, 1, Value::text("CHANGED"));
    other->append(std::vector<Value>{Value::integer(31), Value::text("N100031")});
  }
  auto names = names_from(*t);
  REQUIRE(names.size() == 31);
  CHECK(names[2] == "CHANGED");
  CHECK(names[30] == "N100031");
}

TEST_CASE("a record torn in the whole-file read is not served by a small table's scan", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 30);
  ReadsFs fs;
  auto t = Table::open(p, shared_through(fs));
  fs.torn_at = t->info().header_length + 1 + 6 + 3;  // record 1: deleted flag, ID, then NAME's 4th byte
  fs.tear = true;
  fs.reads = 0;
  CHECK(names_from(*t) == expected_names(1, 30));
  CHECK_FALSE(fs.tear);  // the torn read happened
  CHECK(fs.reads > 2);   // the window was read until two reads agreed
}

TEST_CASE("under its own file lock a small table's scan reads the file once", "[engine][share]") {
  TempDir d;
  auto p = make_table(d, 30);
  ReadsFs fs;
  auto t = Table::open(p, shared_through(fs));
  t->lock_file();
  fs.tear = false;
  fs.reads = 0;
  CHECK(names_from(*t) == expected_names(1, 30));
  CHECK(fs.reads == 1);
  t->unlock_all();
}

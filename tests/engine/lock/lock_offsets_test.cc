// The lock ranges the engine takes, observed through a File that records every lock call,
// equal the offsets XBASE_REFERENCE.md section 6 documents for each scheme.
#include <catch2/catch.hpp>

#include <set>
#include <tuple>

#include "test_util.h"
#include "xbase/lock.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::TempDir;

namespace {

struct Call {
  std::string file;  // extension, lower case: dbf, cdx, fpt
  uint64_t offset, length;
  LockMode mode;
  bool operator<(const Call& o) const {
    return std::tie(file, offset, length, mode) < std::tie(o.file, o.offset, o.length, o.mode);
  }
  bool operator==(const Call& o) const = default;
};

std::ostream& operator<<(std::ostream& os, const Call& c) {
  return os << c.file << "@" << std::hex << c.offset << "+" << c.length << std::dec
            << (c.mode == LockMode::shared ? " shared" : " exclusive");
}

class RecordingFs final : public FileSystem {
 public:
  std::set<Call> calls;
  std::unique_ptr<File> open(const fs::path& p, OpenMode m) override;
  bool exists(const fs::path& p) override { return os().exists(p); }
  void rename(const fs::path& a, const fs::path& b) override { os().rename(a, b); }
  void remove(const fs::path& p) override { os().remove(p); }
  void sync_dir(const fs::path& d) override { os().sync_dir(d); }
  std::vector<std::string> list_dir(const fs::path& d) override { return os().list_dir(d); }
};

class RecordingFile final : public File {
 public:
  RecordingFile(std::unique_ptr<File> f, RecordingFs& r, std::string ext)
      : f_(std::move(f)), r_(r), ext_(std::move(ext)) {}
  size_t read_at(uint64_t off, void* b, size_t n) override { return f_->read_at(off, b, n); }
  void write_at(uint64_t off, const void* b, size_t n) override { f_->write_at(off, b, n); }
  uint64_t size() override { return f_->size(); }
  void truncate(uint64_t s) override { f_->truncate(s); }
  void sync() override {}
  bool lock(uint64_t off, uint64_t len, LockMode m, bool wait) override {
    r_.calls.insert({ext_, off, len, m});
    return f_->lock(off, len, m, wait);
  }
  void unlock(uint64_t off, uint64_t len) override { f_->unlock(off, len); }
  const std::string& path() const override { return f_->path(); }

 private:
  std::unique_ptr<File> f_;
  RecordingFs& r_;
  std::string ext_;
};

std::unique_ptr<File> RecordingFs::open(const fs::path& p, OpenMode m) {
  std::string e = p.extension().string().substr(1);
  for (auto& c : e) c = char(std::tolower(static_cast<unsigned char>(c)));
  return std::make_unique<RecordingFile>(os().open(p, m), *this, e);
}

// A table with a memo and (optionally) a structural index, 3 records.
fs::path make_table(const TempDir& d, bool with_index) {
  auto p = d / "T.DBF";
  auto t = Table::create(p, parse_field_list("ID N(6), NAME C(20), NOTE M"));
  for (int i = 1; i <= 3; ++i)
    t->append(std::vector<Value>{Value::integer(i), Value::text("n"), Value::empty()});
  if (with_index) t->create_tag({"ID", "ID", "", false, false, false});
  t->close();
  return p;
}

// Opens in shared use with the scheme and exercises every kind of lock once.
std::set<Call> exercise(const fs::path& p, LockScheme scheme) {
  RecordingFs rec;
  OpenOptions o;
  o.fs = &rec;
  o.lock_scheme = scheme;
  auto t = Table::open(p, o);
  // First, while the index is read only at its first use: a seek takes the index read lock
  // (later ones run on the cached pages while the update counter is unchanged).
  if (!t->tags().empty()) t->seek("ID", Value::integer(2));
  t->lock_record(2);
  t->unlock_all();
  t->lock_file();
  t->unlock_all();
  t->append(std::vector<Value>{Value::integer(4), Value::text("x"), Value::text("memo text")});
  t->update(1, 2, Value::text("note"));  // automatic record lock, memo lock
  if (!t->tags().empty()) t->seek("ID", Value::integer(2));
  t->close();
  return rec.calls;
}

constexpr auto X = LockMode::exclusive;
constexpr auto S = LockMode::shared;

}  // namespace

TEST_CASE("VFP scheme with a structural CDX locks backwards from 0x7FFFFFFE", "[lock]") {
  TempDir d;
  auto calls = exercise(make_table(d, true), LockScheme::vfp);
  std::set<Call> want{
      {"dbf", 0x7FFFFFFF, 1, S},                    // shared use
      {"dbf", 0x7FFFFFFE - 2, 1, X},                // RLOCK record 2
      {"dbf", 0x7FFFFFFE - 1, 1, X},                // update's automatic lock of record 1
      {"dbf", 0x7FFFFFFE - 0x07FFFFFF, 0x07FFFFFF, X},  // FLOCK
      {"dbf", 0x7FFFFFFE, 1, X},                    // header / append lock
      {"cdx", 0x7FFFFFFE, 1, X},                    // index write lock
      {"cdx", 0x7FFFFFFE, 1, S},                    // index read lock (seek)
      {"fpt", 0, 1, X},                             // memo allocation lock
  };
  CHECK(calls == want);
}

TEST_CASE("VFP scheme without a structural index locks 0x40000000 plus the record offset", "[lock]") {
  TempDir d;
  auto p = make_table(d, false);
  uint64_t hdr = Table::open(p)->info().header_length;
  uint64_t rl = Table::open(p)->info().record_length;
  auto calls = exercise(p, LockScheme::vfp);
  std::set<Call> want{
      {"dbf", 0x7FFFFFFF, 1, S},
      {"dbf", 0x40000000 + hdr + 1 * rl, 1, X},  // record 2
      {"dbf", 0x40000000 + hdr, 1, X},           // record 1
      {"dbf", 0x40000001, 0x3FFFFFFD, X},
      {"dbf", 0x40000000, 1, X},
      {"fpt", 0, 1, X},
  };
  CHECK(calls == want);
}

TEST_CASE("Clipper scheme locks 1000000000 plus the record number", "[lock]") {
  TempDir d;
  auto calls = exercise(make_table(d, true), LockScheme::clipper);
  std::set<Call> want{
      {"dbf", 0x7FFFFFFF, 1, S},
      {"dbf", 1000000002, 1, X},
      {"dbf", 1000000001, 1, X},
      {"dbf", 1000000001, 1000000000, X},
      {"dbf", 1000000000, 1, X},
      {"cdx", 1000000000, 1, X},
      {"cdx", 1000000000, 1, S},
      {"fpt", 0, 1, X},
  };
  CHECK(calls == want);
}

TEST_CASE("Harbour 64-bit scheme locks above 0x7F00000000000000 with a pooled index lock", "[lock]") {
  TempDir d;
  auto calls = exercise(make_table(d, true), LockScheme::harbour64);
  size_t pool_reads = 0;
  for (auto it = calls.begin(); it != calls.end();) {
    // A reader locks one random byte of the pool after 0x7FFFFFFF00000001.
    if (it->file == "cdx" && it->mode == S && it->length == 1 &&
        it->offset > 0x7FFFFFFF00000001ull && it->offset <= 0x7FFFFFFF00010001ull) {
      ++pool_reads;
      it = calls.erase(it);
    } else {
      ++it;
    }
  }
  CHECK(pool_reads == 1);
  std::set<Call> want{
      {"dbf", 0x7FFFFFFF, 1, S},
      {"dbf", 0x7F00000000000002ull, 1, X},
      {"dbf", 0x7F00000000000001ull, 1, X},
      {"dbf", 0x7F00000000000001ull, 0xFFFFFFFE, X},
      {"dbf", 0x7F00000000000000ull, 1, X},
      {"cdx", 0x7FFFFFFF00000001ull, 0x10001, X},  // a writer takes the whole pool
      {"fpt", 0, 1, X},
  };
  CHECK(calls == want);
}

TEST_CASE("exclusive use takes the share byte exclusively and no other lock", "[lock]") {
  TempDir d;
  auto p = make_table(d, true);
  RecordingFs rec;
  OpenOptions o;
  o.fs = &rec;
  o.exclusive = true;
  auto t = Table::open(p, o);
  t->lock_record(1);
  t->append(std::vector<Value>{Value::integer(9), Value::text("y"), Value::text("m")});
  t->close();
  CHECK(rec.calls == std::set<Call>{{"dbf", 0x7FFFFFFF, 1, X}});
}

TEST_CASE("lock layouts classify the locks they describe", "[lock]") {
  for (auto scheme : {LockScheme::vfp, LockScheme::clipper, LockScheme::harbour64})
    for (bool cdx : {false, true}) {
      LockLayout l(scheme, cdx, 360, 45);
      for (uint32_t r : {1u, 2u, 77u, 100000u}) {
        auto m = l.classify_dbf(l.record(r).offset, 1);
        REQUIRE(m);
        CHECK(m->kind == LockKind::record);
        CHECK(m->record == r);
      }
      CHECK(l.classify_dbf(l.header().offset, 1)->kind == LockKind::header);
      CHECK(l.classify_dbf(l.file().offset, l.file().length)->kind == LockKind::file);
      CHECK(l.classify_dbf(0x7FFFFFFF, 1)->kind == LockKind::open);
      CHECK_FALSE(l.classify_dbf(12, 1));
    }
}

// A page another writer freed and reused for another tag, while this process still holds the
// page cached with the old tag's layout (issue 29: Harbour frees CDX pages and reuses them, and
// a running engine process threw "index page N belongs to two trees" mid-change). The engine
// never reuses freed pages itself, so the other writer here is the engine for the deletes and
// appends, and a small page-level writer that moves a tag's root into a freed page, as a
// writer with a free list does when it allocates.
#include <catch2/catch.hpp>

#include <array>

#include "cdx/cdx_file.h"
#include "test_util.h"
#include "xbase/check.h"
#include "xbase/cursor.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

constexpr uint32_t kPage = 512;

std::string name_for(int i) { return "customer " + std::to_string(100000 + i); }

size_t count_keys(Table& t, const std::string& tag) {
  Cursor c(t, tag);
  size_t n = 0;
  for (bool ok = c.go_top(); ok; ok = c.skip()) ++n;
  return n;
}

// Moves the root of `tag` into the first freed page below `before` and frees the old root,
// then bumps the directory's update counter: what another writer's allocation from its free
// list looks like to a process that cached the freed page.
uint32_t move_root_into_freed_page(const std::filesystem::path& cdx, const std::string& tag,
                                   uint64_t before) {
  uint32_t header = 0, root = 0;
  {
    auto f = cdx::CdxFile::open(FileSystem::os().open(cdx, OpenMode::read_only));
    const cdx::Tag* t = f->find(tag);
    REQUIRE(t);
    header = t->header_offset;
    root = t->header.root;
  }
  auto f = FileSystem::os().open(cdx, OpenMode::read_write);
  uint32_t freed = 0;
  std::array<uint8_t, kPage> page;
  for (uint64_t off = cdx::kTagHeaderSize; off + kPage <= before && !freed; off += kPage) {
    REQUIRE(f->read_at(off, page.data(), kPage) == kPage);
    if (page[0] == 0xFF && page[1] == 0) freed = uint32_t(off);  // the free page marker
  }
  REQUIRE(freed != 0);
  REQUIRE(f->read_at(root, page.data(), kPage) == kPage);
  f->write_at(freed, page.data(), kPage);
  uint8_t r[4] = {uint8_t(freed), uint8_t(freed >> 8), uint8_t(freed >> 16), uint8_t(freed >> 24)};
  f->write_at(header, r, 4);
  page.fill(0);
  page[0] = 0xFF;
  f->write_at(root, page.data(), kPage);
  uint8_t v[4];
  REQUIRE(f->read_at(8, v, 4) == 4);
  uint32_t version = (uint32_t(v[0]) << 24 | uint32_t(v[1]) << 16 | uint32_t(v[2]) << 8 | v[3]) + 1;
  uint8_t w[4] = {uint8_t(version >> 24), uint8_t(version >> 16), uint8_t(version >> 8), uint8_t(version)};
  f->write_at(8, w, 4);
  return freed;
}

}  // namespace

TEST_CASE("a page another writer freed and reused for another tag is read again, not called corrupt",
          "[cdx][multiuser]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("ID N(6), NAME C(24)"));
    for (int i = 1; i <= 3000; ++i)
      t->append(std::vector<Value>{Value::integer(i), Value::text(name_for(i))});
    t->create_tag({"NAME", "NAME", "", false, false, false});    // keys of 24 bytes
    t->create_tag({"LIVE", "ID", "!DELETED()", false, false, false});  // numeric keys, 8 bytes
  }
  OpenOptions shared;
  shared.internal_lock_timeout = std::chrono::milliseconds(2000);
  // The first process keeps the table open with the pages of the FOR tag cached.
  auto a = Table::open(p, shared);
  CHECK(count_keys(*a, "LIVE") == 3000);
  uint64_t size_before = std::filesystem::file_size(d / "T.CDX");
  {
    // Another writer deletes most records (their FOR-tag pages are freed) and appends as many.
    auto b = Table::open(p, shared);
    for (uint32_t r = 1; r <= 2500; ++r) b->remove(r);
    for (int i = 3001; i <= 5500; ++i)
      b->append(std::vector<Value>{Value::integer(i), Value::text(name_for(i))});
  }
  uint32_t reused = move_root_into_freed_page(d / "T.CDX", "NAME", size_before);
  INFO("NAME's root now at page " << reused << ", cached by the first process as a LIVE page");
  // The first process changes a record: every tag is maintained, nothing is called corrupt.
  REQUIRE_NOTHROW(a->update(2800, 1, Value::text("changed by process A")));
  CHECK(count_keys(*a, "NAME") == 5500);
  CHECK(count_keys(*a, "LIVE") == 3000);
  Cursor byname(*a, "NAME");
  CHECK(byname.find(Value::text("changed by process")));
  CHECK(byname.recno() == 2800);
  a.reset();
  auto result = check_table(p);
  std::string findings;
  for (const auto& f : result.findings) findings += f.tag + ": " + f.message + "\n";
  INFO(findings);
  CHECK(result.problems() == 0);
}

TEST_CASE("a page that is current and reached from two tags of different key lengths is corrupt",
          "[cdx]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("ID N(6), NAME C(24)"));
    for (int i = 1; i <= 50; ++i)
      t->append(std::vector<Value>{Value::integer(i), Value::text(name_for(i))});
    t->create_tag({"NAME", "NAME", "", false, false, false});
    t->create_tag({"LIVE", "ID", "!DELETED()", false, false, false});
  }
  uint32_t name_header = 0, live_root = 0;
  {
    auto f = cdx::CdxFile::open(FileSystem::os().open(d / "T.CDX", OpenMode::read_only));
    name_header = f->find("NAME")->header_offset;
    live_root = f->find("LIVE")->header.root;
  }
  {
    // Cross-linked: NAME's root is LIVE's root page.
    auto f = FileSystem::os().open(d / "T.CDX", OpenMode::read_write);
    uint8_t r[4] = {uint8_t(live_root), uint8_t(live_root >> 8), uint8_t(live_root >> 16),
                    uint8_t(live_root >> 24)};
    f->write_at(name_header, r, 4);
  }
  auto t = Table::open(p);
  CHECK(count_keys(*t, "LIVE") == 50);
  try {
    count_keys(*t, "NAME");
    FAIL("a cross-linked page was read with two layouts");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::corrupt);
    CHECK_THAT(e.what(), Catch::Contains("belongs to two trees"));
  }
}

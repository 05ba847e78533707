// Memo files (FPT and DBT) through tables: every size at every block size, and where a memo
// goes when it grows, shrinks or is emptied.
#include <catch2/catch.hpp>

#include "engine/format_util.h"
#include "test_util.h"

namespace fs = std::filesystem;
using namespace xbase::test::formats;
using xbase::test::TempDir;

TEST_CASE("memos of every size read back", "[engine][memo]") {
  const size_t sizes[] = {0, 1, 7, 8, 56, 57, 63, 64, 65, 120, 128, 511, 512, 513, 1024, 5000};
  for (Format format : kFormats) {
    for (uint32_t block : {0u, 1u, 33u, 512u}) {
      if (block == 1 && format != Format::vfp) continue;  // FPT only
      if (block == 33 && format != Format::fox2) continue;
      if (block == 512 && format == Format::dbase3) continue;  // that is its only size anyway
      INFO("format " << xbase::format_name(format) << ", block size " << block);
      TempDir dir;
      xbase::CreateOptions o;
      o.format = format;
      o.memo_block_size = block;
      {
        auto t = Table::create(dir / "m.dbf", xbase::parse_field_list("K N(4), M M"), o);
        for (size_t s : sizes)
          t->append(std::vector<Value>{Value::integer(int64_t(s)), memo_text(s, 'k')});
      }
      auto t = Table::open(dir / "m.dbf");
      REQUIRE(t->record_count() == std::size(sizes));
      for (uint32_t r = 1; r <= t->record_count(); ++r) {
        INFO("memo of " << sizes[r - 1] << " bytes");
        Value v = t->read(r).get(1);
        CHECK(v == memo_text(sizes[r - 1], 'k'));
        // Known once the memo file is open (shared use opens it at the first memo read).
        if (block && r > 1) CHECK(t->info().memo_block_size == block);
        CHECK(stored_size(v) == sizes[r - 1]);
        if (sizes[r - 1] == 0) CHECK(memo_block(t->read(r), 1) == 0);
      }
    }
  }
}

TEST_CASE("a growing memo moves to the end, a shrinking one stays", "[engine][memo]") {
  for (Format format : kFormats) {
    INFO("format " << xbase::format_name(format));
    TempDir dir;
    const fs::path p = dir / "grow.dbf";
    const fs::path mp = memo_file(p, format);
    {
      auto t = create(p, format, "K N(3), M M");
      t->append(std::vector<Value>{Value::integer(1), memo_text(100)});
      t->append(std::vector<Value>{Value::integer(2), memo_text(100, 'z')});  // after record 1's
    }
    auto t = reopen(p);
    const uint32_t bs = t->info().memo_block_size;
    REQUIRE(bs > 0);
    const uint32_t first = memo_block(t->read(1), 1);
    CHECK(first > 0);
    CHECK(memo_block(t->read(2), 1) > first);

    // Same size class: rewritten in place.
    t->update(1, 1, memo_text(101, 'y'));
    CHECK(memo_block(t->read(1), 1) == first);

    // Growing beyond its blocks: appended at the end of the memo file.
    t->flush();
    const uint64_t size_before = fs::file_size(mp);
    t->update(1, 1, memo_text(5000, 'g'));
    const uint32_t grown = memo_block(t->read(1), 1);
    CHECK(grown != first);
    CHECK(uint64_t(grown) * bs == size_before);
    t->flush();
    const uint64_t size_grown = fs::file_size(mp);
    CHECK(size_grown >= size_before + 5000);

    // Shrinking: stays where it is, the file does not grow.
    t->update(1, 1, memo_text(10, 's'));
    CHECK(memo_block(t->read(1), 1) == grown);
    t->flush();
    CHECK(fs::file_size(mp) == size_grown);

    // Emptying clears the pointer.
    t->update(2, 1, Value::text(""));
    CHECK(memo_block(t->read(2), 1) == 0);
    t->close();

    auto u = reopen(p);
    CHECK(u->read(1).get(1) == memo_text(10, 's'));
    CHECK(u->read(2).get(1) == Value::text(""));
    CHECK(u->warnings().empty());
  }
}

// A CDX whose tag header says MACHINE but whose keys another writer sorted without regard to
// case: check reports it once for the tag (not key by key) and repair rebuilds it.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "cdx/cdx_file.h"
#include "test_util.h"
#include "xbase/check.h"
#include "xbase/repair.h"
#include "xbase/table.h"

using namespace xbase;

TEST_CASE("cdx keys in case-blind order under a MACHINE header are one finding, and repair rebuilds them",
          "[check]") {
  test::TempDir d;
  const auto p = d / "names.dbf";
  {
    auto t = Table::create(p, parse_field_list("NAME C(8)"));
    // Mixed case, so that MACHINE order ("B" before "a") and case-blind order differ throughout.
    for (int i = 0; i < 300; ++i)
      t->append(std::vector<Value>{Value::text(fmt::format("{}{:03}", char((i % 2 ? 'a' : 'A') + i % 26), i))});
    t->create_tag({"NAME", "NAME", "", false, false, false});
    t->close();
  }
  {
    // The tag written again as the other writer does: same header, keys sorted case-blind.
    auto f = cdx::CdxFile::open(FileSystem::os().open(d / "names.cdx", OpenMode::read_write));
    const cdx::TagHeader h = f->find("NAME")->header;
    std::vector<cdx::Entry> es = f->scan_tag("NAME", ' ');
    auto up = [](std::string s) {
      for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
      return s;
    };
    std::stable_sort(es.begin(), es.end(), [&](const cdx::Entry& a, const cdx::Entry& b) {
      return std::make_pair(up(a.key), a.recno) < std::make_pair(up(b.key), b.recno);
    });
    f->drop_tag("NAME");
    size_t i = 0;
    f->add_tag("NAME", h,
               [&](std::string_view& k, uint32_t& r) {
                 if (i == es.size()) return false;
                 k = es[i].key;
                 r = es[i++].recno;
                 return true;
               },
               300, ' ');
    f->flush();
  }
  const CheckResult before = check_table(p);
  size_t for_tag = 0;
  bool named = false;
  for (const auto& f : before.findings)
    if (f.tag == "NAME") {
      ++for_tag;
      named |= f.message.find("keys not in MACHINE order: written with another collation") != std::string::npos;
    }
  CHECK(for_tag == 1);
  CHECK(named);
  CHECK(before.problems() == 1);
  const RepairResult r = repair_table(p);
  CHECK(r.after.problems() == 0);
  CHECK(check_table(p).problems() == 0);
  auto t = Table::open(p);
  CHECK(t->verify_tag("NAME").empty());
}

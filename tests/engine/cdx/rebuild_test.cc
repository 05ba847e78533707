// Dropping a fixture's CDX and building every tag again from tags.txt gives the same record
// orders and the same key bytes as the other engine wrote, except where the fixtures README
// documents that it differs from Visual FoxPro: integer keys (it writes 8-byte numeric keys,
// VFP 4-byte ones) and NULL (it indexes NULL as blank; VFP prefixes a null marker and sorts
// NULL first). There we write what VFP writes, and this test checks that instead.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>

#include "cdx/cdx_file.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

std::vector<uint32_t> read_order(const fs::path& p) {
  std::vector<uint32_t> out;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(uint32_t(std::stoul(line)));
  return out;
}

std::vector<std::pair<std::string, uint32_t>> keys_of(const fs::path& cdx, const std::string& tag, uint8_t fill) {
  auto f = cdx::CdxFile::open(FileSystem::os().open(cdx, OpenMode::read_only));
  const cdx::Tag* t = f->find(tag);
  REQUIRE(t);
  std::vector<std::pair<std::string, uint32_t>> out;
  for (const auto& e : f->scan(t->header.root, t->header.key_length, fill))
    out.emplace_back(e.key, e.recno);
  return out;
}

}  // namespace

TEST_CASE("rebuilding the fixture tags gives the writer's orders and keys", "[cdx]") {
  for (std::string set : {"vfp", "fox2"}) {
    TempDir d;
    const fs::path src = shared_dir() / "fixtures" / set;
    fs::copy_file(src / "FIX.DBF", d / "FIX.DBF");
    fs::copy_file(src / "FIX.FPT", d / "FIX.FPT");
    OpenOptions o;
    o.codepage = 1252;
    o.exclusive = true;  // to create tags
    auto t = Table::open(d / "FIX.DBF", o);  // warns: the flagged CDX is missing
    REQUIRE(t->tags().empty());
    std::ifstream in(src / "tags.txt");
    std::string line;
    std::vector<std::string> names;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto c = split(line, '\t');
      TagSpec s;
      s.name = c[0];
      s.key = c[1];
      s.for_expr = c[2];
      s.unique = c[3].find('U') != std::string::npos;
      s.descending = c[3].find('D') != std::string::npos;
      t->create_tag(s);
      names.push_back(s.name);
    }
    t->close();
    t = Table::open(d / "FIX.DBF", o);
    CHECK(t->warnings().empty());
    CHECK(t->info().structural_index);
    for (const auto& name : names) {
      INFO(set << " tag " << name);
      auto want = read_order(src / "tags" / (name + ".txt"));
      auto got = t->tag_order(name);
      const TagInfo& ti = *std::find_if(t->tags().begin(), t->tags().end(), [&](const TagInfo& x) { return x.name == name; });
      if (name == "CNUL" || name == "INUL") {
        // VFP: nullable key, a marker byte in front, NULL first (in record order).
        CHECK(ti.null_marker);
        CHECK(ti.key_length == (name == "CNUL" ? 13 : 5));
        std::vector<uint32_t> nulls;
        for (uint32_t r = 1; r <= t->record_count(); ++r)
          if (t->read(r).get(name == "CNUL" ? "CN" : "IV").is_null()) nulls.push_back(r);
        REQUIRE(!nulls.empty());
        std::vector<uint32_t> expect = nulls;
        std::set<uint32_t> null_set(nulls.begin(), nulls.end());
        for (uint32_t r : want)
          if (!null_set.count(r)) expect.push_back(r);
        CHECK(got == expect);
        continue;
      }
      CHECK(got == want);
      uint8_t fill = ti.key_type == 'C' ? ' ' : 0;
      auto ours = keys_of(d / "FIX.CDX", name, fill);
      auto theirs = keys_of(src / "FIX.CDX", name, fill);
      CHECK(t->verify_tag(name).empty());
      if (set == "vfp" && (name == "ID" || name == "NOTDEL")) {
        // VFP indexes an I field with 4-byte keys; the writer used 8-byte numeric keys.
        CHECK(ti.key_length == 4);
        REQUIRE(ours.size() == theirs.size());
        for (size_t i = 0; i < ours.size(); ++i) CHECK(ours[i].second == theirs[i].second);
        continue;
      }
      REQUIRE(ours.size() == theirs.size());
      CHECK(ours == theirs);
    }
  }
}

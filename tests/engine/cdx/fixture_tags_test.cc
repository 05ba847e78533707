// CDX files written by another engine (../shared/fixtures): our reader's tag order must equal
// the order that engine lists, and the keys our expression compiler and key encoder compute
// from the records must equal the keys stored in the file.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>

#include "cdx/cdx_file.h"
#include "expr/expr.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;

namespace {

std::vector<uint32_t> read_order(const std::filesystem::path& p) {
  std::vector<uint32_t> out;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(uint32_t(std::stoul(line)));
  return out;
}

struct TagLine {
  std::string name, key, for_expr, flags, type;
  int length = 0;
};

std::vector<TagLine> read_tags(const std::filesystem::path& p) {
  std::vector<TagLine> out;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto c = split(line, '\t');
    REQUIRE(c.size() >= 6);
    out.push_back({c[0], c[1], c[2], c[3], c[4], std::stoi(c[5])});
  }
  return out;
}

std::unique_ptr<Table> open_fixture(const std::string& set) {
  OpenOptions o;
  o.read_only = true;
  o.codepage = 1252;  // the fixtures' mark is 0; their text is Windows-1252
  return Table::open(shared_dir() / "fixtures" / set / "FIX.DBF", o);
}

}  // namespace

TEST_CASE("every fixture tag lists records in the order the writer states", "[cdx]") {
  for (std::string set : {"vfp", "fox2"}) {
    auto t = open_fixture(set);
    auto tags = read_tags(shared_dir() / "fixtures" / set / "tags.txt");
    REQUIRE(t->tags().size() == tags.size());
    for (const auto& tl : tags) {
      INFO(set << " tag " << tl.name);
      auto it = std::find_if(t->tags().begin(), t->tags().end(),
                             [&](const TagInfo& ti) { return ti.name == tl.name; });
      REQUIRE(it != t->tags().end());
      CHECK(it->key_expr == tl.key);
      CHECK(it->for_expr == tl.for_expr);
      CHECK(it->unique == (tl.flags.find('U') != std::string::npos));
      CHECK(it->descending == (tl.flags.find('D') != std::string::npos));
      CHECK(it->key_length == tl.length);
      CHECK(t->tag_order(tl.name) == read_order(shared_dir() / "fixtures" / set / "tags" / (tl.name + ".txt")));
    }
  }
}

TEST_CASE("keys computed from the records equal the keys stored in the fixture CDX", "[cdx]") {
  for (std::string set : {"vfp", "fox2"}) {
    auto t = open_fixture(set);
    auto cdx = cdx::CdxFile::open(FileSystem::os().open(shared_dir() / "fixtures" / set / "FIX.CDX", OpenMode::read_only));
    const auto& fields = t->descriptors();
    const Codepage& cp = Codepage::get(1252);
    const Field* nullflags = nullptr;
    for (const auto& f : fields)
      if (f.type == FieldType::nullflags) nullflags = &f;
    for (const auto& tag : cdx->tags()) {
      INFO(set << " tag " << tag.name << " key " << tag.header.key_expr);
      auto key = expr::Expression::compile(tag.header.key_expr, fields, cp);
      std::optional<expr::Expression> cond;
      if (!tag.header.for_expr.empty()) cond = expr::Expression::compile(tag.header.for_expr, fields, cp);
      const size_t kl = tag.header.key_length;
      if (key.type() == expr::Type::character) CHECK(key.length() == kl);
      // This writer indexes NULL as blank without VFP's marker (fixtures README): compare those
      // tags only on their non-null records.
      const bool writer_null_rule = key.nullable();
      uint8_t fill = key.type() == expr::Type::character ? ' ' : 0;
      std::vector<std::pair<std::string, uint32_t>> stored;
      for (const auto& e : cdx->scan(tag.header.root, uint16_t(kl), fill)) stored.emplace_back(e.key, e.recno);
      std::vector<std::pair<std::string, uint32_t>> computed;
      std::set<uint32_t> null_records;
      for (uint32_t r = 1; r <= t->record_count(); ++r) {
        Record rec = t->read(r);
        expr::RecordContext rc;
        rc.bytes = rec.bytes().data();
        rc.recno = r;
        rc.nullflags = nullflags;
        if (cond) {
          auto c = cond->eval(rc);
          if (c.type != expr::Type::logical || !c.b) continue;
        }
        auto v = key.eval(rc);
        if (v.type == expr::Type::null) {
          null_records.insert(r);
          continue;
        }
        computed.emplace_back(expr::encode_key(v, kl, false), r);
      }
      std::sort(computed.begin(), computed.end());
      if (tag.header.unique()) {
        std::vector<std::pair<std::string, uint32_t>> first;
        for (auto& e : computed)
          if (first.empty() || first.back().first != e.first) first.push_back(e);
        computed = std::move(first);
      }
      if (writer_null_rule)
        std::erase_if(stored, [&](const auto& e) { return null_records.count(e.second) > 0; });
      else
        CHECK(null_records.empty());
      REQUIRE(stored.size() == computed.size());
      for (size_t i = 0; i < stored.size(); ++i) {
        INFO("entry " << i);
        REQUIRE(stored[i].second == computed[i].second);
        REQUIRE(stored[i].first == computed[i].first);
      }
    }
  }
}

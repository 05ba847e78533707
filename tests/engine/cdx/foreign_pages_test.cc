// Index files another program wrote (../shared/fixtures: Harbour's), changed by this engine
// (issue 30): a changed leaf keeps the bytes of its entries before the change as that program
// wrote them (compressed its way) and encodes the rest, so every tag must stay equal to its
// records, as `xbase check` sees it, while records are appended next to existing keys, keys
// moved and records deleted and recalled, in shared use (each change flushes its pages) and in
// exclusive use, and after the table is closed. It found that tags on a nullable field without
// Visual FoxPro's null marker were maintained with nulls keyed unlike their writer (last test).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "cdx/cdx_file.h"
#include "test_util.h"
#include "xbase/check.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;

namespace {

// What `xbase check` finds: no problem (notes, such as another writer's way of keying nulls,
// stay notes).
void check_table_ok(const std::filesystem::path& dbf, size_t tags, const std::string& when) {
  CheckOptions co;
  co.codepage = 1252;
  const CheckResult r = check_table(dbf, co);
  std::string problems;
  for (const auto& f : r.findings)
    if (f.severity == Finding::Severity::problem) problems += f.tag + ": " + f.message + "\n";
  INFO(when << "\n" << problems);
  CHECK(r.opened);
  CHECK(r.problems() == 0);
  CHECK(r.stats.tags == tags);  // every tag checked
}

// A copy of the Visual FoxPro fixture (Harbour wrote it) to change, and how to open it.
struct FixtureCopy {
  TempDir d;
  std::filesystem::path dbf = copy_table(shared_dir() / "fixtures" / "vfp" / "FIX.DBF", d.path());
  OpenOptions options = [] {
    OpenOptions o;
    o.codepage = 1252;  // the fixtures' mark is 0; their text is Windows-1252
    return o;
  }();
};

void change_at_random(const std::filesystem::path& from, bool shared) {
  TempDir d;
  const auto dbf = copy_table(from, d.path());
  OpenOptions o;
  o.codepage = 1252;  // the fixtures' mark is 0; their text is Windows-1252
  o.exclusive = !shared;
  std::mt19937 rng(shared ? 11 : 12);
  size_t tags = 0;
  {
    auto t = Table::open(dbf, o);
    tags = t->tags().size();
    REQUIRE(tags >= 9);
    const size_t fields = t->fields().size();
    for (int op = 1; op <= 3000; ++op) {
      const uint32_t count = t->record_count();
      const uint32_t a = 1 + rng() % count, b = 1 + rng() % count;
      const int what = int(rng() % 10);
      if (what < 4) {
        // A copy of a record: its keys go next to the existing ones, inside leaves.
        Record r = t->read(a);
        std::vector<Value> values;
        for (size_t i = 0; i < fields; ++i) values.push_back(t->get_tolerant(r, i));
        t->append(values);
      } else if (what < 7) {
        // A field of another record: keys move from leaf to leaf.
        const size_t f = rng() % fields;
        t->update(a, f, t->get_tolerant(t->read(b), f));
      } else if (what < 9) {
        t->remove(a);
      } else {
        t->recall(a);
      }
      // Another reader (check opens the table shared) while this one keeps it open.
      if (shared && op % 1000 == 0) check_table_ok(dbf, tags, "after change " + std::to_string(op));
    }
    t->close();
  }
  check_table_ok(dbf, tags, "closed");
}

}  // namespace

TEST_CASE("Tags another program wrote stay equal to their records while this engine changes the table", "[cdx]") {
  for (std::string set : {"vfp", "fox2"})
    for (bool shared : {true, false}) {
      INFO(set << (shared ? ", shared" : ", exclusive"));
      change_at_random(shared_dir() / "fixtures" / set / "FIX.DBF", shared);
    }
}

TEST_CASE("A tag another program made on a nullable field keeps no stale key when a null changes", "[cdx]") {
  // Found by the test above: Harbour keys a null as the field's blank value in a tag without
  // Visual FoxPro's null marker (blanks for CN C(12), 0 for IV I); the engine keyed it as zero
  // bytes, so the key of a record whose null became a value was not found to be taken out and
  // stayed ("entry ... (record 7, key "            ") should not be there"), and a seek for
  // null found nothing.
  const FixtureCopy fx;
  const auto& dbf = fx.dbf;
  const OpenOptions& o = fx.options;
  size_t tags = 0;
  {
    auto t = Table::open(dbf, o);
    tags = t->tags().size();
    const size_t cn = *t->field_index("CN"), iv = *t->field_index("IV");
    std::vector<uint32_t> null_cn, null_iv, valued;
    for (uint32_t r = 1; r <= t->record_count(); ++r) {
      const Record rec = t->read(r);
      if (rec.get(cn).is_null()) null_cn.push_back(r);
      if (rec.get(iv).is_null()) null_iv.push_back(r);
      if (!rec.get(cn).is_null() && !rec.get(iv).is_null()) valued.push_back(r);
    }
    REQUIRE(null_cn.size() > 2);
    REQUIRE(null_iv.size() > 2);
    REQUIRE(valued.size() > 2);
    // A seek for null finds a record holding it, as the other program keyed it.
    auto found = t->seek("CNUL", Value::null());
    REQUIRE(found);
    CHECK(t->read(*found).get(cn).is_null());
    found = t->seek("INUL", Value::null());
    REQUIRE(found);
    CHECK(t->read(*found).get(iv).is_null());
    // Nulls become values, values become null.
    t->update(null_cn[0], cn, Value::text("NOW A VALUE"));
    t->update(null_iv[0], iv, Value::integer(4242));
    t->update(valued[0], cn, Value::null());
    t->update(valued[1], iv, Value::null());
    CHECK(t->seek("CNUL", Value::text("NOW A VALUE")) == null_cn[0]);
    CHECK(t->seek("INUL", Value::integer(4242)) == null_iv[0]);
    t->close();
  }
  check_table_ok(dbf, tags, "after the nulls changed");
}

TEST_CASE("A null keyed as zero bytes in such a tag is a problem check reports and a change takes out", "[cdx]") {
  // Before 2026-12-05 the engine put a null into another writer's tag on a nullable field as
  // zero bytes. Such a key left in a file: `xbase check` calls it a problem (it was a note for
  // any null record, so repair never rebuilt the tag), and the record's next change takes it
  // out instead of leaving it beside the new key.
  const FixtureCopy fx;
  const auto& dbf = fx.dbf;
  const OpenOptions& o = fx.options;
  uint32_t r = 0;
  size_t tags = 0, cn = 0;
  {
    auto t = Table::open(dbf, o);
    tags = t->tags().size();
    cn = *t->field_index("CN");
    for (uint32_t i = 1; i <= t->record_count() && !r; ++i)
      if (t->read(i).get(cn).is_null()) r = i;
    REQUIRE(r);
    const auto& infos = t->tags();
    auto it = std::find_if(infos.begin(), infos.end(), [](const TagInfo& i) { return i.name == "CNUL"; });
    REQUIRE(it != infos.end());
    CHECK(it->nulls_as_blank);
    CHECK_FALSE(it->null_marker);
    t->close();
  }
  {
    // The key an earlier release wrote for record r, in place of its writer's.
    auto f = cdx::CdxFile::open(FileSystem::os().open(fx.d / "FIX.CDX", OpenMode::read_write));
    auto tree = f->tree("CNUL", ' ');
    REQUIRE(tree.erase(std::string(12, ' '), r));
    tree.insert(std::string(12, '\0'), r);
    f->flush();
  }
  CheckOptions co;
  co.codepage = 1252;
  const CheckResult damaged = check_table(dbf, co);
  CHECK(damaged.problems() >= 1);
  CHECK(std::any_of(damaged.findings.begin(), damaged.findings.end(), [](const Finding& f) {
    return f.severity == Finding::Severity::problem && f.tag == "CNUL" && !f.repair.empty();
  }));
  {
    auto t = Table::open(dbf, o);
    t->update(r, cn, Value::text("A VALUE NOW"));
    t->close();
  }
  check_table_ok(dbf, tags, "after the record's null changed");
}

TEST_CASE("A zero-byte null key taken out of another writer's UNIQUE tag is inherited by nobody", "[cdx]") {
  // The same zero-byte key in a UNIQUE tag (the fixture's CNUL made UNIQUE, as another writer
  // would: blanks for nulls, the first record of each key): the next change of its record takes
  // it out, and no record inherits the blank key (its holder keeps it; an heir looked up for the
  // blank key put it into the tag a second time).
  const FixtureCopy fx;
  size_t cn = 0;
  std::vector<uint32_t> nulls;
  {
    auto t = Table::open(fx.dbf, fx.options);
    cn = *t->field_index("CN");
    for (uint32_t r = 1; r <= t->record_count(); ++r)
      if (t->read(r).get(cn).is_null()) nulls.push_back(r);
    REQUIRE(nulls.size() >= 2);
    // The keys of the UNIQUE tag, as its writer would have built them.
    std::vector<std::pair<std::string, uint32_t>> entries;
    for (uint32_t r = 1; r <= t->record_count(); ++r) {
      const Value v = t->read(r).get(cn);
      std::string key = v.is_null() ? std::string() : v.str();
      key.resize(12, ' ');
      entries.emplace_back(key, r);
    }
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
                  entries.end());
    t->close();
    auto f = cdx::CdxFile::open(FileSystem::os().open(fx.d / "FIX.CDX", OpenMode::read_write));
    cdx::TagHeader h = f->find("CNUL")->header;
    h.options |= 0x01;  // UNIQUE
    size_t i = 0;
    f->add_tag("UCNUL", h, [&](std::string_view& k, uint32_t& r) {
      if (i == entries.size()) return false;
      k = entries[i].first;
      r = entries[i++].second;
      return true;
    }, uint32_t(entries.back().second + 1000), ' ');
    // An earlier release's key for the second null record, beside the blank key of the first.
    auto tree = f->tree("UCNUL", ' ');
    tree.insert(std::string(12, '\0'), nulls[1]);
    f->flush();
  }
  size_t tags = 0;
  {
    auto t = Table::open(fx.dbf, fx.options);
    tags = t->tags().size();
    REQUIRE(t->seek("UCNUL", Value::null()) == nulls[0]);
    t->update(nulls[1], cn, Value::text("ONLY ONE"));
    CHECK(t->seek("UCNUL", Value::text("ONLY ONE")) == nulls[1]);
    t->close();
  }
  check_table_ok(fx.dbf, tags, "after the zero-byte key went");
}

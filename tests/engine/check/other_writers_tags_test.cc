// UNIQUE and CANDIDATE tags as other xBase writers leave them (issue 29). When the record
// holding a UNIQUE key changes, the engine gives the key to the next record with it; Harbour
// (and by common report VFP) drops it. Harbour never maintains CANDIDATE tags. `check` called
// both "record N is missing" damage; they are notes naming the reason, and repair rebuilds
// the tag. The other writer here is the engine plus a small writer that takes the one key out
// of the tree that the other writers would not have put there.
#include <catch2/catch.hpp>

#include "cdx/cdx_file.h"
#include "cdx/tree.h"
#include "test_util.h"
#include "xbase/check.h"
#include "xbase/repair.h"
#include "xbase/table.h"

using namespace xbase;
using xbase::test::TempDir;

namespace {

std::string key10(std::string s) {
  s.resize(10, ' ');
  return s;
}

// Takes (key, recno) out of the tag's tree, as a writer that never put it there leaves it.
void erase_key(const std::filesystem::path& cdx, const std::string& tag, const std::string& key,
               uint32_t recno) {
  auto f = cdx::CdxFile::open(FileSystem::os().open(cdx, OpenMode::read_write));
  auto tree = f->tree(tag, ' ');
  REQUIRE(tree.erase(key, recno));
  f->flush();
}

std::string notes_of(const CheckResult& r, const std::string& tag) {
  std::string s;
  for (const auto& f : r.findings)
    if (f.tag == tag) s += (f.severity == Finding::Severity::note ? "note: " : "problem: ") + f.message + "\n";
  return s;
}

}  // namespace

TEST_CASE("a UNIQUE key another writer dropped is a note naming the reason, and repair rebuilds the tag",
          "[check]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("NAME C(10)"));
    for (const char* n : {"A", "A", "B"}) t->append(std::vector<Value>{Value::text(n)});
    t->create_tag({"NAMES", "NAME", "", true, false, false});
    t->update(1, 0, Value::text("C"));  // the engine gives key A to record 2
  }
  erase_key(d / "T.CDX", "NAMES", key10("A"), 2);  // the other writer dropped it
  auto before = check_table(p);
  INFO(notes_of(before, "NAMES"));
  CHECK(before.problems() == 0);
  auto notes = notes_of(before, "NAMES");
  CHECK(notes.find("note: 1 keys missing (records 2): another writer dropped a UNIQUE key") == 0);
  auto repaired = repair_table(p);
  CHECK(repaired.changed);
  auto after = check_table(p);
  CHECK(notes_of(after, "NAMES").empty());
  auto t = Table::open(p);
  CHECK(t->seek("NAMES", Value::text("A"), SeekMode::exact) == 2u);
}

TEST_CASE("CANDIDATE keys another writer did not add are a note that it did not maintain the tag",
          "[check]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("CODE C(10)"));
    for (const char* n : {"A", "B"}) t->append(std::vector<Value>{Value::text(n)});
    t->create_tag({"CODES", "CODE", "", false, true, false});
    t->append(std::vector<Value>{Value::text("C")});
    t->append(std::vector<Value>{Value::text("D")});
  }
  // Harbour appended records 3 and 4 without touching the CANDIDATE tag.
  erase_key(d / "T.CDX", "CODES", key10("C"), 3);
  erase_key(d / "T.CDX", "CODES", key10("D"), 4);
  auto before = check_table(p);
  auto notes = notes_of(before, "CODES");
  INFO(notes);
  CHECK(before.problems() == 0);
  CHECK(notes.find("note: 2 keys missing (records 3, 4): another writer did not maintain this "
                   "CANDIDATE tag") == 0);
  CHECK(repair_table(p).changed);
  CHECK(notes_of(check_table(p), "CODES").empty());
}

TEST_CASE("a stale key beside missing ones in a UNIQUE tag stays damage", "[check]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = Table::create(p, parse_field_list("NAME C(10)"));
    for (const char* n : {"A", "B", "C"}) t->append(std::vector<Value>{Value::text(n)});
    t->create_tag({"NAMES", "NAME", "", true, false, false});
  }
  {
    // Record 1 keyed under a value it does not hold: stale and missing at once.
    auto f = cdx::CdxFile::open(FileSystem::os().open(d / "T.CDX", OpenMode::read_write));
    auto tree = f->tree("NAMES", ' ');
    REQUIRE(tree.erase(key10("A"), 1));
    tree.insert(key10("Z"), 1);
    f->flush();
  }
  auto r = check_table(p);
  INFO(notes_of(r, "NAMES"));
  CHECK(r.problems() > 0);
}

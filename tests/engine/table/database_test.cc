// Tables of a Visual FoxPro database container (DBC): the backlink is followed, fields get
// their long names, tags written with long names are maintained; a missing DBC leaves short
// names and read-only tags; triggers and rules are reported and --strict refuses writes.
// The corpus DBC (shared/corpus/.../foxprodb) is copied to a temp folder with member tables
// built beside it; other databases are written by the tests (tests/database_fixture.h).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "database_fixture.h"
#include "dbc/properties.h"
#include "test_util.h"
#include "xbase/check.h"
#include "xbase/database.h"
#include "xbase/table.h"

namespace {

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::MemberField;
using xbase::test::MemberTable;
using xbase::test::TempDir;

const fs::path kCorpusDbc = "corpus/albfernandez__javadbf/src/test/resources/fixtures/foxprodb/FOXPRO-DB-TEST.DBC";

// The corpus database's four tables, with field types chosen to fit their names (the corpus
// holds the DBC only), and the tags its Index records name, on the long-named fields.
std::vector<MemberTable> corpus_members() {
  auto c = [](const std::string& n, const std::string& t = "C(30)") { return MemberField{n, t, "", ""}; };
  MemberTable types{"types", {c("contact_type_id", "I"), c("contact_type")}, "type_id", {"type_id"}, "", "", ""};
  MemberTable setup{"setup", {c("key_name", "C(20)"), c("value", "C(60)")}, "key_name", {"key_name"}, "", "", ""};
  MemberTable contacts{"contacts",
                       {c("contact_id", "I"), c("first_name"), c("last_name"), c("dear"), c("address"),
                        c("city"), c("state"), c("postalcode", "C(10)"), c("region"), c("country"),
                        c("company_name"), c("title"), c("work_phone", "C(20)"), c("work_extension", "C(8)"),
                        c("home_phone", "C(20)"), c("mobile_phone", "C(20)"), c("fax_number", "C(20)"),
                        c("email_name", "C(50)"), c("birthdate", "D"), c("last_meeting", "D"),
                        c("contact_type_id", "I"), c("referred_by"), c("notes", "M"),
                        c("marital_status", "I"), c("spouse_name"), c("spouses_interests", "M"),
                        c("children_names", "M"), c("home_town"), c("contacts_interests", "M")},
                       "contact_id", {"contact_id", "type_id"}, "", "", ""};
  MemberTable calls{"calls",
                    {c("call_id", "I"), c("contact_id", "I"), c("call_date", "D"), c("call_time", "C(5)"),
                     c("subject", "C(80)"), c("notes", "M")},
                    "call_id", {"call_id", "contact_id"}, "", "", ""};
  return {types, setup, contacts, calls};
}

// The tag expressions: what each Index record of the corpus DBC is on.
const std::vector<std::pair<std::string, TagSpec>> kCorpusTags = {
    {"types", {"type_id", "contact_type_id", "", false, true, false}},
    {"setup", {"key_name", "UPPER(key_name)", "", false, true, false}},
    {"contacts", {"contact_id", "contact_id", "", false, true, false}},
    {"contacts", {"type_id", "contact_type_id", "!DELETED()", false, false, false}},
    {"calls", {"call_id", "call_id", "", false, true, false}},
    {"calls", {"contact_id", "STR(contact_id,10)+DTOS(call_date)", "", false, false, false}},
};

// The corpus DBC copied into `dir` with its four member tables and their tags.
fs::path corpus_database(const TempDir& dir) {
  const fs::path from = xbase::test::shared_dir() / kCorpusDbc;
  fs::copy_file(from, dir / "FOXPRO-DB-TEST.DBC");
  fs::copy_file(fs::path(from).replace_extension(".DCT"), dir / "FOXPRO-DB-TEST.DCT");
  // Ours to change and remove: a copy of a read-only source is read-only, which Windows keeps.
  for (const char* n : {"FOXPRO-DB-TEST.DBC", "FOXPRO-DB-TEST.DCT"})
    fs::permissions(dir / n, fs::perms::owner_write, fs::perm_options::add);
  const fs::path dbc = dir / "FOXPRO-DB-TEST.DBC";
  for (const auto& m : corpus_members()) {
    auto t = xbase::test::create_member(dbc, m);
    for (const auto& [table, spec] : kCorpusTags)
      if (table == m.name) t->create_tag(spec);
    t->close();
  }
  return dbc;
}

}  // namespace

TEST_CASE("dbc property memos of the corpus DBC parse into their entries") {
  const Database db = Database::read(xbase::test::shared_dir() / kCorpusDbc);
  CHECK(db.warnings.empty());
  REQUIRE(db.tables.size() == 4);
  CHECK(db.tables[0].name == "types");
  CHECK(db.tables[0].path == "types.dbf");
  CHECK(db.tables[0].primary_key == "type_id");
  CHECK(db.tables[0].fields.size() == 2);
  CHECK(db.tables[0].fields[0].name == "contact_type_id");
  CHECK(db.tables[0].fields[0].default_value == "newid()");
  CHECK(db.tables[2].name == "contacts");
  CHECK(db.tables[2].fields.size() == 29);
  CHECK(db.tables[2].primary_key.empty());  // the corpus file names none for contacts
  REQUIRE(db.tables[2].indexes.size() == 2);
  CHECK(db.tables[2].indexes[0].primary);
  CHECK_FALSE(db.tables[2].indexes[1].primary);
  REQUIRE(db.tables[3].relations.size() == 1);
  CHECK(db.tables[3].relations[0].child_tag == "contact_id");
  CHECK(db.tables[3].relations[0].parent_table == "contacts");
  CHECK(db.tables[3].relations[0].parent_tag == "contact_id");
  CHECK(db.stored_procedures);
  CHECK_FALSE(db.tables[0].has_triggers());
}

TEST_CASE("dbc property memo cut short or with a bad length names the offset and keeps what came before") {
  const std::string good = dbc::encode_properties({{dbc::path, 1, "types.dbf"}, {dbc::primary_key, 1, "type_id"}});
  auto parse = [](const std::string& s) {
    return dbc::parse_properties({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  };
  auto whole = parse(good);
  CHECK(whole.problem.empty());
  REQUIRE(whole.entries.size() == 2);
  CHECK(whole.get(dbc::path) == "types.dbf");
  auto cut = parse(good.substr(0, good.size() - 3));
  CHECK(cut.entries.size() == 1);
  CHECK(cut.problem.find("offset 17") != std::string::npos);
  std::string tiny = good;
  tiny[0] = 3;  // shorter than the 7-byte entry header
  auto bad = parse(tiny);
  CHECK(bad.entries.empty());
  CHECK(bad.problem.find("shorter than its 7-byte header") != std::string::npos);
}

TEST_CASE("dbc corpus tables open with long names and keep every tag through appends, updates and deletes") {
  TempDir dir;
  const fs::path dbc = corpus_database(dir);
  for (const auto& m : corpus_members()) {
    const fs::path p = dir / (m.name + ".dbf");
    auto t = Table::open(p);  // shared use, as VFP applications share them
    INFO(m.name);
    CHECK(t->warnings().empty());
    CHECK(t->info().database_table == m.name);
    REQUIRE(t->fields().size() == m.fields.size());
    for (size_t i = 0; i < m.fields.size(); ++i) CHECK(t->fields()[i].display_name() == m.fields[i].long_name);
    for (const auto& tag : t->tags()) CHECK(tag.problem.empty());
    // Both names find a field; a long name that was cut finds it too.
    CHECK(t->field_index(m.fields[0].long_name) == 0u);
    CHECK(t->field_index(t->fields()[0].name) == 0u);
  }
  {
    auto t = Table::open(dir / "contacts.dbf");
    const size_t type_id = t->field_index_or_throw("contact_type_id");
    CHECK(t->fields()[type_id].name == "CONTACT_TY");
    for (int i = 1; i <= 60; ++i) {
      uint32_t r = t->append();
      std::vector<std::pair<size_t, Value>> ch{
          {t->field_index_or_throw("contact_id"), Value::integer(i)},
          {type_id, Value::integer(i % 4)},
          {t->field_index_or_throw("last_name"), Value::text(fmt::format("Name {}", i))},
          {t->field_index_or_throw("spouses_interests"), Value::text("sailing")}};
      t->update(r, ch);
    }
    for (uint32_t r = 1; r <= 60; r += 3) t->update(r, type_id, Value::integer(9));
    for (uint32_t r = 2; r <= 60; r += 5) t->remove(r);
    for (const auto& tag : t->tags()) CHECK(t->verify_tag(tag.name).empty());
    CHECK(t->seek("type_id", Value::integer(9)).has_value());
  }
  {
    auto t = Table::open(dir / "calls.dbf");
    for (int i = 1; i <= 30; ++i)
      t->append(std::vector<Value>{Value::integer(i), Value::integer(i % 7), Value::date({2024, 1, i % 28 + 1}),
                                   Value::text("09:00"), Value::text("call")});
    t->remove(4);
    t->update(5, 1, Value::integer(3));
    for (const auto& tag : t->tags()) CHECK(t->verify_tag(tag.name).empty());
  }
  for (const auto& m : corpus_members()) {
    auto r = check_table(dir / (m.name + ".dbf"));
    INFO(m.name);
    CHECK(r.opened);
    CHECK(r.problems() == 0);
  }
}

TEST_CASE("dbc missing: short names, a warning that says so, and long-name tags read-only") {
  TempDir dir;
  corpus_database(dir);
  fs::remove(dir / "FOXPRO-DB-TEST.DBC");
  OpenOptions ro;
  ro.read_only = true;
  auto t = Table::open(dir / "contacts.dbf", ro);
  bool said = false;
  for (const auto& w : t->warnings()) said |= w.code == WarnCode::database_missing;
  CHECK(said);
  CHECK(t->fields()[20].display_name() == "CONTACT_TY");
  bool read_only_tag = false;
  for (const auto& tag : t->tags())
    if (tag.name == "TYPE_ID") read_only_tag = tag.problem.find("CONTACT_TYPE_ID") != std::string::npos;
  CHECK(read_only_tag);
  // A tag on a name the DBF has itself is still maintained.
  for (const auto& tag : t->tags())
    if (tag.name == "CONTACT_ID") CHECK(tag.problem.empty());
}

TEST_CASE("dbc lists other fields than the table has: short names and a warning") {
  TempDir dir;
  const fs::path dbc = dir / "shop.dbc";
  MemberTable item{"item", {{"item_number", "I", "", ""}, {"description", "C(40)", "", ""}}, "", {}, "", "", ""};
  MemberTable listed = item;
  listed.fields.push_back({"extra_field", "I", "", ""});
  xbase::test::write_dbc(dbc, xbase::test::database_objects({listed}));
  xbase::test::create_member(dbc, item)->close();
  auto t = Table::open(dir / "item.dbf");
  REQUIRE(t->warnings().size() == 1);
  CHECK(t->warnings()[0].code == WarnCode::database_table_unknown);
  CHECK(t->fields()[0].display_name() == "ITEM_NUMBE");
}

TEST_CASE("dbc triggers and field rules: a write warns that they were not run, strict refuses it") {
  TempDir dir;
  const fs::path dbc = dir / "shop.dbc";
  MemberTable order{"orders",
                    {{"order_number", "I", "", ""}, {"amount", "N(12,2)", "0", "amount >= 0"}},
                    "", {}, "check_insert()", "", "log_delete()"};
  MemberTable plain{"notes", {{"note_text", "C(40)", "", ""}}, "", {}, "", "", ""};
  xbase::test::write_dbc(dbc, xbase::test::database_objects({order, plain}));
  xbase::test::create_member(dbc, order)->close();
  xbase::test::create_member(dbc, plain)->close();
  {
    auto t = Table::open(dir / "orders.dbf");
    CHECK(t->info().database_triggers);
    CHECK(t->info().database_rules);
    t->append(std::vector<Value>{Value::integer(1), Value::number("5.00")});
    t->append(std::vector<Value>{Value::integer(2), Value::number("6.00")});
    size_t warned = 0;
    for (const auto& w : t->warnings()) warned += w.code == WarnCode::database_code_not_run;
    CHECK(warned == 1);  // once per table, not per write
  }
  {
    OpenOptions o;
    o.refuse_database_code = true;
    auto t = Table::open(dir / "orders.dbf", o);
    CHECK_THROWS_WITH(t->append(), Catch::Contains("triggers and rules") && Catch::Contains("refused"));
    CHECK_THROWS_AS(t->remove(1), Error);
    CHECK(t->record_count() == 2);  // nothing written
    CHECK_FALSE(t->read(1).deleted());
  }
  {
    OpenOptions o;
    o.refuse_database_code = true;
    auto t = Table::open(dir / "notes.dbf", o);  // no code defined: writes as usual
    t->append(std::vector<Value>{Value::text("hello")});
    CHECK(t->warnings().empty());
  }
}

TEST_CASE("dbc free tables are unchanged: no long names, no database warnings") {
  TempDir dir;
  auto t = Table::create(dir / "free.dbf", parse_field_list("ID I, NAME C(20)"));
  CHECK(t->info().backlink.empty());
  CHECK(t->fields()[0].long_name.empty());
  CHECK(t->warnings().empty());
}

TEST_CASE("dbc a backlink that leads back to the table itself, or round two tables, opens with a warning instead of recursing") {
  // The fuzzer's find: FUZZ.DBF whose backlink names FUZZ.DBF was opened as its own database,
  // whose backlink was followed again, until the stack ran out.
  TempDir dir;
  auto make = [&](const char* name, const char* backlink) {
    CreateOptions o;  // Visual FoxPro by default: the only format with a backlink
    o.backlink = backlink;
    Table::create(dir / name, parse_field_list("ID I, NAME C(10)"), o)->close();
  };
  make("self.dbf", "self.dbf");
  make("a.dbf", "b.dbf");
  make("b.dbf", "a.dbf");
  for (const char* name : {"self.dbf", "a.dbf", "b.dbf"}) {
    INFO(name);
    OpenOptions ro;
    ro.read_only = true;
    auto t = Table::open(dir / name, ro);
    bool unreadable = false;
    for (const auto& w : t->warnings()) unreadable |= w.code == WarnCode::database_unreadable;
    CHECK(unreadable);
    CHECK(t->fields()[1].display_name() == "NAME");
  }
}

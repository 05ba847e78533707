// `xbase` on tables of a Visual FoxPro database: info DB.dbc, long names in dump/load/info/check,
// and the triggers and rules a write does not run (--strict refuses it).
#include <catch2/catch.hpp>

#include "database_fixture.h"
#include "test_util.h"
#include "xbase/table.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

RunResult run_xbase(const TempDir& dir, const std::vector<std::string>& args) {
  return run_program(XBASE_TOOL, args, dir.path());
}

const fs::path kCorpusDbc = "corpus/albfernandez__javadbf/src/test/resources/fixtures/foxprodb/FOXPRO-DB-TEST.DBC";

// A database "shop" with a customer table whose tag uses a long name, and an orders table
// with triggers and a field rule.
fs::path shop(const TempDir& d) {
  const fs::path dbc = d / "shop.dbc";
  MemberTable customer{"customer",
                       {{"customer_number", "I", "", ""}, {"customer_name", "C(40)", "", ""}, {"city", "C(20)", "", ""}},
                       "number", {"number", "name"}, "", "", ""};
  MemberTable orders{"orders", {{"order_number", "I", "", ""}, {"order_amount", "N(12,2)", "", "order_amount >= 0"}},
                     "", {}, "", "check_update()", ""};
  write_dbc(dbc, database_objects({customer, orders}));
  {
    auto t = create_member(dbc, customer);
    t->create_tag({"number", "customer_number", "", false, true, false});
    t->create_tag({"name", "UPPER(customer_name)", "!DELETED()", false, false, false});
  }
  create_member(dbc, orders)->close();
  return dbc;
}

}  // namespace

TEST_CASE("xbase info DB.dbc lists tables, long field names, indexes, relations and defaults", "[tools]") {
  TempDir d;
  const fs::path from = shared_dir() / kCorpusDbc;
  fs::copy_file(from, d / "db.dbc");
  fs::copy_file(fs::path(from).replace_extension(".DCT"), d / "db.dct");
  auto r = run_xbase(d, {"info", (d / "db.dbc").string()});
  INFO(r.err);
  CHECK(r.rc == 0);
  CHECK(r.out.find("table contacts (contacts.dbf)") != std::string::npos);
  CHECK(r.out.find("    spouses_interests\n") != std::string::npos);
  CHECK(r.out.find("contact_type_id default newid()") != std::string::npos);
  CHECK(r.out.find("relation: tag contact_id -> contacts.contact_id") != std::string::npos);
  CHECK(r.out.find("index call_id (primary key)") != std::string::npos);
  CHECK(r.out.find("stored procedures: present") != std::string::npos);
  auto j = run_xbase(d, {"info", (d / "db.dbc").string(), "--json"});
  CHECK(j.rc == 0);
  CHECK(j.out.find(R"("name":"calls","path":"calls.dbf")") != std::string::npos);
  CHECK(j.out.find(R"("parent_table":"types","parent_tag":"type_id")") != std::string::npos);
}

TEST_CASE("xbase info DB.dbc reports triggers and rules as code the engine does not run", "[tools]") {
  TempDir d;
  shop(d);
  auto r = run_xbase(d, {"info", (d / "shop.dbc").string()});
  CHECK(r.rc == 0);
  CHECK(r.out.find("update trigger: check_update()") != std::string::npos);
  CHECK(r.out.find("order_amount rule order_amount >= 0") != std::string::npos);
  CHECK(r.out.find("FoxPro code this engine does not run") != std::string::npos);
  auto t = run_xbase(d, {"info", (d / "orders.dbf").string()});
  CHECK(t.out.find("triggers not run by this engine, rules not run by this engine") != std::string::npos);
}

TEST_CASE("xbase load, dump, info and check use long names and accept short ones", "[tools]") {
  TempDir d;
  shop(d);
  write_file(d / "in.jsonl",
             "{\"customer_number\":7,\"customer_name\":\"Janssens\",\"city\":\"Gent\"}\n"
             "{\"CUSTOMER_N\":3,\"CUSTOMER_2\":null,\"customer_name\":\"Peeters\"}\n");
  // CUSTOMER_2 is no field: the short-name line must fail as a whole...
  auto bad = run_xbase(d, {"load", (d / "customer.dbf").string(), (d / "in.jsonl").string()});
  CHECK(bad.rc != 0);
  write_file(d / "in.jsonl",
             "{\"customer_number\":7,\"customer_name\":\"Janssens\",\"city\":\"Gent\"}\n"
             "{\"CUSTOMER_N\":3,\"customer_name\":\"Peeters\"}\n");
  auto load = run_xbase(d, {"load", (d / "customer.dbf").string(), (d / "in.jsonl").string()});
  INFO(load.err);
  REQUIRE(load.rc == 0);
  auto dump = run_xbase(d, {"dump", (d / "customer.dbf").string()});
  INFO(dump.err);
  CHECK(dump.rc == 0);
  CHECK(dump.out ==
        "{\"_recno\":1,\"_deleted\":false,\"customer_number\":7,\"customer_name\":\"Janssens\",\"city\":\"Gent\"}\n"
        "{\"_recno\":2,\"_deleted\":false,\"customer_number\":3,\"customer_name\":\"Peeters\",\"city\":\"\"}\n");
  auto by_tag = run_xbase(d, {"dump", (d / "customer.dbf").string(), "--tag", "number", "--recno-only"});
  CHECK(by_tag.out == "2\n1\n");
  auto fields = run_xbase(d, {"dump", (d / "customer.dbf").string(), "--fields", "customer_name,CITY", "--format", "csv"});
  CHECK(fields.out.rfind("_recno,_deleted,customer_name,city\r\n", 0) == 0);
  auto info = run_xbase(d, {"info", (d / "customer.dbf").string()});
  CHECK(info.rc == 0);
  CHECK(info.out.find("customer_number I(4)") != std::string::npos);
  CHECK(info.out.find("short name CUSTOMER_N") != std::string::npos);
  auto check = run_xbase(d, {"check", (d / "customer.dbf").string()});
  INFO(check.out);
  CHECK(check.rc == 0);
  // Round trip: the dump loads into an empty member table and dumps the same.
  write_file(d / "dump.jsonl", dump.out);
  fs::copy_file(d / "customer.dbf", d / "copy.dbf");
  {
    // The same table again under the database, emptied.
    auto t = xbase::Table::open(d / "customer.dbf", [] { xbase::OpenOptions o; o.exclusive = true; return o; }());
    t->zap();
  }
  auto reload = run_xbase(d, {"load", (d / "customer.dbf").string(), (d / "dump.jsonl").string()});
  INFO(reload.err);
  CHECK(reload.rc == 0);
  CHECK(run_xbase(d, {"dump", (d / "customer.dbf").string()}).out == dump.out);
  CHECK(run_xbase(d, {"check", (d / "customer.dbf").string()}).rc == 0);
}

TEST_CASE("xbase load into a table with triggers warns they were not run, and --strict refuses it", "[tools]") {
  TempDir d;
  shop(d);
  write_file(d / "o.jsonl", "{\"order_number\":1,\"order_amount\":5}\n");
  auto strict = run_xbase(d, {"load", (d / "orders.dbf").string(), (d / "o.jsonl").string(), "--strict"});
  CHECK(strict.rc != 0);
  CHECK(strict.err.find("refused") != std::string::npos);
  CHECK(run_xbase(d, {"dump", (d / "orders.dbf").string()}).out.empty());
  auto load = run_xbase(d, {"load", (d / "orders.dbf").string(), (d / "o.jsonl").string()});
  CHECK(load.rc == 0);
  CHECK(load.err.find("were not run") != std::string::npos);
  CHECK(run_xbase(d, {"dump", (d / "orders.dbf").string()}).out.find("\"order_amount\":5") != std::string::npos);
}

TEST_CASE("xbase on a member table whose database is missing: short names and a warning", "[tools]") {
  TempDir d;
  shop(d);
  fs::remove(d / "shop.dbc");
  auto dump = run_xbase(d, {"dump", (d / "customer.dbf").string()});
  CHECK(dump.err.find("shop.dbc (backlink \"shop.dbc\") is missing") != std::string::npos);
  auto check = run_xbase(d, {"check", (d / "customer.dbf").string()});
  CHECK(check.out.find("cannot be maintained") != std::string::npos);
}

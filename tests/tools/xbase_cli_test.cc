// The `xbase` command line as a user drives it: exit codes, messages, round trips.

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#ifndef _WIN32
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

#include "test_util.h"
#include "xbase/table.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

RunResult run_xbase(const TempDir& dir, const std::vector<std::string>& args) {
  return run_program(XBASE_TOOL, args, dir.path());
}

std::string str(const fs::path& p) { return p.string(); }

// One JSONL line per record, in the dump's own form, covering every type of the format.
const char* kVfpFields =
    "ID I, AMOUNT N(12,2), QTY N(5), F F(12,3), NAME C(30), D D, L L, M M, IV I NULL, Y Y, "
    "T T, B B(8,4), VC V(20), VB Q(12), CN C(12) NULL, W W, G G, BC C(6) BINARY";
const char* kVfpRows[] = {
    R"({"_recno":1,"_deleted":false,"ID":1,"AMOUNT":-9920.81,"QTY":31,"F":3.125,"NAME":"André Peëters","D":"2000-01-14","L":false,"M":"memo één\r\nline 2","IV":-233,"Y":"-876.5423","T":"2001-01-01T01:00:37.000","B":-576.265625,"VC":"var1z  ","VB":{"base64":"ByY="},"CN":"K00037","W":{"base64":"AAEC/w=="},"G":{"base64":""},"BC":{"base64":"AQIDBAUG"}})",
    R"({"_recno":2,"_deleted":true,"ID":-2147483648,"AMOUNT":null,"QTY":null,"F":null,"NAME":"","D":null,"L":null,"M":"","IV":null,"Y":"0.0000","T":null,"B":0,"VC":"","VB":{"base64":""},"CN":null,"W":{"base64":""},"G":{"base64":"R0lG"},"BC":{"base64":"ICAgICAg"}})",
    R"({"_recno":3,"_deleted":false,"ID":2147483647,"AMOUNT":999999999.99,"QTY":-9999,"F":-1234567.125,"NAME":"Œuvre d’art € ÿ","D":"9999-12-31","L":true,"M":"x","IV":0,"Y":"922337203685477.5807","T":"2024-02-29T23:59:59.999","B":1e-300,"VC":"exactly twenty chars","VB":{"base64":"AAAAAAAAAAAAAAAA"},"CN":"","W":{"base64":""},"G":{"base64":""},"BC":{"base64":"AAAAAAAA"}})",
};

void write_lines(const fs::path& p, const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  write_file(p, s);
}

}  // namespace

TEST_CASE("create then load then dump round-trips every VFP type exactly", "[tools]") {
  TempDir d;
  std::vector<std::string> rows(std::begin(kVfpRows), std::end(kVfpRows));
  write_lines(d / "in.jsonl", rows);
  REQUIRE(run_xbase(d, {"create", str(d / "t.dbf"), "--type", "vfp", "--fields", kVfpFields}).rc == 0);
  auto load = run_xbase(d, {"load", str(d / "t.dbf"), str(d / "in.jsonl")});
  INFO(load.err);
  REQUIRE(load.rc == 0);
  auto dump = run_xbase(d, {"dump", str(d / "t.dbf"), "--deleted"});
  INFO(dump.err);
  REQUIRE(dump.rc == 0);
  CHECK(dump.out == read_file(d / "in.jsonl"));
  // Without --deleted the deleted record is left out.
  auto live = run_xbase(d, {"dump", str(d / "t.dbf")});
  CHECK(live.out.find("\"_recno\":2") == std::string::npos);
  CHECK(live.out.find("\"_recno\":3") != std::string::npos);
}

TEST_CASE("round trips for FoxPro 2 and dBASE III and IV tables", "[tools]") {
  struct Case {
    const char* type;
    const char* fields;
    std::vector<std::string> rows;
  };
  std::vector<Case> cases = {
      {"fox2", "ID N(7), NAME C(30), D D, L L, M M, F F(12,3)",
       {R"({"_recno":1,"_deleted":false,"ID":1,"NAME":"Zoë","D":"1999-12-31","L":true,"M":"text with ü","F":-576.266})",
        R"({"_recno":2,"_deleted":true,"ID":null,"NAME":"","D":null,"L":null,"M":"","F":null})"}},
      {"db3", "ID N(7), NAME C(30), D D, L L, M M",
       {R"({"_recno":1,"_deleted":false,"ID":-12,"NAME":"dBASE III","D":"1985-06-01","L":false,"M":"a dBASE III memo that is longer than nothing"})",
        R"({"_recno":2,"_deleted":false,"ID":3,"NAME":"x","D":null,"L":true,"M":""})"}},
      {"db4", "ID N(7), NAME C(30), D D, L L, M M, F F(10,2)",
       {R"({"_recno":1,"_deleted":false,"ID":7,"NAME":"dBASE IV","D":"1988-10-01","L":true,"M":"memo with 0x1A: \u001a inside","F":1.50})",
        R"({"_recno":2,"_deleted":true,"ID":8,"NAME":"deleted","D":null,"L":null,"M":"","F":null})"}},
  };
  for (const auto& c : cases) {
    SECTION(c.type) {
      TempDir d;
      write_lines(d / "in.jsonl", c.rows);
      REQUIRE(run_xbase(d, {"create", str(d / "t.dbf"), "--type", c.type, "--fields", c.fields}).rc == 0);
      auto load = run_xbase(d, {"load", str(d / "t.dbf"), str(d / "in.jsonl")});
      INFO(load.err);
      REQUIRE(load.rc == 0);
      auto dump = run_xbase(d, {"dump", str(d / "t.dbf"), "--deleted"});
      CHECK(dump.out == read_file(d / "in.jsonl"));
    }
  }
}

TEST_CASE("CSV dump loads back to the same records", "[tools]") {
  TempDir d;
  std::vector<std::string> rows(std::begin(kVfpRows), std::end(kVfpRows));
  write_lines(d / "in.jsonl", rows);
  REQUIRE(run_xbase(d, {"create", str(d / "a.dbf"), "--type", "vfp", "--fields", kVfpFields}).rc == 0);
  REQUIRE(run_xbase(d, {"create", str(d / "b.dbf"), "--type", "vfp", "--fields", kVfpFields}).rc == 0);
  REQUIRE(run_xbase(d, {"load", str(d / "a.dbf"), str(d / "in.jsonl")}).rc == 0);
  auto csv = run_xbase(d, {"dump", str(d / "a.dbf"), "--deleted", "--format", "csv"});
  REQUIRE(csv.rc == 0);
  write_file(d / "a.csv", csv.out);
  auto load = run_xbase(d, {"load", str(d / "b.dbf"), str(d / "a.csv")});
  INFO(load.err);
  REQUIRE(load.rc == 0);
  // CSV has no null/empty distinction for text: compare the fields where it is exact.
  auto a = run_xbase(d, {"dump", str(d / "a.dbf"), "--deleted", "--fields", "ID,AMOUNT,NAME,D,M,Y,T,B,VB"});
  auto b = run_xbase(d, {"dump", str(d / "b.dbf"), "--deleted", "--fields", "ID,AMOUNT,NAME,D,M,Y,T,B,VB"});
  CHECK(a.out == b.out);
}

TEST_CASE("a bad input line is reported with its line number while nothing is appended", "[tools]") {
  TempDir d;
  REQUIRE(run_xbase(d, {"create", str(d / "t.dbf"), "--type", "vfp", "--fields", "ID I, D D, NAME C(5)"}).rc == 0);
  write_lines(d / "in.jsonl", {R"({"ID":1,"D":"2024-01-01","NAME":"ok"})", R"({"ID":2,"D":"2024-02-30","NAME":"bad"})"});
  auto r = run_xbase(d, {"load", str(d / "t.dbf"), str(d / "in.jsonl")});
  CHECK(r.rc == 2);
  CHECK(r.err.find("in.jsonl: line 2") != std::string::npos);
  CHECK(r.err.find("field D") != std::string::npos);
  write_lines(d / "long.jsonl", {R"({"ID":1,"NAME":"toolong"})"});
  r = run_xbase(d, {"load", str(d / "t.dbf"), str(d / "long.jsonl")});
  CHECK(r.rc == 2);
  CHECK(r.err.find("line 1") != std::string::npos);
  write_lines(d / "cp.jsonl", {R"({"ID":1,"NAME":"Ωmega"})"});
  r = run_xbase(d, {"load", str(d / "t.dbf"), str(d / "cp.jsonl")});
  CHECK(r.rc == 2);
  CHECK(r.err.find("codepage 1252") != std::string::npos);
  auto dump = run_xbase(d, {"dump", str(d / "t.dbf"), "--deleted"});
  CHECK(dump.rc == 0);
  CHECK(dump.out.empty());
}

TEST_CASE("exit code 2 for usage and missing files and 1 for damaged files", "[tools]") {
  TempDir d;
  CHECK(run_xbase(d, {"frobnicate"}).rc == 2);
  CHECK(run_xbase(d, {"dump"}).rc == 2);
  auto missing = run_xbase(d, {"info", str(d / "nope.dbf")});
  CHECK(missing.rc == 2);
  CHECK(missing.err.find("nope.dbf") != std::string::npos);
  write_file(d / "junk.dbf", std::string(100, 'x'));
  auto junk = run_xbase(d, {"info", str(d / "junk.dbf")});
  CHECK(junk.rc == 1);
  CHECK(junk.err.find("junk.dbf") != std::string::npos);
  // A table whose header promises more records than the file holds: readable, with a warning.
  REQUIRE(run_xbase(d, {"create", str(d / "t.dbf"), "--type", "db3", "--fields", "N N(4)"}).rc == 0);
  write_lines(d / "in.jsonl", {R"({"N":1})", R"({"N":2})", R"({"N":3})"});
  REQUIRE(run_xbase(d, {"load", str(d / "t.dbf"), str(d / "in.jsonl")}).rc == 0);
  std::string bytes = read_file(d / "t.dbf");
  bytes.resize(bytes.size() - 6);  // cut the EOF marker and the last record
  write_file(d / "t.dbf", bytes);
  auto cut = run_xbase(d, {"dump", str(d / "t.dbf")});
  CHECK(cut.rc == 1);
  CHECK(cut.err.find("header says 3 records but the file holds only 2") != std::string::npos);
  CHECK(cut.out.find("\"N\":2") != std::string::npos);
  CHECK(cut.out.find("\"N\":3") == std::string::npos);
}

TEST_CASE("a missing end-of-file marker is a note: dump, dump --tag and info exit 0", "[tools]") {
  // Harbour does not write the marker in shared use: every table it appended to lacks it.
  TempDir d;
  REQUIRE(run_xbase(d, {"create", str(d / "t.dbf"), "--type", "vfp", "--fields", "N N(4)"}).rc == 0);
  write_lines(d / "in.jsonl", {R"({"N":2})", R"({"N":1})"});
  REQUIRE(run_xbase(d, {"load", str(d / "t.dbf"), str(d / "in.jsonl")}).rc == 0);
  REQUIRE(run_xbase(d, {"index", str(d / "t.dbf"), "--tag", "N", "--on", "N"}).rc == 0);
  std::string bytes = read_file(d / "t.dbf");
  REQUIRE(bytes.back() == '\x1A');
  bytes.pop_back();
  write_file(d / "t.dbf", bytes);
  for (std::vector<std::string> args : {std::vector<std::string>{"dump", str(d / "t.dbf")},
                                        {"dump", str(d / "t.dbf"), "--tag", "N", "--recno-only"},
                                        {"info", str(d / "t.dbf")},
                                        {"info", str(d / "t.dbf"), "--json"},
                                        {"check", str(d / "t.dbf")}}) {
    auto r = run_xbase(d, args);
    INFO(args[0] << " " << (args.size() > 2 ? args[2] : "") << ": " << r.err);
    CHECK(r.rc == 0);
    if (args[0] == "check") continue;
    const std::string& shown = args.back() == "--json" ? r.out : r.err;
    CHECK(shown.find("no end-of-file marker") != std::string::npos);
    if (args.back() != "--json") CHECK(r.err.find("xbase: note: ") == 0);
  }
  CHECK(run_xbase(d, {"dump", str(d / "t.dbf"), "--tag", "N", "--recno-only"}).out == "2\n1\n");
}

TEST_CASE("the codepage option reads a table whose mark is missing or wrong", "[tools]") {
  TempDir d;
  REQUIRE(run_xbase(d, {"create", str(d / "t.dbf"), "--type", "fox2", "--codepage", "850", "--fields", "NAME C(10)"}).rc == 0);
  write_lines(d / "in.jsonl", {R"({"NAME":"Çé"})"});
  REQUIRE(run_xbase(d, {"load", str(d / "t.dbf"), str(d / "in.jsonl")}).rc == 0);
  CHECK(run_xbase(d, {"dump", str(d / "t.dbf")}).out.find("\"Çé\"") != std::string::npos);
  // CP850 Ç (0x80) and é (0x82) read as Windows-1252 are € and ‚.
  CHECK(run_xbase(d, {"dump", str(d / "t.dbf"), "--codepage", "1252"}).out.find("\"€‚\"") != std::string::npos);
  auto info = run_xbase(d, {"info", str(d / "t.dbf"), "--json"});
  CHECK(info.out.find("\"codepage\":850") != std::string::npos);
  CHECK(info.out.find("\"codepage_mark\":\"0x02\"") != std::string::npos);
  CHECK(run_xbase(d, {"dump", str(d / "t.dbf"), "--codepage", "12345"}).rc == 2);
}

TEST_CASE("info lists the structure of the VFP fixture", "[tools]") {
  TempDir d;
  auto r = run_xbase(d, {"info", str(shared_dir() / "fixtures/vfp/FIX.DBF"), "--json"});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("\"version\":\"0x30\"") != std::string::npos);
  CHECK(r.out.find("\"records\":1000") != std::string::npos);
  CHECK(r.out.find("\"memo_file\":\"FIX.FPT\"") != std::string::npos);
  CHECK(r.out.find("\"index_file\":\"FIX.CDX\"") != std::string::npos);
  CHECK(r.out.find("{\"name\":\"IV\",\"type\":\"I\",\"length\":4,\"decimals\":0,\"offset\":63,\"nullable\":true") != std::string::npos);
  auto fields = run_xbase(d, {"dump", str(shared_dir() / "fixtures/vfp/FIX.DBF"), "--fields", "id,cn"});
  CHECK(fields.out.rfind("{\"_recno\":1,\"_deleted\":false,\"ID\":1,\"CN\":\"K00037\"}\n", 0) == 0);
}

TEST_CASE("index then seek then reindex from the command line", "[tools]") {
  TempDir d;
  REQUIRE(run_xbase(d, {"create", str(d / "c.dbf"), "--type", "vfp", "--fields", "ID I, NAME C(20)"}).rc == 0);
  write_lines(d / "in.jsonl", {R"({"ID":1,"NAME":"Zoë"})", R"({"ID":2,"NAME":"adam"})", R"({"ID":3,"NAME":"Bea"})"});
  REQUIRE(run_xbase(d, {"load", str(d / "c.dbf"), str(d / "in.jsonl")}).rc == 0);
  auto ix = run_xbase(d, {"index", str(d / "c.dbf"), "--tag", "name", "--on", "UPPER(NAME)"});
  INFO(ix.err);
  REQUIRE(ix.rc == 0);
  REQUIRE(run_xbase(d, {"index", str(d / "c.dbf"), "--tag", "id", "--on", "ID", "--candidate"}).rc == 0);
  CHECK(run_xbase(d, {"dump", str(d / "c.dbf"), "--tag", "NAME", "--recno-only"}).out == "2\n3\n1\n");
  auto found = run_xbase(d, {"seek", str(d / "c.dbf"), "--tag", "name", "BE"});
  CHECK(found.rc == 0);
  CHECK(found.out == "{\"_recno\":3,\"_deleted\":false,\"ID\":3,\"NAME\":\"Bea\"}\n");
  CHECK(run_xbase(d, {"seek", str(d / "c.dbf"), "--tag", "ID", "2", "--exact"}).out.find("\"adam\"") != std::string::npos);
  auto missing = run_xbase(d, {"seek", str(d / "c.dbf"), "--tag", "ID", "9"});
  CHECK(missing.rc == 1);
  CHECK(missing.err.find("not found in tag ID") != std::string::npos);
  // A duplicate in the candidate tag is refused and nothing is appended.
  write_lines(d / "dup.jsonl", {R"({"ID":2,"NAME":"again"})"});
  CHECK(run_xbase(d, {"load", str(d / "c.dbf"), str(d / "dup.jsonl")}).rc == 2);
  CHECK(run_xbase(d, {"dump", str(d / "c.dbf")}).out.find("again") == std::string::npos);
  auto info = run_xbase(d, {"info", str(d / "c.dbf"), "--json"});
  CHECK(info.out.find("\"structural_index\":true") != std::string::npos);
  CHECK(info.out.find("{\"name\":\"NAME\",\"key\":\"UPPER(NAME)\"") != std::string::npos);
  CHECK(run_xbase(d, {"reindex", str(d / "c.dbf")}).rc == 0);
  CHECK(run_xbase(d, {"dump", str(d / "c.dbf"), "--tag", "NAME", "--recno-only"}).out == "2\n3\n1\n");
  CHECK(run_xbase(d, {"index", str(d / "c.dbf"), "--tag", "NAME", "--drop"}).rc == 0);
  CHECK(run_xbase(d, {"index", str(d / "c.dbf"), "--tag", "ID", "--drop"}).rc == 0);
  // The last tag gone, the structural index goes too.
  CHECK_FALSE(std::filesystem::exists(d / "c.cdx"));
  CHECK(run_xbase(d, {"info", str(d / "c.dbf"), "--json"}).out.find("\"structural_index\":false") != std::string::npos);
}

TEST_CASE("locks lists the record and share locks another user holds", "[tools]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = xbase::Table::create(p, xbase::parse_field_list("ID N(6)"));
    for (int i = 1; i <= 3; ++i) t->append(std::vector<xbase::Value>{xbase::Value::integer(i)});
    t->create_tag({"ID", "ID", "", false, false, false});
  }
  auto none = run_xbase(d, {"locks", str(p), "--json"});
  CHECK(none.rc == 0);
  CHECK(none.out == "[]\n");
  auto user = xbase::Table::open(p);  // shared use, as another workstation
  user->lock_record(2);
  auto r = run_xbase(d, {"locks", str(p), "--json"});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find(R"("kind": "record", "record": 2, "mode": "exclusive", "offset": 2147483644, "length": 1)") !=
        std::string::npos);
  CHECK(r.out.find(R"("kind": "open", "record": null, "mode": "shared", "offset": 2147483647)") !=
        std::string::npos);
  auto text = run_xbase(d, {"locks", str(p)});
  CHECK(text.out.find("record 2") != std::string::npos);
  // Under the Clipper scheme the same byte means nothing: listed, but not as record 2.
  auto clipper = run_xbase(d, {"locks", str(p), "--scheme", "clipper", "--json"});
  CHECK(clipper.out.find(R"("record": 2)") == std::string::npos);
  CHECK(run_xbase(d, {"locks", str(p), "--scheme", "dbase"}).rc == 2);
}

#ifndef _WIN32
TEST_CASE("locks lists another program's flock holders as Harbour takes them", "[tools]") {
  TempDir d;
  REQUIRE(run_xbase(d, {"create", str(d / "t.dbf"), "--type", "vfp", "--fields", "N N(4)"}).rc == 0);
  int fd = ::open(str(d / "t.dbf").c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  auto r = run_xbase(d, {"locks", str(d / "t.dbf")});
  auto j = run_xbase(d, {"locks", str(d / "t.dbf"), "--json"});
  auto dump = run_xbase(d, {"dump", str(d / "t.dbf")});
  ::close(fd);
  INFO(r.out << r.err);
  CHECK(r.out.find("flock (exclusive use)") != std::string::npos);
  CHECK(r.out.find(fmt::format("pid {}", ::getpid())) != std::string::npos);
  CHECK(j.out.find(fmt::format("\"kind\": \"flock\", \"record\": null, \"mode\": \"exclusive\", "
                               "\"offset\": 0, \"length\": 0, \"pid\": {}", ::getpid())) != std::string::npos);
  CHECK(dump.rc != 0);  // in use
  CHECK(run_xbase(d, {"locks", str(d / "t.dbf")}).out.find("flock") == std::string::npos);
}
#endif

TEST_CASE("index --file builds a tag in a standalone cdx that dump seek info and reindex use", "[tools]") {
  TempDir d;
  auto p = d / "T.DBF";
  {
    auto t = xbase::Table::create(p, xbase::parse_field_list("ID N(6), NAME C(20)"));
    const char* names[] = {"peeters", "Janssens", "maes"};
    for (int i = 0; i < 3; ++i)
      t->append(std::vector<xbase::Value>{xbase::Value::integer(i + 1), xbase::Value::text(names[i])});
  }
  auto other = str(d / "names.cdx");
  auto r = run_xbase(d, {"index", str(p), "--tag", "NAME", "--on", "UPPER(NAME)", "--file", other});
  REQUIRE(r.rc == 0);
  CHECK(fs::exists(other));
  CHECK_FALSE(fs::exists(d / "T.cdx"));
  auto order = run_xbase(d, {"dump", str(p), "--tag", "NAME", "--recno-only", "--file", other});
  CHECK(order.rc == 0);
  CHECK(order.out == "2\n3\n1\n");
  CHECK(run_xbase(d, {"dump", str(p), "--tag", "NAME"}).rc == 2);  // not open without --file
  auto seek = run_xbase(d, {"seek", str(p), "--tag", "NAME", "MAES", "--file", other});
  CHECK(seek.rc == 0);
  CHECK(seek.out.find("\"_recno\":3") != std::string::npos);
  auto info = run_xbase(d, {"info", str(p), "--json", "--file", other});
  CHECK(info.out.find("\"index_file\":\"" + other + "\"") != std::string::npos);
  CHECK(run_xbase(d, {"reindex", str(p), "--file", other}).rc == 0);
  CHECK(run_xbase(d, {"index", str(p), "--tag", "NAME", "--drop", "--file", other}).rc == 0);
  CHECK_FALSE(fs::exists(other));
}

TEST_CASE("check then repair then pack a folder from the command line", "[tools]") {
  TempDir d;
  fs::path data = d / "data";
  fs::create_directories(data);
  auto fix = copy_table(shared_dir() / "fixtures/fox2/FIX.DBF", data);
  auto good = copy_table(shared_dir() / "fixtures/db3/FIX.DBF", d.path());
  fs::rename(good, data / "GOOD.DBF");
  fs::rename(d / "FIX.DBT", data / "GOOD.DBT");
  // A record cut short at the end of FIX.DBF.
  const auto size = fs::file_size(fix);
  fs::resize_file(fix, size - 20);

  auto c = run_xbase(d, {"check", str(data)});
  CHECK(c.rc == 1);
  CHECK(c.out.find("GOOD.DBF: ok") != std::string::npos);
  CHECK(c.out.find("FIX.DBF: ") != std::string::npos);
  CHECK(c.out.find("cut short") != std::string::npos);
  CHECK(c.out.find("2 tables checked: 1 with problems") != std::string::npos);
  auto j = run_xbase(d, {"check", str(fix), "--json"});
  CHECK(j.rc == 1);
  CHECK(j.out.find("\"severity\":\"problem\",\"area\":\"header\"") != std::string::npos);

  auto dry = run_xbase(d, {"repair", str(data), "--dry-run"});
  CHECK(dry.rc == 1);  // problems left: nothing was changed
  CHECK(dry.out.find("nothing changed (dry run)") != std::string::npos);
  CHECK(fs::file_size(fix) == size - 20);

  auto r = run_xbase(d, {"repair", str(data)});
  INFO(r.out << r.err);
  CHECK(r.rc == 0);
  CHECK(r.out.find("all fixed") != std::string::npos);
  CHECK(fs::exists(data / "xbase-backup"));
  CHECK(run_xbase(d, {"check", str(data)}).rc == 0);

  auto p = run_xbase(d, {"pack", str(data / "FIX.DBF")});
  INFO(p.err);
  CHECK(p.rc == 0);
  CHECK(p.out.find("deleted removed") != std::string::npos);
  CHECK(run_xbase(d, {"check", str(data)}).rc == 0);
}

TEST_CASE("repair and pack and reindex refuse a table another program has open", "[tools]") {
  TempDir d;
  auto fix = copy_table(shared_dir() / "fixtures/fox2/FIX.DBF", d.path());
  auto other = xbase::Table::open(fix);  // shared use, as another workstation has it
  fs::resize_file(fix, fs::file_size(fix) - 20);
  for (const char* cmd : {"repair", "pack", "reindex"}) {
    auto r = run_xbase(d, {cmd, str(fix)});
    INFO(cmd << ": " << r.err);
    CHECK(r.rc == 2);
    CHECK(r.err.find("another program has the table open") != std::string::npos);
  }
}

// Hostile input to `xbase` (issue 24), driven as a user drives it: special files named like
// tables, folders without tables, symbolic links out of a data folder, control characters in
// what the files contain.

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <fmt/format.h>
#include <fstream>

#include "common/text/terminal_text.h"
#include "test_util.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

RunResult run_xbase(const TempDir& dir, const std::vector<std::string>& args) {
  return run_program(XBASE_TOOL, args, dir.path());
}

// With a time limit: a command that waits forever (the bug) ends with 124 instead of hanging
// the test run.
RunResult run_xbase_limited(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> all = {"20", XBASE_TOOL};
  all.insert(all.end(), args.begin(), args.end());
  return run_program("timeout", all, dir.path());
}

std::string str(const fs::path& p) { return p.string(); }

// A VFP table with a memo and a tag: two live records and a deleted one (so pack has work).
void make_table(const TempDir& d, const fs::path& t) {
  write_file(d / "rows.jsonl",
             "{\"_recno\":1,\"_deleted\":false,\"ID\":1,\"NAME\":\"one\",\"M\":\"memo 1\"}\n"
             "{\"_recno\":2,\"_deleted\":true,\"ID\":2,\"NAME\":\"two\",\"M\":\"memo 2\"}\n"
             "{\"_recno\":3,\"_deleted\":false,\"ID\":3,\"NAME\":\"three\",\"M\":\"memo 3\"}\n");
  REQUIRE(run_xbase(d, {"create", str(t), "--type", "vfp", "--fields", "ID I, NAME C(30), M M"}).rc == 0);
  auto load = run_xbase(d, {"load", str(t), str(d / "rows.jsonl")});
  INFO(load.err);
  REQUIRE(load.rc == 0);
  REQUIRE(run_xbase(d, {"index", str(t), "--tag", "ID", "--on", "ID"}).rc == 0);
}

size_t lines(const std::string& s) { return size_t(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("a FIFO named like a table is refused at once instead of blocking forever", "[hostile]") {
  TempDir d;
  const fs::path fifo = d / "fifo.dbf";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const char* cmd : {"info", "dump", "check", "repair", "pack", "reindex"}) {
    SECTION(cmd) {
      auto r = run_xbase_limited(d, {cmd, str(fifo)});
      INFO(r.out << r.err);
      REQUIRE(r.rc != 124);  // 124: killed by timeout, it was waiting for a writer
      CHECK(r.rc != 0);
      CHECK((r.out + r.err).find("fifo.dbf") != std::string::npos);
      CHECK((r.out + r.err).find("FIFO (named pipe), not a regular file") != std::string::npos);
    }
  }
  SECTION("in a folder scan it is skipped and named") {
    make_table(d, d / "real.dbf");
    auto r = run_xbase_limited(d, {"check", str(d.path())});
    INFO(r.out << r.err);
    REQUIRE(r.rc == 1);  // not everything named like a table was checked
    CHECK(r.out.find("real.dbf: ok") != std::string::npos);
    CHECK(r.err.find("fifo.dbf: a FIFO (named pipe), not a table file: skipped") != std::string::npos);
    CHECK(r.err.find("1 entry named like tables was skipped (see above)") != std::string::npos);
  }
}

TEST_CASE("a folder named like a table is refused naming it as a folder", "[hostile]") {
  TempDir d;
  fs::create_directory(d / "dir.dbf");
  auto info = run_xbase(d, {"info", str(d / "dir.dbf")});
  INFO(info.err);
  CHECK(info.rc == 2);
  CHECK(info.err.find("dir.dbf: is a folder, not a regular file") != std::string::npos);
  // Given as a folder, it is a folder without tables.
  auto check = run_xbase(d, {"check", str(d.path())});
  INFO(check.err);
  CHECK(check.rc == 1);
  CHECK(check.err.find("dir.dbf: a folder, not a table file: skipped") != std::string::npos);
}

TEST_CASE("a folder command in a folder without tables says no tables here instead of nothing", "[hostile]") {
  TempDir d;
  fs::create_directory(d / "empty");
  write_file(d / "empty" / "readme.txt", "not a table\n");
  for (const char* cmd : {"check", "repair", "pack", "reindex"}) {
    SECTION(cmd) {
      auto r = run_xbase(d, {cmd, str(d / "empty")});
      INFO(r.out << r.err);
      CHECK(r.rc == 0);
      CHECK(r.err.find("no tables here (" + str(d / "empty") + ")") != std::string::npos);
    }
  }
}

TEST_CASE("repair and pack of a folder never rewrite a table a link leads out of the folder to", "[hostile]") {
  TempDir d;
  fs::create_directory(d / "outside");
  fs::create_directory(d / "share");
  make_table(d, d / "outside" / "secret.dbf");
  make_table(d, d / "share" / "real.dbf");
  fs::create_symlink("../outside/secret.dbf", d / "share" / "LINK.DBF");
  const std::string before = read_file(d / "outside" / "secret.dbf");
  for (const char* cmd : {"repair", "pack", "check", "reindex"}) {
    auto r = run_xbase(d, {cmd, str(d / "share")});
    INFO(cmd << ": " << r.out << r.err);
    CHECK(r.rc == 1);  // the table behind the link was not worked on: no "all done" for scripts
    CHECK(r.err.find("1 entry named like tables was skipped (see above)") != std::string::npos);
    CHECK(r.err.find("LINK.DBF: a link to ") != std::string::npos);
    CHECK(r.err.find("outside " + str(d / "share")) != std::string::npos);
    CHECK(r.out.find("LINK.DBF") == std::string::npos);
  }
  // The table outside is untouched (pack would have removed its deleted record), no backup of
  // it was made, and the table inside was packed.
  CHECK(read_file(d / "outside" / "secret.dbf") == before);
  CHECK(!fs::exists(d / "outside" / "xbase-backup"));
  CHECK(lines(run_xbase(d, {"dump", str(d / "share" / "real.dbf"), "--deleted"}).out) == 2);
  CHECK(fs::is_symlink(d / "share" / "LINK.DBF"));
}

TEST_CASE("a skipped link out of the folder makes check exit 1 and count it, a link within the folder does not", "[hostile]") {
  TempDir d;
  fs::create_directory(d / "outside");
  fs::create_directory(d / "share");
  make_table(d, d / "outside" / "secret.dbf");
  make_table(d, d / "share" / "real.dbf");
  fs::create_symlink("real.dbf", d / "share" / "ALIAS.DBF");
  auto inside_only = run_xbase(d, {"check", str(d / "share"), "--json"});
  INFO(inside_only.out << inside_only.err);
  CHECK(inside_only.rc == 0);  // real.dbf was checked under its own name
  CHECK(inside_only.out.find("\"skipped\":0}") != std::string::npos);
  fs::create_symlink("../outside/secret.dbf", d / "share" / "LINK.DBF");
  auto both = run_xbase(d, {"check", str(d / "share"), "--json"});
  INFO(both.out << both.err);
  CHECK(both.rc == 1);
  CHECK(both.out.find("\"skipped\":1}") != std::string::npos);
  CHECK(both.out.find("\"problems\":0") != std::string::npos);
}

TEST_CASE("pack and repair of a table given by a link path work on the target and keep the link", "[hostile]") {
  TempDir d;
  fs::create_directory(d / "outside");
  fs::create_directory(d / "share");
  make_table(d, d / "outside" / "secret.dbf");
  const fs::path link = d / "share" / "LINK.DBF";
  fs::create_symlink("../outside/secret.dbf", link);
  for (const char* cmd : {"pack", "repair"}) {
    SECTION(cmd) {
      auto r = run_xbase(d, {cmd, str(link)});
      INFO(r.out << r.err);
      REQUIRE(r.rc == 0);
      CHECK(r.err.find("LINK.DBF is a link to " + str(fs::canonical(d / "outside" / "secret.dbf")) +
                       ": working on that table") != std::string::npos);
      CHECK(fs::is_symlink(link));
      CHECK(fs::read_symlink(link) == fs::path("../outside/secret.dbf"));
      // The originals are kept beside the target, not in the link's folder.
      CHECK(!fs::exists(d / "share" / "xbase-backup"));
      if (std::string(cmd) == "pack") {
        CHECK(fs::exists(d / "outside" / "xbase-backup"));
        // The deleted record is gone from the target, and the memo beside it still reads.
        auto dump = run_xbase(d, {"dump", str(d / "outside" / "secret.dbf"), "--deleted"});
        CHECK(lines(dump.out) == 2);
        CHECK(dump.out.find("memo 3") != std::string::npos);
      }
    }
  }
  SECTION("info through the link reads the memo and index beside the target") {
    auto r = run_xbase(d, {"info", str(link)});
    INFO(r.out << r.err);
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("memo:         secret.fpt") != std::string::npos);
    CHECK(r.out.find("index:        secret.cdx") != std::string::npos);
  }
}

TEST_CASE("control characters in record values are escaped in conflicts output, never printed raw", "[hostile]") {
  TempDir d;
  fs::create_directory(d / "data");
  const fs::path t = d / "data" / "T.dbf", copy = d / "data" / "T (conflicted copy 2024-05-02).dbf";
  REQUIRE(run_xbase(d, {"create", str(t), "--type", "vfp", "--fields", "ID I, NAME C(30)"}).rc == 0);
  fs::copy_file(t, copy);
  write_file(d / "rows.jsonl", "{\"ID\":1,\"NAME\":\"bell\\u0007tab\\u001b[31mred\"}\n");
  REQUIRE(run_xbase(d, {"load", str(copy), str(d / "rows.jsonl")}).rc == 0);
  auto r = run_xbase(d, {"conflicts", str(d / "data")});
  INFO(r.out << r.err);
  CHECK(r.out.find("NAME=\"bell\\x07tab\\x1b[31mred\"") != std::string::npos);
  CHECK(r.out.find('\a') == std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
}

TEST_CASE("control characters in field names are escaped in info and dump output, never printed raw", "[hostile]") {
  TempDir d;
  const fs::path t = d / "t.dbf";
  REQUIRE(run_xbase(d, {"create", str(t), "--type", "db3", "--fields", "NAME C(10), ID N(5)"}).rc == 0);
  // The first field's name becomes "N<ESC>ME" (the name starts at byte 32 of the file).
  {
    std::fstream f(t, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(33);
    f.put('\x1b');
  }
  auto info = run_xbase(d, {"info", str(t)});
  INFO(info.out << info.err);
  CHECK(info.out.find("N\\x1bME") != std::string::npos);
  CHECK(info.out.find('\x1b') == std::string::npos);
  CHECK(info.err.find('\x1b') == std::string::npos);
  auto dump = run_xbase(d, {"dump", str(t), "--fields", "ID,N\x1bMX"});
  INFO(dump.err);
  CHECK(dump.rc != 0);
  CHECK(dump.err.find('\x1b') == std::string::npos);
}

TEST_CASE("control characters in table file names are escaped in folder output and errors", "[hostile]") {
  TempDir d;
  fs::create_directory(d / "data");
  const fs::path t = d / "data" / "bell\a\x1b[31mred.dbf";
  REQUIRE(run_xbase(d, {"create", str(t), "--type", "vfp", "--fields", "ID I"}).rc == 0);
  auto check = run_xbase(d, {"check", str(d / "data")});
  INFO(check.out << check.err);
  CHECK(check.rc == 0);
  CHECK(check.out.find("bell\\x07\\x1b[31mred.dbf: ok") != std::string::npos);
  CHECK(check.out.find('\x1b') == std::string::npos);
  auto missing = run_xbase(d, {"info", str(d / "data" / "no\x1b[2Jsuch.dbf")});
  CHECK(missing.rc == 2);
  CHECK(missing.err.find("no\\x1b[2Jsuch.dbf") != std::string::npos);
  CHECK(missing.err.find('\x1b') == std::string::npos);
}

TEST_CASE("terminal_text escapes control characters and keeps text and line ends", "[hostile]") {
  using common::terminal_text;
  CHECK(terminal_text("bell\atab\x1b[31mred") == "bell\\x07tab\\x1b[31mred");
  CHECK(terminal_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd");
  CHECK(terminal_text("over\rwrite") == "over\\x0dwrite");
  CHECK(terminal_text("del\x7f") == "del\\x7f");
  CHECK(terminal_text("csi \xc2\x9b" "31m") == "csi \\xc2\\x9b31m");
  CHECK(terminal_text("Zoë € ÿ") == "Zoë € ÿ");
  CHECK(terminal_text(std::string("nul\0x", 5)) == "nul\\x00x");
}

// Admin tools that said "fixed" when they did not (issue 24).

TEST_CASE("repair sets a memo file's next free block past the end once, and a second repair has nothing to do", "[hostile]") {
  TempDir d;
  const fs::path t = d / "t.dbf";
  make_table(d, t);
  {
    std::fstream f(d / "t.fpt", std::ios::in | std::ios::out | std::ios::binary);
    const char far[4] = {0, 1, 0, 0};  // block 65536, big-endian
    f.write(far, 4);
  }
  auto dry = run_xbase(d, {"repair", str(t), "--dry-run"});
  CHECK(dry.out.find("would: sets the memo file's next free block") != std::string::npos);
  auto first = run_xbase(d, {"repair", str(t)});
  INFO(first.out << first.err);
  CHECK(first.rc == 0);
  CHECK(first.out.find("all fixed") != std::string::npos);
  CHECK(first.out.find("set the memo file's next free block from 65536 to") != std::string::npos);
  auto second = run_xbase(d, {"repair", str(t)});
  INFO(second.out << second.err);
  CHECK(second.rc == 0);
  CHECK(second.out.find("0 problems found, nothing to do") != std::string::npos);
  CHECK(std::distance(fs::directory_iterator(d / "xbase-backup"), fs::directory_iterator()) == 1);
  CHECK(run_xbase(d, {"check", str(t)}).rc == 0);
}

TEST_CASE("an empty memo file while records point into it is a problem that repair fixes", "[hostile]") {
  TempDir d;
  const fs::path t = d / "t.dbf";
  make_table(d, t);
  fs::resize_file(d / "t.fpt", 0);  // what a full disk or a cut copy leaves
  auto check = run_xbase(d, {"check", str(t)});
  INFO(check.out << check.err);
  CHECK(check.rc == 1);
  CHECK(check.out.find("problem memo   t.fpt: offset 0: memo file is shorter than its 512-byte header") !=
        std::string::npos);
  CHECK(check.out.find("record 3, field M") != std::string::npos);
  CHECK(check.out.find("points to memo block") != std::string::npos);
  auto repair = run_xbase(d, {"repair", str(t)});
  INFO(repair.out << repair.err);
  CHECK(repair.rc == 0);
  CHECK(repair.out.find("wrote a new empty memo file t.fpt (0 bytes were there") != std::string::npos);
  CHECK(repair.out.find("3 record(s) and 0 memo value(s) kept in " + str(d / "t.quarantine.dbf")) != std::string::npos);
  CHECK(run_xbase(d, {"check", str(t)}).rc == 0);
  // Memos can be written again.
  write_file(d / "more.jsonl", "{\"ID\":4,\"NAME\":\"four\",\"M\":\"memo 4\"}\n");
  auto load = run_xbase(d, {"load", str(t), str(d / "more.jsonl")});
  INFO(load.err);
  CHECK(load.rc == 0);
  auto dump = run_xbase(d, {"dump", str(t), "--fields", "ID,M"});
  CHECK(dump.out.find("\"ID\":4,\"M\":\"memo 4\"") != std::string::npos);
  CHECK(run_xbase(d, {"check", str(t)}).rc == 0);
}

TEST_CASE("a header record length shorter than the fields need is a problem that repair sets from the fields", "[hostile]") {
  TempDir d;
  const fs::path t = d / "t.dbf";
  make_table(d, t);
  const std::string before = run_xbase(d, {"dump", str(t), "--deleted"}).out;
  auto stored_length = [&] {
    std::ifstream f(t, std::ios::binary);
    unsigned char b[12];
    f.read(reinterpret_cast<char*>(b), 12);
    return b[10] | (b[11] << 8);
  };
  const int need = stored_length();
  {
    std::fstream f(t, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(10);
    const char one[2] = {1, 0};  // other programs would read 1-byte records
    f.write(one, 2);
  }
  auto check = run_xbase(d, {"check", str(t)});
  INFO(check.out << check.err);
  CHECK(check.rc == 1);
  CHECK(check.out.find("problem header") != std::string::npos);
  CHECK(check.out.find(fmt::format("record length 1 is smaller than the fields need ({})", need)) !=
        std::string::npos);
  auto repair = run_xbase(d, {"repair", str(t)});
  INFO(repair.out << repair.err);
  CHECK(repair.rc == 0);
  CHECK(repair.out.find(fmt::format("set the header's record length from 1 to {}", need)) != std::string::npos);
  CHECK(stored_length() == need);
  CHECK(run_xbase(d, {"check", str(t)}).rc == 0);
  CHECK(run_xbase(d, {"dump", str(t), "--deleted"}).out == before);
}

TEST_CASE("repair of a table whose index is lost in an invoicing folder points to the program instead of dropping the index", "[hostile]") {
  TempDir d;
  const fs::path co = d / "co";
  auto init = run_program(INVOICING, {"init", str(co), "--company", "Test BV"}, d.path());
  INFO(init.out << init.err);
  REQUIRE(init.rc == 0);
  fs::remove(co / "DOC.CDX");  // what check advises repair for
  auto repair = run_xbase(d, {"repair", str(co / "DOC.DBF")});
  INFO(repair.out << repair.err);
  CHECK(repair.rc == 1);  // not "all fixed": the index is still missing
  CHECK(repair.out.find("nothing changed, 1 left") != std::string::npos);
  CHECK(repair.out.find("run `invoicing repair-indexes --data " + str(co) + "` with everyone out") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(co / "xbase-backup"));
  {
    std::ifstream f(co / "DOC.DBF", std::ios::binary);
    char h[29];
    f.read(h, 29);
    CHECK((h[28] & 1) == 1);  // the structural-index flag stayed
  }
  // What it points to works, and the program shows its documents again.
  auto rebuild = run_program(INVOICING, {"repair-indexes", "--data", str(co)}, d.path());
  INFO(rebuild.out << rebuild.err);
  CHECK(rebuild.rc == 0);
  CHECK(run_xbase(d, {"check", str(co)}).rc == 0);
  CHECK(run_program(INVOICING, {"doc", "list", "--data", str(co)}, d.path()).rc == 0);
}

TEST_CASE("a damaged index names the index file and says to run check instead of only no tag named", "[hostile]") {
  TempDir d;
  const fs::path t = d / "t.dbf";
  make_table(d, t);
  {
    // The CDX's header page overwritten: the file no longer reads as an index.
    std::fstream f((d / "t.cdx").string(), std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    const std::string junk(512, '\xee');
    f.write(junk.data(), std::streamsize(junk.size()));
  }
  auto r = run_xbase(d, {"seek", str(t), "--tag", "ID", "3"});
  INFO(r.out << r.err);
  CHECK(r.rc != 0);
  CHECK(r.err.find("no tag named ID: " + str(d / "t.cdx")) != std::string::npos);
  CHECK(r.err.find("the index is not used; run `xbase check " + str(t) + "`") != std::string::npos);
}

TEST_CASE("init with a company name longer than the settings hold is refused naming the limit and leaves nothing", "[hostile]") {
  TempDir d;
  std::string name;
  for (int i = 0; i < 250; ++i) name += "x";
  auto r = run_program(INVOICING, {"init", str(d / "co"), "--company", name}, d.path());
  INFO(r.out << r.err);
  CHECK(r.rc == 1);
  CHECK(r.err.find("a company name has at most 200 characters (250 given)") != std::string::npos);
  for (const auto& e : fs::directory_iterator(d.path()))  // no folder, no half-made temporary one
    CHECK_FALSE(e.is_directory());
  // Measured in characters: 200 of "é" (400 bytes of UTF-8) fit.
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "\xC3\xA9";
  auto ok = run_program(INVOICING, {"init", str(d / "co"), "--company", accents}, d.path());
  INFO(ok.out << ok.err);
  CHECK(ok.rc == 0);
  auto setting = run_program(INVOICING, {"setting", "company", "--data", str(d / "co")}, d.path());
  CHECK(setting.out.find(accents) != std::string::npos);
}

TEST_CASE("a user without write permission hears that the data folder needs write access", "[hostile]") {
  TempDir d;
  const fs::path co = d / "co";
  REQUIRE(run_program(INVOICING, {"init", str(co), "--company", "Test BV"}, d.path()).rc == 0);
  // Readable, not writable, for this user: as root, the command runs as nobody (root may
  // write anything); otherwise the files lose their write bits.
  fs::permissions(d.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(co, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  for (const auto& e : fs::directory_iterator(co))
    fs::permissions(e.path(), fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  std::vector<std::string> args = {"customer", "list", "--data", str(co)};
  RunResult r;
  if (::geteuid() == 0) {
    std::vector<std::string> as_nobody = {"--reuid=65534", "--regid=65534", "--clear-groups", INVOICING};
    as_nobody.insert(as_nobody.end(), args.begin(), args.end());
    r = run_program("setpriv", as_nobody, d.path());
  } else {
    r = run_program(INVOICING, args, d.path());
  }
  INFO(r.out << r.err);
  CHECK(r.rc == 2);
  CHECK(r.err.find("you need write access to the data folder " + str(co)) != std::string::npos);
  CHECK(r.err.find("cannot open") == std::string::npos);
  for (const auto& e : fs::directory_iterator(co))  // TempDir removes it
    fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write);
}

// Whole files through the FileSystem: what the app writes besides tables (markers, settings,
// licences, outputs, backups) goes through these, so a crash or a failing disk at any step
// leaves the old file or the new one, never a mix and never a stray temp file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "testing/fault_fs.h"
#include "test_util.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::TempDir;

namespace {

std::string content(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> names_in(const fs::path& dir) {
  auto v = list_directory(dir);
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("write_durably replaces a file whole, or leaves it, whichever step fails", "[io]") {
  TempDir d;
  const fs::path target = d / "SETTINGS.INI";
  write_durably(FileSystem::os(), target, "old\n");
  REQUIRE(content(target) == "old\n");

  // Count the steps of one write, then fail each in turn.
  FaultFileSystem counting(FileSystem::os());
  write_durably(counting, target, "counted\n");
  const uint64_t steps = counting.ops();
  REQUIRE(steps >= 3);  // create, write, sync/rename/folder sync

  std::string before = "counted\n";
  for (uint64_t k = 1; k <= steps; ++k) {
    FaultFileSystem faulty(FileSystem::os());
    FaultPlan plan;
    plan.at = k;
    plan.dead_after = false;  // the disk comes back: the clean-up may run
    faulty.plan(plan);
    const std::string wanted = "new content " + std::to_string(k) + "\n";
    bool threw = false;
    try {
      write_durably(faulty, target, wanted);
    } catch (const Error&) {
      threw = true;
    }
    INFO("failing step " << k << " of " << steps);
    const std::string now = content(target);
    CHECK((now == before || now == wanted));
    if (!threw) CHECK(now == wanted);
    CHECK(names_in(d.path()) == std::vector<std::string>{"SETTINGS.INI"});  // no temp file left
    before = now;
  }
}

TEST_CASE("rename_unless_exists never replaces a file", "[io]") {
  TempDir d;
  write_durably(FileSystem::os(), d / "a", "A");
  write_durably(FileSystem::os(), d / "b", "B");
  // The machine's own (a hard link on POSIX) and the look-then-rename fallback both refuse.
  FaultFileSystem plain(FileSystem::os());  // uses FileSystem's default implementation
  for (FileSystem* f : {&FileSystem::os(), static_cast<FileSystem*>(&plain)}) {
    CHECK_FALSE(f->rename_unless_exists(d / "a", d / "b"));
    CHECK(content(d / "a") == "A");
    CHECK(content(d / "b") == "B");
  }
  REQUIRE(FileSystem::os().rename_unless_exists(d / "a", d / "c"));
  CHECK_FALSE(fs::exists(d / "a"));
  CHECK(content(d / "c") == "A");
  REQUIRE(plain.rename_unless_exists(d / "c", d / "e"));
  CHECK(names_in(d.path()) == std::vector<std::string>{"b", "e"});
}

TEST_CASE("copy_file, hard_link and remove_all work on folders of files", "[io]") {
  TempDir d;
  auto& fsys = FileSystem::os();
  fsys.create_directories(d / "x" / "y");
  write_durably(fsys, d / "x" / "y" / "f.txt", "12345");
  copy_file(fsys, d / "x" / "y" / "f.txt", d / "copy.txt");
  CHECK(content(d / "copy.txt") == "12345");
  copy_durably(fsys, d / "copy.txt", d / "durable.txt");
  CHECK(content(d / "durable.txt") == "12345");
  REQUIRE(fsys.hard_link(d / "copy.txt", d / "link.txt"));
  CHECK(fs::equivalent(d / "copy.txt", d / "link.txt"));
  CHECK_FALSE(fsys.hard_link(d / "copy.txt", d / "durable.txt"));  // the name is taken
  CHECK(read_whole(fsys, d / "link.txt") == "12345");
  fsys.remove_all(d / "x");
  CHECK_FALSE(fs::exists(d / "x"));
  fsys.remove_all(d / "x");  // absent: nothing to do
}

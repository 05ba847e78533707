// `xbase conflicts` over hostile folder trees (issue 24): a folder of 100,000 files took 246 s
// (every name was compared with every other), and 3,000 nested folders ran out of time and
// memory (every folder opened at once, every marker looked for again in every folder above).

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <fmt/format.h>

#include "test_util.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

// Killed after 20 s: the quadratic walk needed minutes for the same folders.
RunResult run_limited(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> all = {"20", XBASE_TOOL};
  all.insert(all.end(), args.begin(), args.end());
  return run_program("timeout", all, dir.path());
}

// `levels` folders `d` nested in `top`, made and removed with short relative paths only: the
// whole path is longer than the 4096 bytes a path may have.
void make_nested(const fs::path& top, int levels) {
  REQUIRE(::mkdir(top.c_str(), 0700) == 0);
  const fs::path spare = top.string() + ".spare";
  const fs::path inner = spare / "d";
  int failed = 0;
  for (int i = 0; i < levels; ++i)
    failed += ::mkdir(spare.c_str(), 0700) != 0 || ::rename(top.c_str(), inner.c_str()) != 0 ||
              ::rename(spare.c_str(), top.c_str()) != 0;
  REQUIRE(failed == 0);
}
void remove_nested(const fs::path& top) {
  const fs::path spare = top.string() + ".spare";
  while (::rename((top / "d").c_str(), spare.c_str()) == 0) {
    fs::remove_all(top);
    ::rename(spare.c_str(), top.c_str());
  }
  fs::remove_all(top);
}

}  // namespace

// 30,000 files: the quadratic walk needed about a minute here (246 s for 100,000), the linear
// one a fifth of a second (0.7 s for 100,000); making the files costs the most.
TEST_CASE("conflicts in a folder of 30,000 files takes linear time, not minutes", "[hostile]") {
  TempDir d;
  const fs::path dir = d / "big";
  fs::create_directory(dir);
  int failed = 0;
  for (int i = 0; i < 30000; ++i) {
    int fd = ::open((dir / fmt::format("T{:06}.dbf", i)).c_str(), O_CREAT | O_WRONLY, 0600);
    failed += fd < 0;
    ::close(fd);
  }
  REQUIRE(failed == 0);
  // Among them one OneDrive conflict copy: found by looking its original up, not by a search.
  std::fclose(std::fopen((dir / "T024321-LAPTOP7.dbf").c_str(), "w"));
  const auto start = std::chrono::steady_clock::now();
  auto r = run_limited(d, {"conflicts", dir.string(), "--limit", "0"});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(r.out << r.err << "\nseconds: " << secs);
  REQUIRE(r.rc != 124);
  CHECK(r.rc == 1);
  CHECK(r.out.find("1 conflict copy:") != std::string::npos);
  CHECK(r.out.find("T024321-LAPTOP7.dbf") != std::string::npos);
  CHECK(r.out.find("OneDrive conflict copy of T024321.dbf") != std::string::npos);
  CHECK(secs < 10);
  // No terminal here: no progress line, no cursor codes on stderr.
  CHECK(r.err.find("looking for") == std::string::npos);
  CHECK(r.err.find('\033') == std::string::npos);
}

TEST_CASE("conflicts --recursive over 3,000 nested folders stops at the depth limit and says so", "[hostile]") {
  TempDir d;
  const fs::path top = d / "deep";
  make_nested(top, 3000);
  // A conflict copy three levels down is still found.
  const fs::path third = top / "d" / "d" / "d";
  std::fclose(std::fopen((third / "A.dbf").c_str(), "w"));
  std::fclose(std::fopen((third / "A (conflicted copy 2024-05-02).dbf").c_str(), "w"));
  {  // the default limit
    auto r = run_limited(d, {"conflicts", top.string(), "--recursive", "--limit", "0"});
    INFO(r.out << r.err);
    REQUIRE(r.rc != 124);
    CHECK(r.rc == 1);
    CHECK(r.out.find("d/d/d/A (conflicted copy 2024-05-02).dbf") != std::string::npos);
    CHECK(r.err.find("1 folder deeper than 32 levels below " + top.string() + " not looked into") !=
          std::string::npos);
    CHECK(r.err.find("give --max-depth N to go deeper") != std::string::npos);
  }
  {  // --max-depth, at most 256
    auto r = run_limited(d, {"conflicts", top.string(), "--recursive", "--max-depth", "256", "--json"});
    INFO(r.err);
    REQUIRE(r.rc != 124);
    CHECK(r.rc == 1);
    CHECK(r.out.find("\"folders\":257,\"folders_too_deep\":1") != std::string::npos);
    auto big = run_limited(d, {"conflicts", top.string(), "--recursive", "--max-depth", "3000"});
    CHECK(big.rc == 2);
    CHECK(big.err.find("--max-depth must be 0 to 256") != std::string::npos);
  }
  {  // --max-depth without --recursive is refused
    auto r = run_limited(d, {"conflicts", (top / "d").string(), "--max-depth", "1"});
    CHECK(r.rc == 2);
    CHECK(r.err.find("--max-depth goes with --recursive") != std::string::npos);
  }
  remove_nested(top);
}

TEST_CASE("conflicts shows its progress on a terminal only", "[hostile]") {
  TempDir d;
  const fs::path dir = d / "some";
  fs::create_directory(dir);
  for (int i = 0; i < 50; ++i) std::fclose(std::fopen((dir / fmt::format("T{}.dbf", i)).c_str(), "w"));
  // `script` runs the command on a pseudo-terminal (util-linux, in every Debian).
  auto r = run_program("script", {"-qec", std::string(XBASE_TOOL) + " conflicts " + dir.string(), "/dev/null"},
                       d.path());
  INFO(r.out << r.err);
  CHECK(r.out.find("looking for conflict copies: 1 folder, 50 names read") != std::string::npos);
  CHECK(r.out.find("\r\033[K") != std::string::npos);  // the line is cleared again
  auto plain = run_program(XBASE_TOOL, {"conflicts", dir.string()}, d.path());
  CHECK(plain.err.find("looking for") == std::string::npos);
}

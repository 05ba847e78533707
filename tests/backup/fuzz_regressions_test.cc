// The fuzz target's harness on inputs that must be refused cleanly: a real backup cut at
// every length up to its directory, with bytes flipped, and manifests cut short.

#include <catch2/catch.hpp>

#include "backup_test_util.h"
#include "fuzz_harness.h"

using namespace backup_test;

TEST_CASE("damaged backups and manifests are refused cleanly by the fuzz harness", "[backup]") {
  TempDir d;
  REQUIRE(run(d, {"init", (d / "firma").string()}).rc == 0);
  REQUIRE(run(d, {"backup", "--data", (d / "firma").string(), "--to", (d / "bk").string()}).rc == 0);
  const std::string zip = xbase::test::read_file(only_zip(d / "bk"));
  auto one = [](const std::string& s) { backup_fuzz::run_one(reinterpret_cast<const uint8_t*>(s.data()), s.size()); };
  for (size_t cut = 0; cut < zip.size(); cut += 97) CHECK_NOTHROW(one(zip.substr(0, cut)));
  for (size_t at = 0; at < zip.size(); at += 13) {
    std::string bad = zip;
    bad[at] = char(bad[at] ^ 0x5A);
    CHECK_NOTHROW(one(bad));
  }
  std::string manifest;
  for (const auto& e : read_zip(only_zip(d / "bk")))
    if (e.name == "manifest.json") manifest = e.bytes;
  for (size_t cut = 0; cut < manifest.size(); cut += 7) CHECK_NOTHROW(one(manifest.substr(0, cut)));
}

// Files written whole or not at all, and never over a file that is there already.
#include <catch2/catch.hpp>
#include <filesystem>

#include "outputs/atomic_file.h"
#include "test_util.h"

using namespace invoicing::outputs;
namespace fs = std::filesystem;
using xbase::test::read_file;
using xbase::test::TempDir;
using xbase::test::write_file;

TEST_CASE("write_new_file: the wanted name when free, else NAME-2, NAME-3, never over a file", "[outputs][files]") {
  TempDir d;
  CHECK(write_new_file(d / "invoice-2026-0001.pdf", "one") == d / "invoice-2026-0001.pdf");
  CHECK(write_new_file(d / "invoice-2026-0001.pdf", "two") == d / "invoice-2026-0001-2.pdf");
  CHECK(write_new_file(d / "invoice-2026-0001.pdf", "three") == d / "invoice-2026-0001-3.pdf");
  CHECK(read_file(d / "invoice-2026-0001.pdf") == "one");
  CHECK(read_file(d / "invoice-2026-0001-2.pdf") == "two");
  CHECK(read_file(d / "invoice-2026-0001-3.pdf") == "three");
  int files = 0;
  for (const auto& e : fs::directory_iterator(d.path())) {
    ++files;
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
  }
  CHECK(files == 3);
  CHECK_THROWS_WITH(write_new_file(d / "no-such-folder" / "x.pdf", "x"), Catch::Contains("no-such-folder"));
}

TEST_CASE("write_file_atomically replaces the file whole", "[outputs][files]") {
  TempDir d;
  write_file(d / "a.csv", "old");
  write_file_atomically(d / "a.csv", "new");
  CHECK(read_file(d / "a.csv") == "new");
}

// A backup file is untrusted input: every hostile archive is refused with a message naming
// what is wrong, before anything is written outside the staging folder (the data folder and
// the folder around it are byte for byte as before).

#include <catch2/catch.hpp>

#include "backup/archive.h"
#include "backup_test_util.h"
#include "store/errors.h"

using namespace backup_test;
namespace fs = std::filesystem;

namespace {

struct Case {
  const char* what;
  std::function<void(std::vector<ZipEntry>&)> change;
  bool fix = true;  // the manifest made to match the entries
  const char* message;
};

}  // namespace

TEST_CASE("hostile backup archives are refused and nothing outside the staging folder is written", "[backup]") {
  TempDir d;
  const fs::path firma = d / "work/firma";
  REQUIRE(run(d, {"init", firma.string(), "--demo"}).rc == 0);
  REQUIRE(run(d, {"backup", "--data", firma.string(), "--to", (d / "bk").string()}).rc == 0);
  const auto good = read_zip(only_zip(d / "bk"));
  auto add = [](std::string name, uint32_t mode = 0100644) {
    return [=](std::vector<ZipEntry>& e) { e.push_back({name, "x", mode}); };
  };
  const std::vector<Case> cases = {
      {"parent path", add("../evil.txt"), true, "a \"..\" part"},
      {"nested parent path", add("layouts/../../evil.txt"), true, "a \"..\" part"},
      {"absolute path", add("/tmp/evil.txt"), true, "an absolute path"},
      {"drive letter", add("C:evil.txt"), true, "a drive letter"},
      {"backslash", add("layouts\\..\\evil.txt"), true, "a backslash"},
      {"symbolic link", add("layouts/link", 0120777), true, "is a symbolic link"},
      {"unexpected name", add("EVIL.EXE"), true, "a file a backup does not hold"},
      {"unexpected folder", add("bin/evil"), true, "a folder a backup does not hold"},
      {"duplicate in another case", [](std::vector<ZipEntry>& e) {
         e.push_back({"layouts/Invoice.xml", "a"});
         e.push_back({"layouts/INVOICE.xml", "b"});
       }, true, "is there twice"},
      {"control character", add("layouts/a\x01.xml"), true, "a control character"},
      {"changed table", [](std::vector<ZipEntry>& e) {
         for (auto& x : e)
           if (x.name == "CUSTOMER.DBF") x.bytes[x.bytes.size() - 2] ^= 1;
       }, false, "does not match its SHA-256"},
      {"file missing from the manifest", add("layouts/extra.xml"), false, "is not in its manifest"},
      {"manifest missing", [](std::vector<ZipEntry>& e) { e.erase(e.begin()); }, false, "has no manifest.json"},
      {"manifest not JSON", [](std::vector<ZipEntry>& e) { e[0].bytes = "{\"format\":1,"; }, false, "not a JSON object"},
      {"manifest nested deep", [](std::vector<ZipEntry>& e) { e[0].bytes = std::string(50, '[') + std::string(50, ']'); },
       false, "nested too deep"},
  };
  const auto before = folder_bytes(d / "work");
  for (const auto& c : cases) {
    INFO(c.what);
    auto entries = good;
    if (c.fix) {
      c.change(entries);
      fix_manifest(entries);
    } else {
      c.change(entries);
    }
    write_zip(d / "hostile.zip", entries);
    for (const char* mode : {"replace", "append"}) {
      auto r = run(d, {"restore", (d / "hostile.zip").string(), "--data", firma.string(), "--mode", mode});
      CHECK(r.rc == 1);
      CHECK(r.err.find(c.message) != std::string::npos);
      CHECK(folder_bytes(d / "work") == before);
      CHECK(!fs::exists(d / "evil.txt"));
      CHECK(!fs::exists("/tmp/evil.txt"));
    }
  }
  CHECK(run(d, {"restore", only_zip(d / "bk").string(), "--data", firma.string(), "--dry-run"}).rc == 0);
}

TEST_CASE("too many entries, too many bytes and zip bombs are refused by the limits", "[backup]") {
  TempDir d;
  REQUIRE(run(d, {"init", (d / "firma").string()}).rc == 0);
  REQUIRE(run(d, {"backup", "--data", (d / "firma").string(), "--to", (d / "bk").string()}).rc == 0);
  auto entries = read_zip(only_zip(d / "bk"));
  entries.push_back({"layouts/zeros.bin", std::string(8u << 20, '\0')});
  fix_manifest(entries);
  write_zip(d / "bomb.zip", entries);
  using invoicing::backup::ArchiveLimits;
  using invoicing::backup::BackupArchive;
  auto refused = [&](ArchiveLimits l, const char* message) {
    try {
      BackupArchive::open_file(d / "bomb.zip", l);
      FAIL("accepted");
    } catch (const invoicing::store::UserError& e) {
      CHECK(std::string(e.what()).find(message) != std::string::npos);
    }
  };
  ArchiveLimits l;
  l.max_ratio = 100;
  refused(l, "is compressed more than 100 to 1");
  l = {};
  l.max_entries = 10;
  refused(l, "more than the 10 a backup may have");
  l = {};
  l.max_total_bytes = 4u << 20;
  refused(l, "unpack to more than");
  l = {};
  l.max_entry_bytes = 1u << 20;
  refused(l, "more than a backup file may have");
  CHECK_NOTHROW(BackupArchive::open_file(d / "bomb.zip"));  // within the default limits
}

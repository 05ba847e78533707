// A backup and its restore on the command line: the file's name and manifest, the round
// trip into a new folder and over an existing one, what a restore refuses (a folder in use,
// a newer program or schema), an older schema upgraded, the licence kept, and faulty records
// refused or left out with --ignore-faulty.

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "licence_test_util.h"
#include "backup/file_hash.h"
#include "backup_test_util.h"
#include "store/company.h"
#include "store/dictionary.h"
#include "xbase/table.h"

using namespace backup_test;
namespace fs = std::filesystem;
constexpr int kSchema = invoicing::store::kSchemaVersion;

namespace {

std::string manifest_of(const fs::path& zip) {
  for (const auto& e : read_zip(zip))
    if (e.name == "manifest.json") return e.bytes;
  return "";
}

}  // namespace

TEST_CASE("a backup holds every table with its manifest, under a name that says what made it", "[backup]") {
  TempDir d;
  // A licence of its own (test key), so LICENCE.LIC is in the folder and in the backup.
  xbase::test::write_file(d / "pro.lic", invoicing::test::test_licence(invoicing::domain::Edition::pro));
  REQUIRE(run(d, {"init", (d / "firma").string(), "--demo", "--company", "Bakkerij <Peeters>: \"Zonen\"/BV.", "--vat",
                  "BE0431115213", "--licence", (d / "pro.lic").string()})
              .rc == 0);
  fs::create_directories(d / "firma/layouts/nl");
  xbase::test::write_file(d / "firma/layouts/nl/invoice.xml", "<layout/>");
  xbase::test::write_file(d / "firma/logo.png", "PNG");
  fs::create_directories(d / "firma/pdf");
  xbase::test::write_file(d / "firma/pdf/INV-2026-0001.pdf", "%PDF");
  auto r = run(d, {"backup", "--data", (d / "firma").string(), "--to", (d / "bk").string()});
  REQUIRE(r.rc == 0);
  const fs::path zip = only_zip(d / "bk");
  const std::string name = zip.filename().string();
  CHECK(std::regex_match(name, std::regex(R"(\d{8}-\d{4}-\d+\.\d+\.\d+-s)" + std::to_string(kSchema) +
                                              R"(-pro-Bakkerij Peeters Zonen BV\.zip)")));
  auto m = nlohmann::json::parse(manifest_of(zip));
  CHECK(m["program_version"] == invoicing::store::program_version());
  CHECK(m["schema_version"] == kSchema);
  CHECK(m["edition"] == "Pro");
  CHECK(m["company"] == "Bakkerij <Peeters>: \"Zonen\"/BV.");
  CHECK(m["automatic"] == false);
  std::set<std::string> listed;
  for (const auto& f : m["files"]) {
    listed.insert(f["name"]);
    // Each file's size and SHA-256 are those of the file in the folder (nobody worked meanwhile).
    const fs::path p = d / "firma" / f["name"].get<std::string>();
    CHECK(f["size"] == fs::file_size(p));
    CHECK(f["sha256"] == invoicing::backup::sha256_of_file(p));
  }
  for (const char* f : {"CUSTOMER.DBF", "CUSTOMER.CDX", "CUSTOMER.FPT", "DOC.DBF", "DOCLINE.DBF", "STOCKMOV.DBF",
                        "SETTINGS.DBF", "LICENCE.LIC", "logo.png", "layouts/nl/invoice.xml"})
    CHECK(listed.count(f));
  CHECK(!listed.count("pdf/INV-2026-0001.pdf"));  // issued PDFs only with --with-pdf
  CHECK(!listed.count("GATE.LCK"));
  const auto customers = nlohmann::json::parse(
      run(d, {"customer", "list", "--archived", "--json", "--data", (d / "firma").string()}).out);
  CHECK(m["tables"]["CUSTOMER"] == customers.size());
  CHECK(m["tables"]["DOC"].get<int>() > 100);

  REQUIRE(run(d, {"backup", "--data", (d / "firma").string(), "--to", (d / "bk2").string(), "--with-pdf"}).rc == 0);
  CHECK(manifest_of(only_zip(d / "bk2")).find("pdf/INV-2026-0001.pdf") != std::string::npos);
  // Nothing but finished backups under their final names, and a second one in the same
  // minute does not replace the first.
  REQUIRE(run(d, {"backup", "--data", (d / "firma").string(), "--to", (d / "bk2").string()}).rc == 0);
  int zips = 0;
  for (const auto& e : fs::directory_iterator(d / "bk2")) {
    CHECK(e.path().filename().string()[0] != '.');
    zips += e.path().extension() == ".zip";
  }
  CHECK(zips == 2);
}

TEST_CASE("a backup restores into a new folder and over the old one, which nobody may have open", "[backup]") {
  TempDir d;
  const std::string firma = (d / "firma").string();
  REQUIRE(run(d, {"init", firma, "--demo"}).rc == 0);
  REQUIRE(run(d, {"backup", "--data", firma, "--to", (d / "bk").string()}).rc == 0);
  const fs::path zip = only_zip(d / "bk");
  const std::string customers = run(d, {"customer", "list", "--data", firma, "--json"}).out;

  REQUIRE(run(d, {"restore", zip.string(), "--data", (d / "copy").string()}).rc == 0);
  CHECK(run(d, {"verify", "--data", (d / "copy").string()}).rc == 0);
  CHECK(run(d, {"customer", "list", "--data", (d / "copy").string(), "--json"}).out == customers);

  // Changed after the backup, then restored over: the backup's state is back.
  REQUIRE(run(d, {"customer", "add", "--data", firma, "--code", "NIEUW", "--name", "Nieuwe klant"}).rc == 0);
  {
    invoicing::store::OpenOptions oo;
    oo.who = {"anna", "PC-anna"};
    auto open = invoicing::store::Company::open(firma, oo);
    auto busy = run(d, {"restore", zip.string(), "--data", firma});
    CHECK(busy.rc == 1);
    CHECK(busy.err.find("anna on PC-anna") != std::string::npos);
  }
  auto dry = run(d, {"restore", zip.string(), "--data", firma, "--dry-run"});
  CHECK(dry.rc == 0);
  CHECK(run(d, {"customer", "list", "--data", firma, "--json"}).out.find("NIEUW") != std::string::npos);
  // The licence stays this installation's; files the backup does not hold stay.
  xbase::test::write_file(fs::path(firma) / "LICENCE.LIC", "edition=Full\n");
  fs::create_directories(fs::path(firma) / "pdf");
  xbase::test::write_file(fs::path(firma) / "pdf/INV-1.pdf", "%PDF");
  auto r = run(d, {"restore", zip.string(), "--data", firma});
  REQUIRE(r.rc == 0);
  CHECK(run(d, {"customer", "list", "--data", firma, "--json"}).out == customers);
  CHECK(xbase::test::read_file(fs::path(firma) / "LICENCE.LIC") == "edition=Full\n");
  CHECK(fs::exists(fs::path(firma) / "pdf/INV-1.pdf"));
  CHECK(run(d, {"verify", "--data", firma}).rc == 0);
  // Nothing left beside the folder.
  for (const auto& e : fs::directory_iterator(d.path())) CHECK(e.path().filename().string()[0] != '.');
}

TEST_CASE("a backup of a newer program or schema is refused naming both, an older one upgraded", "[backup]") {
  TempDir d;
  const std::string firma = (d / "firma").string();
  REQUIRE(run(d, {"init", firma}).rc == 0);
  REQUIRE(run(d, {"backup", "--data", firma, "--to", (d / "bk").string()}).rc == 0);
  auto entries = read_zip(only_zip(d / "bk"));
  auto with = [&](const std::string& key, nlohmann::json value) {
    auto e = entries;
    fix_manifest(e, [&](std::string& json) {
      auto j = nlohmann::json::parse(json);
      j[key] = value;
      json = j.dump();
    });
    write_zip(d / "x.zip", e);
    return run(d, {"restore", (d / "x.zip").string(), "--data", (d / "new").string()});
  };
  auto newer = with("program_version", "99.2.0");
  CHECK(newer.rc == 1);
  CHECK(newer.err.find(fmt::format("made with 99.2.0 (schema {}); this program is {} (schema {}): update the program first",
                                   kSchema, invoicing::store::program_version(), kSchema)) != std::string::npos);
  auto schema = with("schema_version", kSchema + 1);
  CHECK(schema.rc == 1);
  CHECK(schema.err.find(fmt::format("(schema {}); this program is", kSchema + 1)) != std::string::npos);
  CHECK(!fs::exists(d / "new"));

  // An older folder's files in a backup that says so: restored, then upgraded.
  REQUIRE(run(d, {"init", (d / "old").string(), "--schema", "2"}).rc == 0);
  std::vector<ZipEntry> old;
  for (const auto& e : entries)
    if (e.name == "manifest.json") old.push_back(e);
  for (const auto& [name, bytes] : folder_bytes(d / "old")) old.push_back({name, bytes});
  fix_manifest(old, [](std::string& json) {
    auto j = nlohmann::json::parse(json);
    j["schema_version"] = 2;
    json = j.dump();
  });
  write_zip(d / "old.zip", old);
  auto up = run(d, {"restore", (d / "old.zip").string(), "--data", (d / "up").string()});
  CHECK(up.rc == 0);
  CHECK(up.out.find(fmt::format("upgraded from schema version 2 to {}", kSchema)) != std::string::npos);
  CHECK(invoicing::store::Company::schema_version_of(d / "up") == kSchema);
  CHECK(run(d, {"verify", "--data", (d / "up").string()}).rc == 0);
}

TEST_CASE("faulty records refuse a restore, or with --ignore-faulty are left out and listed", "[backup]") {
  TempDir d;
  const std::string firma = (d / "firma").string();
  REQUIRE(run(d, {"init", firma}).rc == 0);
  REQUIRE(run(d, {"customer", "add", "--data", firma, "--code", "NONAME", "--name", "Soon without"}).rc == 0);
  REQUIRE(run(d, {"customer", "add", "--data", firma, "--code", "GOOD", "--name", "Good customer"}).rc == 0);
  REQUIRE(run(d, {"doc", "new", "--data", firma, "--type", "quote", "--party", "GOOD"}).rc == 0);
  REQUIRE(run(d, {"doc", "add-line", "1", "--data", firma, "--text", "Work", "--price", "10"}).rc == 0);
  {
    // What another program (or a damaged disk) left: a customer without a name, and a line
    // whose document does not exist.
    xbase::OpenOptions ex;
    ex.exclusive = true;
    auto cust = xbase::Table::open(fs::path(firma) / "CUSTOMER.DBF", ex);
    cust->update(1, cust->field_index_or_throw("NAME"), xbase::Value::text(""));
    auto lines = xbase::Table::open(fs::path(firma) / "DOCLINE.DBF", ex);
    std::vector<xbase::Value> v(lines->fields().size(), xbase::Value::empty());
    v[lines->field_index_or_throw("DOCID")] = xbase::Value::integer(999);
    v[lines->field_index_or_throw("DESCR")] = xbase::Value::text("orphan");
    lines->append(v);
  }
  REQUIRE(run(d, {"backup", "--data", firma, "--to", (d / "bk").string()}).rc == 0);
  const std::string zip = only_zip(d / "bk").string();
  auto refused = run(d, {"restore", zip, "--data", (d / "new").string()});
  CHECK(refused.rc == 1);
  CHECK(refused.err.find("CUSTOMER record 1 is faulty: NAME is blank") != std::string::npos);
  CHECK(!fs::exists(d / "new"));
  auto ok = run(d, {"restore", zip, "--data", (d / "new").string(), "--ignore-faulty"});
  REQUIRE(ok.rc == 0);
  CHECK(ok.out.find("skipped CUSTOMER record 1: NAME is blank") != std::string::npos);
  CHECK(ok.out.find("skipped DOCLINE record 2: DOCID 999 points at no record of DOC") != std::string::npos);
  CHECK(ok.out.find("2 faulty records were left out") != std::string::npos);
  auto list = run(d, {"customer", "list", "--data", (d / "new").string(), "--json"}).out;
  CHECK(list.find("GOOD") != std::string::npos);
  CHECK(list.find("NONAME") == std::string::npos);
  CHECK(run(d, {"verify", "--data", (d / "new").string()}).rc == 0);
}

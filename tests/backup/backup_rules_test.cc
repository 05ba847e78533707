// The pure rules of backups: safe file names, archive entry names, versions, the manifest's
// checks, and which automatic backups the retention keeps.

#include <catch2/catch.hpp>

#include "backup/manifest.h"
#include "backup/names.h"
#include "backup/retention.h"
#include "store/errors.h"

using namespace invoicing::backup;

TEST_CASE("company names become file name parts valid on every file system", "[backup]") {
  CHECK(safe_name_part("Demo Bvba / Démo Sprl") == "Demo Bvba Démo Sprl");
  CHECK(safe_name_part("a<b>c:d\"e|f?g*h\\i") == "a b c d e f g h i");
  CHECK(safe_name_part("Tab\there\x01.") == "Tab here");
  CHECK(safe_name_part("CON") == "CON_");
  CHECK(safe_name_part("lpt1.txt") == "lpt1.txt_");
  CHECK(safe_name_part(" . ") == "company");
  const std::string long_name = std::string(59, 'a') + "éé";
  auto cut = safe_name_part(long_name);
  CHECK(cut.size() <= 60);
  CHECK(cut == std::string(59, 'a'));  // not in the middle of the é
  std::tm tm{};
  tm.tm_year = 126, tm.tm_mon = 0, tm.tm_mday = 5, tm.tm_hour = 9, tm.tm_min = 7;
  CHECK(backup_file_name(tm, "0.1.0", 3, "Pro", "Firma") == "20260105-0907-0.1.0-s3-pro-Firma.zip");
}

TEST_CASE("archive entry names outside what a backup holds are refused", "[backup]") {
  for (const char* ok : {"manifest.json", "CUSTOMER.DBF", "DOC.CDX", "LICENCE.LIC", "logo.png", "layouts/nl/a.xml",
                         "pdf/2026/INV 0001.pdf"})
    CHECK(entry_name_problem(ok).empty());
  CHECK(entry_name_problem("../x") == "a \"..\" part");
  CHECK(entry_name_problem("pdf/../../x") == "a \"..\" part");
  CHECK(entry_name_problem("/etc/passwd") == "an absolute path");
  CHECK(entry_name_problem("D:x") == "a drive letter");
  CHECK(entry_name_problem("pdf\\x") == "a backslash");
  CHECK(entry_name_problem("customer.dbf") == "a file a backup does not hold");
  CHECK(entry_name_problem("pdf/") == "an empty name part");
  CHECK(entry_name_problem("pdf/NUL.pdf") == "a reserved device name");
  CHECK(entry_name_problem("pdf/x.") == "a name ending in a dot or space");
}

TEST_CASE("versions compare part by part, and a manifest is checked field by field", "[backup]") {
  CHECK(compare_versions("0.10.0", "0.9.9") > 0);
  CHECK(compare_versions("1.0", "1.0.0") == 0);
  CHECK(compare_versions("2.1", "2.3") < 0);
  CHECK_THROWS_AS(compare_versions("2.x", "1"), invoicing::store::UserError);
  Manifest m;
  m.program_version = "0.1.0";
  m.schema_version = 3;
  m.edition = "Pro";
  m.created_at = "2026-01-05T09:07:00+0100";
  m.files.push_back({"CUSTOMER.DBF", 10, std::string(64, 'a')});
  m.tables["CUSTOMER"] = 1;
  auto back = parse_manifest(m.to_json(), 1000);
  CHECK(back.files.size() == 1);
  CHECK(back.tables.at("CUSTOMER") == 1);
  CHECK_THROWS_WITH(parse_manifest(m.to_json(), 5), Catch::Contains("larger than a backup file may be"));
  std::string j = m.to_json();
  j.replace(j.find("\"schema_version\": 3"), 19, "\"schema_version\": \"3\"");
  CHECK_THROWS_WITH(parse_manifest(j, 1000), Catch::Contains("\"schema_version\" has the wrong type"));
}

TEST_CASE("the retention keeps the newest backup of the last days and weeks", "[backup]") {
  // 2026-01-05 is a Monday.
  std::vector<std::string> c = {
      "2026-01-05T09:00:00+0100",  // 0 Mon week 2
      "2026-01-05T18:00:00+0100",  // 1 Mon week 2, newer
      "2026-01-06T09:00:00+0100",  // 2 Tue
      "2026-01-07T09:00:00+0100",  // 3 Wed (newest)
      "2026-01-04T09:00:00+0100",  // 4 Sun week 1
      "2026-01-02T09:00:00+0100",  // 5 Fri week 1
      "2025-12-24T09:00:00+0100",  // 6 week 0
      "not a time",                // 7 kept
  };
  // 2 days: Wed, Tue. 2 weeks: week 2's newest (Wed), week 1's newest (Sun).
  CHECK(backups_to_remove(c, 2, 2) == std::vector<size_t>{0, 1, 5, 6});
  CHECK(backups_to_remove(c, 1, 0) == std::vector<size_t>{0, 1, 2, 4, 5, 6});
  CHECK(backups_to_remove(c, 0, 0).size() == 7);
}

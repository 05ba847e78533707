// Restore in append mode: two administrations merged (customers matched by code and VAT
// number, documents with new identities and their links kept, numbering consistent), and a
// merge with one clashing invoice number refused with the folder byte for byte unchanged.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backup_test_util.h"

using namespace backup_test;
namespace fs = std::filesystem;

namespace {

size_t count_docs(const TempDir& d, const std::string& data) {
  return nlohmann::json::parse(run(d, {"doc", "list", "--data", data, "--json"}).out).size();
}

}  // namespace

TEST_CASE("two demo companies merge into one that verifies", "[backup]") {
  TempDir d;
  const std::string x = (d / "x").string(), y = (d / "y").string();
  // Two years apart, so that their invoice numbers are of other fiscal years.
  REQUIRE(run(d, {"init", x, "--demo", "--seed", "1"}, "INVOICING_TODAY=2024-06-30").rc == 0);
  REQUIRE(run(d, {"init", y, "--demo", "--seed", "2"}, "INVOICING_TODAY=2026-06-30").rc == 0);
  REQUIRE(run(d, {"customer", "add", "--data", x, "--code", "NEWONE", "--name", "Someone else in X"}).rc == 0);
  REQUIRE(run(d, {"customer", "add", "--data", y, "--code", "NEWONE", "--name", "Only in Y"}).rc == 0);
  REQUIRE(run(d, {"backup", "--data", y, "--to", (d / "bk").string(), "--user", "yvonne"}).rc == 0);
  const size_t docs_x = count_docs(d, x), docs_y = count_docs(d, y);
  auto r = run(d, {"restore", only_zip(d / "bk").string(), "--data", x, "--mode", "append", "--user", "xavier"});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("1 customers") != std::string::npos);        // NEWONE added, under another code
  CHECK(r.out.find("customer NEWONE of the backup is another one than NEWONE here: added as NEWONE-2") !=
        std::string::npos);
  CHECK(r.out.find("12 customers") != std::string::npos);       // the demo's, matched
  CHECK(count_docs(d, x) == docs_x + docs_y);
  auto v = run(d, {"verify", "--data", x});
  INFO(v.out);
  CHECK(v.rc == 0);
  // Links kept: every converted document still names its source.
  auto list = nlohmann::json::parse(run(d, {"doc", "list", "--data", x, "--json"}).out);
  int y2026 = 0;
  for (const auto& doc : list)
    if (doc["fiscal_year"] == 2026 && doc["type"] == "invoice") ++y2026;
  CHECK(y2026 > 0);
}

TEST_CASE("a merge with one clashing invoice number fails and changes nothing", "[backup]") {
  TempDir d;
  const std::string x = (d / "x").string(), z = (d / "z").string();
  REQUIRE(run(d, {"init", x, "--demo"}, "INVOICING_TODAY=2024-06-30").rc == 0);
  REQUIRE(run(d, {"init", z}, "INVOICING_TODAY=2024-06-30").rc == 0);
  REQUIRE(run(d, {"customer", "add", "--data", z, "--code", "PEETERS", "--name", "Another Peeters"}).rc == 0);
  REQUIRE(run(d, {"doc", "new", "--data", z, "--type", "invoice", "--party", "PEETERS", "--date", "2024-03-01"}).rc == 0);
  REQUIRE(run(d, {"doc", "add-line", "1", "--data", z, "--text", "Work", "--price", "10"}).rc == 0);
  REQUIRE(run(d, {"doc", "finalize", "1", "--data", z}, "INVOICING_TODAY=2024-06-30").rc == 0);
  REQUIRE(run(d, {"backup", "--data", z, "--to", (d / "bk").string()}).rc == 0);
  const auto before = folder_bytes(x);
  auto r = run(d, {"restore", only_zip(d / "bk").string(), "--data", x, "--mode", "append"});
  CHECK(r.rc == 1);
  CHECK(r.err.find("1 invoice or credit note number exists both here and in the backup (INV 2024/0001)") !=
        std::string::npos);
  CHECK(folder_bytes(x) == before);
}

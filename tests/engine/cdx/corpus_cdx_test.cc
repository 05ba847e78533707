// Every CDX in ../shared/corpus (written by Visual FoxPro and by CodeBase) opens, and each
// tag's order equals the order of its keys computed from the table's records (FOR and UNIQUE
// honoured), or the tag is reported with the reason it cannot be evaluated.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "test_util.h"
#include "xbase/table.h"

using namespace xbase;
using namespace xbase::test;
namespace fs = std::filesystem;

TEST_CASE("corpus CDX tags agree with their records", "[cdx]") {
  // Tags we cannot evaluate, and why: the expression names a field by its long DBC name,
  // which lives in the database container, not in the table.
  const std::map<std::string, std::string> unusable = {
      {"payments.dbf/PAYMENTMET", "long field name paymentmethodid"},
      {"payments.dbf/PROJECTID", "nullable integer key"},
  };
  // Indexes that were not kept up to date by their writer: record 4 of EXAMPLE.DBF has a
  // student_id that its ID key does not show, and is missing from NOTDELETED although it is
  // not deleted. They must be reported, naming the tag and the record.
  const std::map<std::string, std::string> stale = {
      {"EXAMPLE.DBF/ID", "record 4"},
      {"EXAMPLE.DBF/NOTDELETED", "record 4"},
  };
  size_t tables = 0, tags = 0;
  for (const auto& e : fs::recursive_directory_iterator(shared_dir() / "corpus")) {
    std::string ext = e.path().extension().string();
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".dbf") continue;
    OpenOptions o;
    o.read_only = true;
    std::unique_ptr<Table> t;
    try {
      t = Table::open(e.path(), o);
    } catch (const Error&) {
      continue;  // refused tables are the table corpus test's business
    }
    if (!t->info().structural_index_path) continue;
    ++tables;
    INFO(e.path().string());
    for (const auto& tag : t->tags()) {
      std::string id = e.path().filename().string() + "/" + tag.name;
      INFO("tag " << tag.name << " key " << tag.key_expr << " for " << tag.for_expr);
      if (!tag.problem.empty()) {
        CHECK(unusable.count(id) == 1);
        continue;
      }
      ++tags;
      auto problems = t->verify_tag(tag.name);
      std::string all;
      for (const auto& p : problems) all += p + "\n";
      INFO(all);
      if (stale.count(id)) {
        CHECK(!problems.empty());
        CHECK(all.find("tag " + tag.name + ": ") != std::string::npos);
        CHECK(all.find(stale.at(id)) != std::string::npos);
      } else {
        CHECK(problems.empty());
      }
    }
  }
  CHECK(tables >= 10);
  CHECK(tags >= 40);
}

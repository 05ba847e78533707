// Issue 30, fewer calls per business action: a company opens a table of the data folder on its
// first use, not all of them at open. A table someone else holds for exclusive use stops only
// the commands that need it, before they change anything.
#include <catch2/catch.hpp>

#include "store/folder/folder_storage.h"
#include "store_fixture.h"
#include "xbase/table.h"

using namespace store_test;
using xbase::test::TempDir;
namespace fs = std::filesystem;

namespace {

// The table held for exclusive use as `xbase` or `invoicing repair-indexes` would hold it;
// nullptr when someone has it open (an open file description of this process counts).
std::unique_ptr<xbase::Table> exclusive(const fs::path& dir, store::Tbl t) {
  xbase::OpenOptions o;
  o.exclusive = true;
  try {
    return xbase::Table::open(store::folder::table_path(dir, store::table_def(t)), o);
  } catch (const xbase::Error& e) {
    if (e.code() != xbase::Errc::in_use && e.code() != xbase::Errc::lock_timeout) throw;
    return nullptr;
  }
}

}  // namespace

TEST_CASE("[folder] a company opens a table of the folder at its first use, not at open", "[folder]") {
  TempDir dir;
  store::FixedToday today{day(2026, 3, 10)};
  store::Company::init(dir.path(), licensed());
  base_data(*open(dir.path(), "setup", false));

  auto c = open(dir.path(), "anna");
  // Open, seat taken, settings read: ARTICLE was not touched, so nothing of ours holds it.
  CHECK(c->seat() == 1);
  CHECK(exclusive(dir.path(), store::Tbl::article) != nullptr);
  CHECK(stock_of(*c, "LAMP") == "100.000");
  CHECK(exclusive(dir.path(), store::Tbl::article) == nullptr);  // now it is ours, in shared use
}

TEST_CASE("[folder] a table held for exclusive use stops only the commands that need it, before any change",
          "[folder]") {
  TempDir dir;
  store::FixedToday today{day(2026, 3, 10)};
  store::Company::init(dir.path(), licensed());
  base_data(*open(dir.path(), "setup", false));

  int32_t draft = 0;
  {
    auto setup = open(dir.path(), "setup", false);
    draft = store::Documents(*setup).create(DocType::invoice, "PEETERS");
  }

  auto held = exclusive(dir.path(), store::Tbl::article);
  REQUIRE(held);
  auto c = open(dir.path(), "anna");  // opening the company does not need ARTICLE
  store::PartyInput p;
  p.code = "JANSSENS";
  p.name = "Janssens";
  store::Parties(*c, store::PartyKind::customer).add(p);  // nor does adding a customer
  CHECK(store::Parties(*c, store::PartyKind::customer).get("JANSSENS").name == "Janssens");

  // A line names an article: refused with the table named, and the draft keeps no line.
  store::Documents docs(*c);
  try {
    docs.add_line(draft, art("LAMP", "1"));
    FAIL("an article was read while its table was held for exclusive use");
  } catch (const xbase::Error& e) {
    CHECK(e.code() == xbase::Errc::in_use);
    CHECK_THAT(e.what(), Catch::Contains("ARTICLE"));
  }
  CHECK(rows(*c, store::Tbl::docline) == 0);
  held.reset();
  docs.add_line(draft, art("LAMP", "1"));
  CHECK(rows(*c, store::Tbl::docline) == 1);
}

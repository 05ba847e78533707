// Issue 30, fewer calls per business action: a company opens a table of the data folder on its
// first use, not all of them at open, and a command reads the settings once. Both must keep
// every guarantee: another workstation's settings count from the next command on, the
// command's own writes at once, a rolled-back write never; a table someone else holds for
// exclusive use stops only the commands that need it, before they change anything.
#include <catch2/catch.hpp>

#include "store/folder/folder_storage.h"
#include "store/settings.h"
#include "store_fixture.h"
#include "xbase/table.h"

using namespace store_test;
using xbase::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<store::Company> open_for_one_command(const fs::path& dir, const std::string& user) {
  store::OpenOptions o;
  o.who = {user, "PC-" + user};
  o.lock_wait = std::chrono::milliseconds(2000);
  o.one_command = true;
  return store::Company::open(company_at(dir), o);
}

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

TEST_CASE("settings are read once per command: another workstation's change counts from the next command on") {
  TempDir dir;
  store::Company::init(company_at(dir.path()), licensed());
  auto cmd = open_for_one_command(dir.path(), "anna");
  auto other = open(dir.path(), "bert");
  CHECK(store::negative_stock(*cmd) == store::NegativeStock::warn);
  store::change_setting(*other, "negative_stock", "refuse");
  // The command read its settings; a change made meanwhile is not half seen in it.
  CHECK(store::negative_stock(*cmd) == store::NegativeStock::warn);
  CHECK(open_for_one_command(dir.path(), "carl")->setting("negative_stock") == "refuse");

  // A program that runs on (the web UI) reads them again in each request.
  auto ui = open(dir.path(), "dirk");
  {
    store::Company::Command request(*ui);
    CHECK(ui->setting("negative_stock") == "refuse");
    store::change_setting(*other, "negative_stock", "warn");
    CHECK(ui->setting("negative_stock") == "refuse");
  }
  {
    store::Company::Command request(*ui);
    CHECK(ui->setting("negative_stock") == "warn");
  }
  // Outside a request nothing is kept.
  store::change_setting(*other, "negative_stock", "refuse");
  CHECK(ui->setting("negative_stock") == "refuse");
}

TEST_CASE("settings kept for a command see its own writes at once, and never a rolled-back one") {
  TempDir dir;
  store::Company::init(company_at(dir.path()), licensed());
  auto c = open_for_one_command(dir.path(), "anna");
  CHECK(c->setting("reminder_days", "x") == "x");
  c->set_setting("reminder_days", "14");
  CHECK(c->setting("reminder_days") == "14");
  {
    store::Action a(c->storage());
    c->put_setting("reminder_days", "21");
    CHECK(c->setting("reminder_days") == "21");  // inside its action: its own write
  }  // rolled back
  CHECK(c->setting("reminder_days") == "14");
  store::put_setting_record(*c, "deliver:peppol", "on", "a note");
  CHECK(c->setting("deliver:peppol") == "on");
  store::remove_setting_record(*c, "deliver:peppol");
  CHECK(c->setting("deliver:peppol", "gone") == "gone");
}

TEST_CASE("settings kept for a command answer as the table does: key case, empty values, unknown keys") {
  TempDir dir;
  store::Company::init(company_at(dir.path()), licensed());
  auto cmd = open_for_one_command(dir.path(), "anna");
  auto plain = open(dir.path(), "bert");
  plain->set_setting("empty_one", "");
  auto fresh = open_for_one_command(dir.path(), "carl");
  for (const char* key : {"company", "COMPANY", "Company", "empty_one", "no_such_key", "vat ", "numbering_wait"})
    CHECK(fresh->setting(key, "fallback") == plain->setting(key, "fallback"));
  CHECK(fresh->int_setting("numbering_wait", 5) == 60);
  (void)cmd;
}

// The files a company keeps beside its tables (layouts, import profiles, purchase originals)
// through the store (storage.h FileKind): the same tests on a data folder and, under
// with_postgres.sh, on a database (store_fixture.h). Bytes come back as written, names are
// checked, a database writes them in the running action.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "store/import_profiles.h"
#include "store/purchase_imports.h"
#include "store_fixture.h"
#include "test_util.h"

using namespace invoicing;
using namespace store_test;
using store::FileKind;
using xbase::test::TempDir;

namespace {

// Every byte value, NULs and a lone CR included: files are bytes, not text.
std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 512; ++i) s += char(i % 256);
  return s;
}

}  // namespace

TEST_CASE("Company files: written, read back byte for byte, listed, replaced and removed", "[store][files]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  auto& s = c->storage();
  CHECK_FALSE(s.read_file(FileKind::layout, "invoice.ini"));
  CHECK(s.list_files(FileKind::purchase).empty());

  s.write_file(FileKind::layout, "invoice.ini", "[page]\nmargin_top = 30\n");
  s.write_file(FileKind::layout, "logo.png", all_bytes());
  s.write_file(FileKind::purchase, "17/original.xml", "<Invoice/>");
  s.write_file(FileKind::purchase, "17/original.pdf", std::string("%PDF\0\r\n", 7));
  s.write_file(FileKind::purchase, "9/original.xml", "");
  CHECK(s.read_file(FileKind::layout, "logo.png") == all_bytes());
  CHECK(s.read_file(FileKind::purchase, "17/original.pdf") == std::string("%PDF\0\r\n", 7));
  CHECK(s.read_file(FileKind::purchase, "9/original.xml") == "");  // empty, not absent
  // Kinds are apart: a layout's name is no purchase file.
  CHECK_FALSE(s.read_file(FileKind::purchase, "invoice.ini"));
  CHECK(s.list_files(FileKind::layout) == std::vector<std::string>{"invoice.ini", "logo.png"});
  CHECK(s.list_files(FileKind::purchase) ==
        std::vector<std::string>{"17/original.pdf", "17/original.xml", "9/original.xml"});
  CHECK(s.list_files(FileKind::import_profile).empty());

  s.write_file(FileKind::layout, "invoice.ini", "[page]\nmargin_top = 12\n");
  CHECK(s.read_file(FileKind::layout, "invoice.ini") == "[page]\nmargin_top = 12\n");
  CHECK(s.remove_file(FileKind::layout, "invoice.ini"));
  CHECK_FALSE(s.remove_file(FileKind::layout, "invoice.ini"));
  CHECK_FALSE(s.read_file(FileKind::layout, "invoice.ini"));
  CHECK(s.list_files(FileKind::layout) == std::vector<std::string>{"logo.png"});

  // Another program of the company sees them.
  auto other = open(d.path(), "bert");
  CHECK(other->storage().read_file(FileKind::layout, "logo.png") == all_bytes());
}

TEST_CASE("Company files: a name that could leave its folder or trouble Windows is refused, nothing written",
          "[store][files]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  for (const char* bad : {"", "../SETTINGS.DBF", "/etc/passwd", ".hidden", "a/b/c", "a//b", "a/", "x y.ini",
                          "con:", "a\\b", "17/../x"}) {
    INFO(bad);
    CHECK_THROWS_WITH(c->storage().write_file(FileKind::layout, bad, "x"), Catch::Contains("is not a company file name"));
    CHECK_THROWS_AS(c->storage().read_file(FileKind::layout, bad), std::invalid_argument);
  }
  CHECK(c->storage().list_files(FileKind::layout).empty());
}

TEST_CASE("Company files: import profiles are kept and listed through the store", "[store][files]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  store::ImportProfiles profiles(*c);
  profiles.save("old-program", "delimiter = ;\n");
  profiles.save("customers%2", "sheet = 2\n");
  CHECK(profiles.load("old-program") == "delimiter = ;\n");
  CHECK_FALSE(profiles.load("absent"));
  CHECK(profiles.keys() == std::vector<std::string>{"customers%2", "old-program"});
  CHECK(c->storage().list_files(FileKind::import_profile) ==
        std::vector<std::string>{"customers%2.profile", "old-program.profile"});
}

TEST_CASE("Company files: a purchase's originals are written with its record and read back", "[store][files]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  const auto p = store::keep_purchase_import(*c, 42, "inbox/supplier.xml", std::string(64, 'a'), "<Invoice/>", all_bytes());
  CHECK(p.kept == "purchases/42");
  const auto back = store::purchase_import_of(*c, 42);
  REQUIRE(back);
  CHECK(store::read_kept(*c, *back, store::kKeptXml) == "<Invoice/>");
  CHECK(store::read_kept(*c, *back, store::kKeptPdf) == all_bytes());
  CHECK(store::kept_name(*back, store::kKeptXml) == "42/original.xml");
}

TEST_CASE("Company files: on a data folder they stay where the folder always kept them", "[store][files][folder]") {
  TempDir d;
  store::Company::init(d.path(), licensed());
  auto c = open(d.path());
  c->storage().write_file(FileKind::layout, "invoice.ini", "[page]\n");
  c->storage().write_file(FileKind::purchase, "3/original.xml", "<Invoice/>");
  store::ImportProfiles(*c).save("x", "sheet = 1\n");
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
  };
  CHECK(read(d.path() / "layouts" / "invoice.ini") == "[page]\n");
  CHECK(read(d.path() / "purchases" / "3" / "original.xml") == "<Invoice/>");
  CHECK(read(d.path() / "import-profiles" / "x.profile") == "sheet = 1\n");
  // What a half-done write leaves behind (a temporary name) is no company file.
  std::ofstream(d.path() / "layouts" / ".invoice.ini.tmp-0123456789abcdef") << "half";
  CHECK(c->storage().list_files(FileKind::layout) == std::vector<std::string>{"invoice.ini"});
}

TEST_CASE("Company files: in a database a file written in an action that rolls back is not kept", "[store][files]") {
  if (!on_database()) return;  // a data folder writes files at once (storage.h)
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  {
    store::Action a(c->storage());
    c->storage().write_file(FileKind::purchase, "5/original.xml", "<Invoice/>");
    CHECK(c->storage().read_file(FileKind::purchase, "5/original.xml") == "<Invoice/>");  // seen in the action
  }
  CHECK_FALSE(c->storage().read_file(FileKind::purchase, "5/original.xml"));
  {
    store::Action a(c->storage());
    c->storage().write_file(FileKind::purchase, "5/original.xml", "<Invoice/>");
    a.commit();
  }
  CHECK(c->storage().read_file(FileKind::purchase, "5/original.xml") == "<Invoice/>");
}

TEST_CASE("Company files: verify finds an imported e-invoice's original missing or changed, and a missing logo",
          "[store][files]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  auto c = open(d.path());
  // sha256("<Invoice/>")
  const std::string sha = "b8dbbfb2620e9346480364a8d935a0ff2038ce9bac7738f5ec58f22e639d2607";
  store::keep_purchase_import(*c, 7, "supplier.xml", sha, "<Invoice/>", "");
  c->set_setting("logo", "logo.png");
  c->storage().write_file(FileKind::layout, "logo.png", all_bytes());
  CHECK(store::verify(*c).empty());

  c->storage().write_file(FileKind::purchase, "7/original.xml", "<Invoice />");
  auto problems = store::verify(*c);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::Contains("document 7's kept original") && Catch::Contains("is not the file imported") &&
                              Catch::Contains(sha));
  c->storage().remove_file(FileKind::purchase, "7/original.xml");
  c->storage().remove_file(FileKind::layout, "logo.png");
  problems = store::verify(*c);
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0], Catch::Contains("document 7 was imported from supplier.xml") && Catch::Contains("is missing"));
  CHECK_THAT(problems[1], Catch::Contains("the company's logo logo.png is missing"));
}

TEST_CASE("Company files: a read-only program cannot write them", "[store][files]") {
  TempDir d;
  store::Company::init(company_at(d.path()), licensed());
  { open(d.path())->storage().write_file(FileKind::layout, "default.ini", "[page]\n"); }
  store::OpenOptions ro;
  ro.read_only = true;
  ro.take_seat = false;
  auto c = store::Company::open(company_at(d.path()), ro);
  CHECK(c->storage().read_file(FileKind::layout, "default.ini") == "[page]\n");
  CHECK_THROWS_WITH(c->storage().write_file(FileKind::layout, "default.ini", "x"), Catch::Contains("write access"));
  CHECK(c->storage().read_file(FileKind::layout, "default.ini") == "[page]\n");
}

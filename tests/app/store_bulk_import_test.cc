// The store's bulk import on a real data folder: every row checked by the rules add() and
// edit() apply and against the data before the action, refusals naming the field at fault,
// duplicates by code and VAT number, one action for all rows, opening stocks as moves, and the
// import profiles kept in the folder.
#include <catch2/catch.hpp>
#include <chrono>

#include "store/bulk_import.h"
#include "store/import_profiles.h"
#include "store_fixture.h"
#include "test_util.h"

namespace fs = std::filesystem;
using namespace invoicing;
using store::OnDuplicate;
using store::RowFate;
using xbase::test::TempDir;

namespace {

std::unique_ptr<store::Company> make(const TempDir& d, const std::string& name = "firma") {
  store::Company::init(store_test::company_at(d / name), store_test::licensed());
  store::OpenOptions o;
  o.who = {"anna", "PC-anna"};
  o.lock_wait = std::chrono::milliseconds(500);
  return store::Company::open(store_test::company_at(d / name), o);
}

store::PartyRecord party(const std::string& code, const std::string& name,
                         const std::string& vat = "") {
  store::PartyRecord r;
  r.input.code = code;
  r.input.name = name;
  if (!vat.empty()) r.input.vat = vat;
  return r;
}

}  // namespace

TEST_CASE("Store: validate() is add()'s check, without writing", "[app][store][import]") {
  TempDir d;
  auto c = make(d);
  store::Parties parties(*c, store::PartyKind::customer);
  store::PartyInput in;
  in.code = "K1";
  in.name = "Klant";
  in.vat = "BE 0403.199.702";
  store::Party p = parties.validate(in);
  CHECK(p.vat == "BE0403199702");
  CHECK(p.business);
  CHECK(p.country == "BE");  // from the VAT number
  CHECK(parties.list().empty());
  in.name = "Sklep \xC5\x81\xC3\xB3\x64\xC5\xBA";
  CHECK_THROWS_WITH(parties.validate(in), Catch::Contains("Windows-1252"));
  CHECK_THROWS_WITH(parties.add(in), Catch::Contains("Windows-1252"));
}

// The import library joins several addresses with "; " and the store refused two '@'s, so a
// row the library passed would have failed in the store.
TEST_CASE("Regression: the store takes several e-mail addresses, as the import gives them",
          "[app][store]") {
  TempDir d;
  auto c = make(d);
  store::Parties parties(*c, store::PartyKind::customer);
  store::PartyInput in;
  in.code = "K1";
  in.name = "Klant";
  in.email = "boekhouding@klant.be; zaakvoerder@klant.be";
  CHECK(parties.add(in).email == "boekhouding@klant.be; zaakvoerder@klant.be");
  in.code = "K2";
  in.email = "boekhouding@klant.be; geen adres";
  CHECK_THROWS_WITH(parties.add(in), Catch::Contains("is not an e-mail address"));
  in.email = "a@b.be;";
  CHECK_THROWS(parties.add(in));
}

TEST_CASE("Store: a bulk import of parties, refusals naming their field", "[app][store][import]") {
  TempDir d;
  auto c = make(d);
  store::PartyImport imp(*c, store::PartyKind::customer, OnDuplicate::fail);
  std::vector<store::PartyRecord> rows = {party("K1", "Een", "BE0403199702"), party("K2", "Twee")};
  rows.push_back(party("K3", "Drie"));
  rows.back().input.country = "Belgium";  // the store wants the code
  rows.push_back(party("K4", "Sklep \xC5\x81\xC3\xB3\x64\xC5\xBA"));
  rows.push_back(party("K5", "Vijf"));
  rows.back().input.terms = "400";
  rows.push_back(party("K1", "Een bis"));
  rows.push_back(party("K7", "Zeven", "BE0403199702"));
  rows.push_back(party("CODE-TE-LANG", "Acht"));
  std::vector<store::RowCheck> checks;
  for (const auto& r : rows) checks.push_back(imp.check(r));
  CHECK(checks[0].fate == RowFate::add);
  CHECK(checks[1].fate == RowFate::add);
  CHECK(checks[2].fate == RowFate::refused);
  CHECK(checks[2].field == "country");
  CHECK(checks[3].field == "name");
  CHECK_THAT(checks[3].reason, Catch::Contains("Windows-1252"));
  CHECK(checks[4].field == "terms");
  CHECK(checks[5].field == "code");
  CHECK_THAT(checks[5].reason, Catch::Contains("code K1 is also on an earlier row"));
  CHECK(checks[6].field == "vat");
  CHECK(checks[7].field == "code");
  CHECK_THAT(checks[7].reason, Catch::Contains("at most 10 characters"));
  CHECK(imp.refused() == 6);
  CHECK(store::Parties(*c, store::PartyKind::customer).list().empty());  // checking writes nothing

  int progress_calls = 0;
  auto res = imp.write([&](size_t i) { return rows[i]; },
                       [&](const store::BulkProgress& p) {
                         ++progress_calls;
                         CHECK(p.total == rows.size());
                       });
  CHECK(res.added == 2);
  CHECK(progress_calls == 1);
  auto list = store::Parties(*c, store::PartyKind::customer).list();
  REQUIRE(list.size() == 2);
  CHECK(list[0].vat == "BE0403199702");
  CHECK(c->storage().check().empty());
}

TEST_CASE("Store: duplicates against the data, by code and by VAT number", "[app][store][import]") {
  TempDir d;
  auto c = make(d);
  {
    store::PartyImport first(*c, store::PartyKind::supplier, OnDuplicate::fail);
    std::vector<store::PartyRecord> rows = {party("LAMBERT", "Lambert", "BE0822894253"),
                                            party("DUBOIS", "Dubois")};
    for (const auto& r : rows) REQUIRE(first.check(r).fate == RowFate::add);
    first.write([&](size_t i) { return rows[i]; });
  }
  store::PartyRecord by_code = party("lambert", "Lambert NV");
  by_code.input.city = "Namen";
  by_code.archived = true;
  store::PartyRecord by_vat = party("L-99", "Lambert & Co", "BE 0822.894.253");
  store::PartyRecord conflict = party("DUBOIS", "Dubois", "BE0822894253");

  store::PartyImport skip(*c, store::PartyKind::supplier, OnDuplicate::skip);
  CHECK(skip.existing_codes() == std::set<std::string>{"DUBOIS", "LAMBERT"});
  CHECK(skip.check(by_code).fate == RowFate::skip);
  CHECK(skip.check(by_vat).existing_code == "LAMBERT");
  CHECK(skip.check(conflict).fate == RowFate::skip);

  store::PartyImport fail(*c, store::PartyKind::supplier, OnDuplicate::fail);
  auto f = fail.check(by_vat);
  CHECK(f.fate == RowFate::refused);
  CHECK(f.field == "vat");
  CHECK_THAT(f.reason, Catch::Contains("supplier LAMBERT has the same VAT number (BE0822894253)"));

  store::PartyImport update(*c, store::PartyKind::supplier, OnDuplicate::update);
  auto u = update.check(by_code);
  CHECK(u.fate == RowFate::update);
  CHECK(u.existing_code == "LAMBERT");
  // The same record a second time, and a row whose code and VAT number are two records.
  CHECK(update.check(by_vat).fate == RowFate::refused);
  auto x = update.check(conflict);
  CHECK(x.fate == RowFate::refused);
  CHECK_THAT(x.reason,
             Catch::Contains("supplier DUBOIS has this code, but supplier LAMBERT has VAT number"));
  std::vector<store::PartyRecord> rows = {by_code, by_vat, conflict};
  auto res = update.write([&](size_t i) { return rows[i]; });
  CHECK(res.updated == 1);
  CHECK(res.added == 0);
  store::PartyFilter all;
  all.archived = true;
  auto list = store::Parties(*c, store::PartyKind::supplier).list(all);
  REQUIRE(list.size() == 2);
  CHECK(list[1].code == "LAMBERT");  // the record keeps its code
  CHECK(list[1].name == "Lambert NV");
  CHECK(list[1].city == "Namen");
  CHECK(list[1].vat == "BE0822894253");  // not given: left as it was
  CHECK(list[1].archived);
}

TEST_CASE("Store: the action is all or nothing when the data changed since the check",
          "[app][store][import]") {
  TempDir d;
  auto c = make(d);
  store::PartyImport imp(*c, store::PartyKind::customer, OnDuplicate::fail);
  std::vector<store::PartyRecord> rows = {party("A1", "Een"), party("A2", "Twee"),
                                          party("A3", "Drie")};
  for (const auto& r : rows) REQUIRE(imp.check(r).fate == RowFate::add);
  // Another workstation adds A3 between the check and the write.
  store::OpenOptions o;
  o.who = {"ben", "PC-ben"};
  o.take_seat = false;
  auto other = store::Company::open(store_test::company_at(d / "firma"), o);
  store::PartyInput a3;
  a3.code = "A3";
  a3.name = "Drie van Ben";
  store::Parties(*other, store::PartyKind::customer).add(a3);
  CHECK_THROWS_WITH(imp.write([&](size_t i) { return rows[i]; }),
                    Catch::Contains("customer code A3 was added by another workstation") &&
                        Catch::Contains("nothing was imported"));
  auto list = store::Parties(*c, store::PartyKind::customer).list();
  REQUIRE(list.size() == 1);
  CHECK(list[0].name == "Drie van Ben");
}

TEST_CASE("Store: a bulk import of articles, opening stocks as moves, updates leave the stock",
          "[app][store][import]") {
  TempDir d;
  auto c = make(d);
  store::ArticleRecord lamp, dienst, bad;
  lamp.input.code = "LAMP";
  lamp.input.description = "LED-lamp";
  lamp.input.price = "6.95";
  lamp.input.opening_stock = "40";
  dienst.input.code = "UUR";
  dienst.input.description = "Werkuur";
  dienst.input.kind = "S";
  dienst.input.vat_category = "Z";
  dienst.input.vat_rate = "0";
  bad.input.code = "FOUT";
  bad.input.description = "Fout tarief";
  bad.input.vat_rate = "19";
  {
    store::ArticleImport imp(*c, OnDuplicate::fail);
    std::vector<store::ArticleRecord> rows = {lamp, dienst, bad};
    CHECK(imp.check(lamp).fate == RowFate::add);
    CHECK(imp.check(dienst).fate == RowFate::add);
    auto b = imp.check(bad);
    CHECK(b.fate == RowFate::refused);
    CHECK(b.field == "vat_rate");
    auto res = imp.write([&](size_t i) { return rows[i]; });
    CHECK(res.added == 2);
    CHECK(res.stock_moves == 1);
  }
  store::Articles arts(*c);
  CHECK(arts.get("LAMP").stock.to_string() == "40.000");
  CHECK(arts.moves("LAMP").size() == 1);
  CHECK(arts.moves("LAMP")[0].reason == "opening stock");
  CHECK(arts.moves("UUR").empty());

  store::ArticleImport upd(*c, OnDuplicate::update);
  store::ArticleRecord again = lamp;
  again.input.price = "7.25";
  again.input.opening_stock = "99";
  auto u = upd.check(again);
  CHECK(u.fate == RowFate::update);
  CHECK_THAT(u.reason, Catch::Contains("its stock is left as it is"));
  std::vector<store::ArticleRecord> rows = {again};
  CHECK(upd.write([&](size_t i) { return rows[i]; }).updated == 1);
  CHECK(arts.get("LAMP").price.to_string() == "7.2500");
  CHECK(arts.get("LAMP").stock.to_string() == "40.000");
  CHECK(arts.moves("LAMP").size() == 1);
  CHECK(c->storage().check().empty());
}

TEST_CASE("Store: import profiles in the data folder", "[app][store][import][folder]") {
  TempDir d;
  auto c = make(d);
  store::ImportProfiles profiles(*c);
  CHECK(!profiles.load("winbooks"));
  CHECK(profiles.keys().empty());
  profiles.save("winbooks", "name Winbooks\n");
  profiles.save("winbooks", "name Winbooks\ntarget customers\n");  // replaced whole
  profiles.save("oud-pakket", "x");
  CHECK(profiles.load("winbooks") == "name Winbooks\ntarget customers\n");
  CHECK(profiles.keys() == std::vector<std::string>{"oud-pakket", "winbooks"});
  CHECK(fs::exists(d / "firma" / "import-profiles" / "winbooks.profile"));
  for (const auto& e : fs::directory_iterator(d / "firma" / "import-profiles"))
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
  CHECK_THROWS_AS(profiles.save("../x", "x"), std::invalid_argument);
  CHECK_THROWS_AS(profiles.load("A/B"), std::invalid_argument);
}

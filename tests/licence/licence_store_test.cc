// Licences in a real data folder (app/store): the edition and seats every program working in
// it gets, installing and replacing a licence, downgrades that keep the data, and the gates at
// the store's entry points.

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "licence_test_util.h"
#include "store/articles.h"
#include "store/company.h"
#include "store/documents.h"
#include "store/licence_file.h"
#include "store/numbering.h"
#include "store/parties.h"
#include "test_util.h"

namespace fs = std::filesystem;
using namespace invoicing;
using domain::Edition;
using licence::LicenceState;
using xbase::test::TempDir;

namespace {

std::unique_ptr<store::Company> open(const fs::path& dir, const std::string& user,
                                     bool seat = true) {
  store::OpenOptions o;
  o.who = {user, "PC-" + user};
  o.take_seat = seat;
  o.lock_wait = std::chrono::milliseconds(2000);
  return store::Company::open(dir, o);
}

store::InitOptions with_licence(Edition e) {
  store::InitOptions o;
  o.company = "Bakkerij Peeters";
  o.licence = test::test_licence(e);
  return o;
}

// Customers, a stocked article and two final invoices: data the licence must never hide.
void some_data(store::Company& c) {
  store::PartyInput p;
  p.code = "PEETERS";
  p.name = "Bakkerij Peeters";
  store::Parties(c, store::PartyKind::customer).add(p);
  store::ArticleInput lamp;
  lamp.code = "LAMP";
  lamp.description = "LED-lamp";
  lamp.price = "6.95";
  lamp.opening_stock = "100";
  store::Articles(c).add(lamp);
  store::Documents docs(c);
  for (int i = 0; i < 2; ++i) {
    auto id = docs.create(domain::DocType::invoice, "PEETERS");
    store::LineSpec l;
    l.article = "LAMP";
    l.quantity = "4";
    docs.add_line(id, l);
    docs.finalize(id);
  }
}

// Opens programs until one is refused; returns how many got a seat and the refusal.
std::pair<int, std::string> fill_seats(const fs::path& dir, int at_most,
                                       std::vector<std::unique_ptr<store::Company>>& held) {
  for (int i = 0; i < at_most; ++i) {
    try {
      held.push_back(open(dir, "user" + std::to_string(held.size() + 1)));
    } catch (const store::UserError& e) {
      return {i, e.what()};
    }
  }
  return {at_most, ""};
}

}  // namespace

TEST_CASE("seats are enforced per edition: the licence's seats, the next program is refused",
          "[licence]") {
  for (auto [e, seats] : {std::pair{Edition::free, 1}, {Edition::basic, 3}, {Edition::pro, 10}}) {
    TempDir d;
    store::InitOptions o;
    if (e != Edition::free) o = with_licence(e);
    store::Company::init(d.path(), o);
    std::vector<std::unique_ptr<store::Company>> held;
    auto [got, refusal] = fill_seats(d.path(), seats + 1, held);
    INFO(domain::edition_name(e));
    CHECK(got == seats);
    CHECK(refusal.find(fmt::format("all {} seat", seats)) != std::string::npos);
    CHECK(refusal.find(fmt::format("of the {} edition", domain::edition_name(e))) !=
          std::string::npos);
    CHECK(held.front()->seats() == seats);
  }
  // A licence may sell fewer seats than its edition has; the Full edition has 50.
  TempDir d;
  test::TestLicence five;
  five.edition = Edition::pro;
  five.seats = 5;
  store::InitOptions o;
  o.licence = test::test_licence(five);
  store::Company::init(d.path(), o);
  std::vector<std::unique_ptr<store::Company>> held;
  CHECK(fill_seats(d.path(), 6, held).first == 5);
  TempDir f;
  store::Company::init(f.path(), with_licence(Edition::full));
  CHECK(open(f.path(), "anna")->seats() == 50);
}

TEST_CASE(
    "installing a licence: checked first, written whole, the company named, seats for programs "
    "started later",
    "[licence]") {
  TempDir d;
  store::Company::init(d.path(), {});  // Free, no VAT number
  auto c = open(d.path(), "anna", false);
  CHECK(c->licence().state == LicenceState::none);
  CHECK(c->edition() == Edition::free);
  // A tampered file is refused and nothing is written.
  std::string bad = test::test_licence(Edition::pro);
  bad.replace(bad.find("seats: 10"), 9, "seats: 9 ");
  CHECK_THROWS_WITH(c->install_licence(bad), Catch::Contains("nothing was installed"));
  CHECK(!fs::exists(d / store::kLicenceFile));
  CHECK(c->setting("vat").empty());
  // The genuine one: the company takes the licence's VAT number, the file is in place, no
  // temporary file is left.
  auto v = c->install_licence(test::test_licence(Edition::pro));
  CHECK(v.state == LicenceState::valid);
  CHECK(c->edition() == Edition::pro);
  CHECK(c->setting("vat") == "BE0431115213");
  CHECK(xbase::test::read_file(d / store::kLicenceFile) == test::test_licence(Edition::pro));
  for (const auto& e : fs::directory_iterator(d.path()))
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
  // Another company's licence is refused now that the company has a VAT number; the installed
  // one stays.
  test::TestLicence other;
  other.vat = "BE0414445663";
  CHECK_THROWS_WITH(c->install_licence(test::test_licence(other)),
                    Catch::Contains("not to this company"));
  c.reset();
  auto c2 = open(d.path(), "bert");
  CHECK(c2->edition() == Edition::pro);
  CHECK(c2->seats() == 10);
}

TEST_CASE("a downgrade keeps all data readable and refuses only what the smaller edition lacks",
          "[licence]") {
  TempDir d;
  store::Company::init(d.path(), with_licence(Edition::full));
  std::vector<std::unique_ptr<store::Company>> running;
  {
    auto c = open(d.path(), "admin", false);
    some_data(*c);
    store::Numbering(*c).set_mode(domain::NumberingMode::multiuser, std::nullopt);
  }
  // Five programs at work under Full.
  for (int i = 1; i <= 5; ++i) running.push_back(open(d.path(), "w" + std::to_string(i)));
  {
    auto admin = open(d.path(), "admin", false);
    admin->install_licence(test::test_licence(Edition::basic));
  }
  // Those already working keep their seats; a new program is refused a seat (Basic: 3).
  CHECK_THROWS_WITH(open(d.path(), "late"),
                    Catch::Contains("all 3 seats of the Basic edition are in use"));
  running.resize(2);  // three close
  auto c = open(d.path(), "anna");
  CHECK(c->edition() == Edition::basic);
  // Everything is there and readable.
  CHECK(store::Parties(*c, store::PartyKind::customer).get("PEETERS").name == "Bakkerij Peeters");
  CHECK(store::Articles(*c).get("LAMP").stock.to_string() == "92.000");
  CHECK(store::Documents(*c).list().size() == 2);
  // Multi-user numbering stays in force (the drafts rely on it) and invoices are numbered;
  // choosing it again is what Basic lacks.
  store::Numbering n(*c);
  CHECK(n.mode() == domain::NumberingMode::multiuser);
  CHECK_THROWS_WITH(
      n.set_mode(domain::NumberingMode::multiuser, std::nullopt),
      "multi-user numbering needs the Pro edition or higher (this company runs the Basic edition)");
  CHECK_THROWS_AS(n.set_mode(domain::NumberingMode::multiuser, std::nullopt), store::NeedsEdition);
  n.set_mode(domain::NumberingMode::serialized, std::nullopt);  // going back is always allowed
  store::Documents docs(*c);
  auto id = docs.create(domain::DocType::invoice, "PEETERS");
  store::LineSpec l;
  l.article = "LAMP";
  docs.add_line(id, l);
  CHECK(docs.finalize(id).doc.number == 3);
  CHECK(store::verify(*c).empty());
  running.clear();
  c.reset();

  // Down to Free (the licence file removed): one seat; stock settings refused, but documents
  // still move the stock of articles stocked before.
  fs::remove(d / store::kLicenceFile);
  auto f = open(d.path(), "anna");
  CHECK(f->edition() == Edition::free);
  CHECK(f->licence().state == LicenceState::missing);
  CHECK_THROWS_WITH(open(d.path(), "bert"), Catch::Contains("all 1 seat of the Free edition"));
  store::Articles arts(*f);
  CHECK_THROWS_WITH(arts.correct_stock("LAMP", "80", "count"),
                    Catch::Contains("stock management needs the Basic"));
  store::ArticleInput stocked;
  stocked.code = "BULB";
  stocked.description = "Bulb";
  stocked.opening_stock = "5";
  CHECK_THROWS_AS(arts.add(stocked), store::NeedsEdition);
  CHECK(!arts.find("BULB"));  // nothing was written
  store::ArticleInput service;
  service.code = "HOUR";
  service.description = "Work";
  service.kind = "S";
  arts.add(service);  // articles without stock are every edition's
  store::Documents fd(*f);
  auto id2 = fd.create(domain::DocType::invoice, "PEETERS");
  fd.add_line(id2, l);
  fd.finalize(id2);
  CHECK(arts.get("LAMP").stock.to_string() == "90.000");
  CHECK(store::verify(*f).empty());
}

TEST_CASE(
    "a licence that goes missing, becomes unreadable or is tampered with is reported at every "
    "start",
    "[licence]") {
  TempDir d;
  store::Company::init(d.path(), with_licence(Edition::pro));
  CHECK(open(d.path(), "anna", false)->licence().state == LicenceState::valid);
  const std::string good = xbase::test::read_file(d / store::kLicenceFile);

  xbase::test::write_file(d / store::kLicenceFile, "edition=Full\n");
  auto c = open(d.path(), "anna", false);
  CHECK(c->licence().state == LicenceState::unreadable);
  CHECK(c->licence().needs_note());
  CHECK(c->edition() == Edition::free);

  std::string t = good;
  t.replace(t.find("Bakkerij"), 8, "Bakkerei");
  xbase::test::write_file(d / store::kLicenceFile, t);
  CHECK(open(d.path(), "anna", false)->licence().state == LicenceState::tampered);

  fs::remove(d / store::kLicenceFile);
  auto m = open(d.path(), "anna", false);
  CHECK(m->licence().state == LicenceState::missing);
  CHECK(m->licence().message.find("Pro edition, 10 seats") != std::string::npos);
  // `inspect` (invoicing version) says the same without taking a seat.
  CHECK(store::Company::inspect(d.path()).licence.state == LicenceState::missing);

  // The unsigned LICENCE.TXT of earlier versions no longer counts, and says so.
  TempDir old;
  store::Company::init(old.path(), {});
  xbase::test::write_file(old / store::kLegacyLicenceFile, "edition=Full\n");
  auto l = open(old.path(), "anna", false);
  CHECK(l->licence().state == LicenceState::legacy);
  CHECK(l->edition() == Edition::free);
}

TEST_CASE("a folder where the licence file belongs is reported as not a file, never as Free", "[licence]") {
  TempDir d;
  store::Company::init(d.path(), with_licence(Edition::pro));
  fs::remove(d / store::kLicenceFile);
  fs::create_directories(d / store::kLicenceFile);
  auto c = open(d.path(), "anna", false);
  CHECK(c->licence().state == LicenceState::unreadable);
  CHECK(c->licence().message.find("cannot be read (it is a folder, a device or a pipe, not a file)") != std::string::npos);
  CHECK(c->edition() == Edition::free);
}

TEST_CASE("the demo company runs as Pro without a licence and cannot become another company",
          "[licence]") {
  TempDir d;
  store::InitOptions o;
  o.company = "Demo Bvba";
  o.vat = std::string(licence::kDemoCompanyVat);
  store::Company::init(d.path(), o);
  auto c = open(d.path(), "anna");
  CHECK(c->licence().state == LicenceState::demo);
  CHECK(c->edition() == Edition::pro);
  CHECK(c->seats() == 10);
  CHECK_THROWS_WITH(c->set_setting("vat", "BE0431115213"), Catch::Contains("cannot be changed"));
  test::TestLicence t;
  t.vat = std::string(licence::kDemoCompanyVat);
  CHECK_THROWS_WITH(c->install_licence(test::test_licence(t)),
                    Catch::Contains("demo company takes no licence"));
}

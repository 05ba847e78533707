// Licences on their own: the text format, Ed25519 signatures with the test key, and what a
// licence means for a program version (app/licence); the edition table (domain/edition).

#include "licence/licence.h"

#include <catch2/catch.hpp>

#include "domain/edition.h"
#include "licence/licence_check.h"
#include "licence_test_util.h"

using namespace invoicing;
using licence::LicenceState;

namespace {

const licence::ProgramRelease kProgram{"0.1.0", {2026, 12, 15}};

licence::Verdict judge(const std::string& text, const std::string& company_vat = "BE0431115213",
                       const licence::ProgramRelease& program = kProgram) {
  return licence::judge_licence(text, "", {company_vat, "", ""}, program);
}

}  // namespace

TEST_CASE("editions: seats and the features each offers, from one table", "[licence]") {
  using domain::Edition;
  using domain::Feature;
  CHECK(domain::seat_count(Edition::free) == 1);
  CHECK(domain::seat_count(Edition::basic) == 3);
  CHECK(domain::seat_count(Edition::pro) == 10);
  CHECK(domain::seat_count(Edition::full) == 50);
  CHECK(domain::edition_from_name("pRo") == Edition::pro);
  CHECK(!domain::edition_from_name("Enterprise"));
  for (auto f : {Feature::stock, Feature::imports, Feature::multiuser_numbering,
                 Feature::einvoice_delivery}) {
    // A bigger edition offers what a smaller one does; the Full edition offers everything.
    bool before = false;
    for (auto e : {Edition::free, Edition::basic, Edition::pro, Edition::full}) {
      CHECK((domain::allows(e, f) || !before));
      before = domain::allows(e, f);
      CHECK(domain::refusal(e, f).has_value() == !domain::allows(e, f));
    }
    CHECK(domain::allows(Edition::full, f));
  }
  CHECK(
      domain::refusal(Edition::basic, Feature::multiuser_numbering) ==
      "multi-user numbering needs the Pro edition or higher (this company runs the Basic edition)");
  CHECK(domain::refusal(Edition::free, Feature::stock)->find("needs the Basic edition or higher") !=
        std::string::npos);
  CHECK(!domain::refusal(Edition::pro, Feature::multiuser_numbering));
}

TEST_CASE("a licence signed with the test key is valid and gives its edition and seats",
          "[licence]") {
  REQUIRE(licence::accepts_test_licences());
  test::TestLicence t;
  t.edition = domain::Edition::pro;
  t.seats = 5;
  const std::string text = test::test_licence(t);
  auto s = licence::parse_licence(text);
  CHECK(s.licence.licensee == "Bakkerij Peeters");
  CHECK(s.licence.key_id == test::test_secret_key().public_key().id());
  CHECK(licence::licence_text(s) == text);
  auto v = judge(text);
  CHECK(v.state == LicenceState::valid);
  CHECK(v.edition == domain::Edition::pro);
  CHECK(v.seats == 5);
  CHECK(v.in_force());
  CHECK(!v.needs_note());
  // The company's VAT number however it was typed.
  CHECK(judge(text, "be 0431.115.213").state == LicenceState::valid);
  // A file saved with CR LF line ends reads the same.
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(judge(crlf).state == LicenceState::valid);
}

TEST_CASE("a licence with any one byte changed is refused, and the program runs as Free",
          "[licence]") {
  const std::string text = test::test_licence(domain::Edition::full);
  REQUIRE(judge(text).state == LicenceState::valid);
  int tampered = 0, unreadable = 0;
  for (size_t i = 0; i < text.size(); ++i)
    for (unsigned char delta : {1, 0x20, 0x80}) {
      std::string t = text;
      t[i] = char(static_cast<unsigned char>(t[i]) ^ delta);
      auto v = judge(t);
      INFO("byte " << i << " ^ " << int(delta) << ": " << v.message);
      CHECK(!v.in_force());
      CHECK(v.edition == domain::Edition::free);
      CHECK(v.seats == 1);
      CHECK(v.needs_note());
      tampered += v.state == LicenceState::tampered;
      unreadable += v.state == LicenceState::unreadable;
    }
  // Both ways of being caught happen: a changed licensee or date reads but fails the signature.
  CHECK(tampered > 0);
  CHECK(unreadable > 0);
  std::string more_seats = text;
  more_seats.replace(more_seats.find("seats: 50"), 9, "seats: 49");
  auto v = judge(more_seats);
  CHECK(v.state == LicenceState::tampered);
  CHECK(v.message.find("changed after it was issued") != std::string::npos);
}

TEST_CASE("a licence signed with another key is refused: unknown key, or a forged key name",
          "[licence]") {
  auto other = licence::generate_key_pair();
  licence::Licence l;
  l.licensee = "Bakkerij Peeters";
  l.vat = "BE0431115213";
  l.edition = domain::Edition::full;
  l.seats = 50;
  l.updates_until = {2099, 12, 31};
  l.issued = {2026, 12, 1};
  const std::string foreign = licence::issue_licence(l, other.secret_key);
  auto v = judge(foreign);
  CHECK(v.state == LicenceState::unknown_key);
  CHECK(v.edition == domain::Edition::free);
  CHECK(v.message.find(other.public_key.id()) != std::string::npos);
  // Signed with the other key but naming the test key: the signature does not hold.
  l.key_id = test::test_secret_key().public_key().id();
  licence::SignedLicence forged;
  forged.body = licence::licence_body(l);
  forged.signature = licence::sign(forged.body, other.secret_key);
  CHECK(judge(licence::licence_text(forged)).state == LicenceState::tampered);
  // The key list is what decides: with only the other key the test licence is the foreign one.
  std::vector<licence::TrustedKey> only_other = {{"other", other.public_key}};
  const std::string ours = test::test_licence(domain::Edition::full);
  CHECK(licence::judge_licence(ours, "", {"BE0431115213", "", ""}, kProgram, only_other).state ==
        LicenceState::unknown_key);
  CHECK(licence::judge_licence(foreign, "", {"BE0431115213", "", ""}, kProgram, only_other).state ==
        LicenceState::valid);
}

TEST_CASE("a licence issued to another company is refused", "[licence]") {
  const std::string text = test::test_licence(domain::Edition::basic);
  auto v = judge(text, "BE0414445663");
  CHECK(v.state == LicenceState::other_company);
  CHECK(v.message.find("BE0431115213") != std::string::npos);
  CHECK(v.message.find("BE0414445663") != std::string::npos);
  CHECK(judge(text, "").state == LicenceState::other_company);
  // Installing into a company without a VAT number is allowed (it takes the licence's).
  CHECK(licence::judge_new_licence(text, "", kProgram).state == LicenceState::valid);
  CHECK(licence::judge_new_licence(text, "BE0414445663", kProgram).state ==
        LicenceState::other_company);
}

TEST_CASE(
    "an expired update subscription: older program versions accept the licence, newer ones run as "
    "Free",
    "[licence]") {
  test::TestLicence t;
  t.edition = domain::Edition::pro;
  t.updates_until = {2026, 12, 15};
  const std::string text = test::test_licence(t);
  // Released on the last day of the subscription, or before: the licence holds (also when
  // that day is long past: the subscription is about program versions, not about today).
  CHECK(judge(text, "BE0431115213", {"0.1.0", {2026, 12, 15}}).state == LicenceState::valid);
  CHECK(judge(text, "BE0431115213", {"0.0.9", {2025, 1, 1}}).edition == domain::Edition::pro);
  // A version released the day after: it says why, and runs as Free.
  auto v = judge(text, "BE0431115213", {"0.2.0", {2026, 12, 16}});
  CHECK(v.state == LicenceState::updates_ended);
  CHECK(v.edition == domain::Edition::free);
  CHECK(v.seats == 1);
  REQUIRE(v.licence);
  CHECK(v.licence->edition == domain::Edition::pro);
  for (const char* part :
       {"ended on 2026-12-15", "invoicing 0.2.0", "released on 2026-12-16", "Free"})
    CHECK(v.message.find(part) != std::string::npos);
  // Installing it is not refused (older programs in the folder accept it); the verdict says so.
  CHECK(licence::judge_new_licence(text, "BE0431115213", {"0.2.0", {2026, 12, 16}}).state ==
        LicenceState::updates_ended);
}

TEST_CASE("missing, unreadable, legacy and demo licences are reported, never silently Free",
          "[licence]") {
  const licence::FolderFacts plain{"BE0431115213", "", ""};
  auto none = licence::judge_licence(std::nullopt, "", plain, kProgram);
  CHECK(none.state == LicenceState::none);
  CHECK(none.edition == domain::Edition::free);
  CHECK(none.message.find("no licence installed") != std::string::npos);
  CHECK(!none.needs_note());  // the Free edition as chosen: said by `version`, not at every start

  auto missing = licence::judge_licence(std::nullopt, "",
                                        {"BE0431115213", "Pro edition, 10 seats", ""}, kProgram);
  CHECK(missing.state == LicenceState::missing);
  CHECK(missing.needs_note());
  CHECK(missing.message.find("Pro edition, 10 seats") != std::string::npos);

  auto unreadable = licence::judge_licence(std::nullopt, "Permission denied", plain, kProgram);
  CHECK(unreadable.state == LicenceState::unreadable);
  CHECK(unreadable.message.find("Permission denied") != std::string::npos);
  for (const std::string& junk :
       {std::string(), std::string("edition=Full\n"), std::string("invoicing licence 1"),
        std::string(5000, 'x'), test::test_licence(domain::Edition::full).substr(0, 100)}) {
    auto v = judge(junk);
    CHECK(v.state == LicenceState::unreadable);
    CHECK(v.needs_note());
    CHECK(v.edition == domain::Edition::free);
  }

  auto legacy = licence::judge_licence(std::nullopt, "", {"BE0431115213", "", "Full"}, kProgram);
  CHECK(legacy.state == LicenceState::legacy);
  CHECK(legacy.edition == domain::Edition::free);
  CHECK(legacy.message.find("LICENCE.TXT") != std::string::npos);

  auto demo = licence::judge_licence(std::nullopt, "", {"BE 0477.472.701", "", ""}, kProgram);
  CHECK(demo.state == LicenceState::demo);
  CHECK(demo.edition == licence::kDemoEdition);
  CHECK(demo.in_force());
}

TEST_CASE("licence fields: what the issuer refuses to sign", "[licence]") {
  licence::Licence l;
  l.licensee = "Bakkerij Peeters";
  l.vat = "BE0431115213";
  l.edition = domain::Edition::basic;
  l.seats = 4;  // Basic has 3
  l.updates_until = {2027, 1, 1};
  l.issued = {2026, 1, 1};
  CHECK_THROWS_WITH(licence::issue_licence(l, test::test_secret_key()),
                    Catch::Contains("1 to 3 seats"));
  l.seats = 3;
  l.licensee = "line\nbreak";
  CHECK_THROWS_AS(licence::issue_licence(l, test::test_secret_key()), licence::LicenceError);
  l.licensee = "Boulangerie Dupont & Zoë";
  l.vat = "be0431115213";
  CHECK_THROWS_WITH(licence::issue_licence(l, test::test_secret_key()),
                    Catch::Contains("normalized VAT number"));
  l.vat = "BE0431115213";
  CHECK(judge(licence::issue_licence(l, test::test_secret_key())).state == LicenceState::valid);
}

TEST_CASE("key files: base64 in its one spelling, a secret key's halves must belong together",
          "[licence]") {
  auto k = licence::generate_key_pair();
  auto pub = licence::parse_public_key(licence::public_key_text(k.public_key));
  CHECK(pub == k.public_key);
  auto sec = licence::parse_secret_key(licence::secret_key_text(k.secret_key));
  CHECK(sec.public_key() == k.public_key);
  CHECK_THROWS_AS(licence::parse_public_key(licence::secret_key_text(k.secret_key)),
                  licence::LicenceError);
  // The public half replaced by another key's.
  auto other = licence::generate_key_pair();
  licence::SecretKey mixed = k.secret_key;
  std::copy(other.public_key.bytes.begin(), other.public_key.bytes.end(), mixed.bytes.begin() + 32);
  CHECK_THROWS_WITH(licence::parse_secret_key(licence::secret_key_text(mixed)),
                    Catch::Contains("does not belong"));
  // Base64: round trip; unused bits set, or padding missing, are another spelling and refused.
  const std::string sig(64, '\x5a');
  const std::string b64 = licence::to_base64(sig);
  CHECK(licence::from_base64(b64) == sig);
  std::string odd = b64;
  odd[odd.size() - 3] = char(odd[odd.size() - 3] + 1);  // the last character's unused bits
  CHECK(!licence::from_base64(odd));
  CHECK(!licence::from_base64(b64.substr(0, b64.size() - 2)));
  CHECK(!licence::from_base64(b64 + " "));
}

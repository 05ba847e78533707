// Issue 19, VAT per customer: each line's category and rate from the customer's country and
// status and the article, overrides checked, decided again when the customer changes and at
// finalization, and kept on the final document as decided then.
#include <catch2/catch.hpp>

#include "domain/vat_regime.h"
#include "store/line_vat.h"
#include "store_fixture.h"

using namespace store_test;
using xbase::test::TempDir;

namespace {

// The base company and customers of every VAT regime.
struct Company : BaseCompany {
  Company() {
    store::Parties customers(*c, store::PartyKind::customer);
    auto add = [&](const char* code, const char* country, const char* vat, bool business) {
      store::PartyInput in;
      in.code = code;
      in.name = code;
      in.country = country;
      in.vat = vat;
      in.business = business;
      customers.add(in);
    };
    add("BOLT", "NL", "NL820098395B01", true);  // a Dutch business, valid VAT number
    add("PIET", "NL", "", false);               // a Dutch private customer
    add("FOX", "US", "", true);                 // a business outside the EU
    store::PartyInput claes;
    claes.code = "CLAES";
    claes.name = "Claes Bouw";
    claes.vat = "BE0439948745";
    claes.contractor = true;
    customers.add(claes);
    store::PartyInput an;
    an.code = "WILLEMS";
    an.name = "An Willems";
    an.business = false;
    an.renovation = true;
    customers.add(an);
    store::ArticleInput work;
    work.code = "RENO";
    work.description = "Renovatie";
    work.price = "100";
    work.vat_rate = "6";
    work.kind = "S";
    work.construction = true;
    store::Articles(*c).add(work);
  }
};

std::string vat_of(const store::DocView& v, size_t line) {
  const auto& l = v.lines.at(line).line;
  return l.vat_category + " " + l.vat_rate.to_string(0);
}

store::DocView draft_with(store::Documents& docs, const std::string& party, std::vector<store::LineSpec> lines) {
  int32_t id = docs.create(DocType::invoice, party);
  store::DocView v;
  for (const auto& l : lines) v = docs.add_line(id, l);
  return v;
}

}  // namespace

TEST_CASE("a Dutch business customer with a valid NL VAT number got Belgian 21 %: now K for goods, AE for services",
          "[app]") {
  Company co;
  store::Documents docs(*co.c);
  auto v = draft_with(docs, "BOLT", {art("LAMP", "2"), text_line("Montage", "1", "50", "")});
  CHECK(vat_of(v, 0) == "K 0");
  CHECK(vat_of(v, 1) == "AE 0");
  CHECK(v.doc.total_vat.is_zero());
  auto fin_v = docs.finalize(v.doc.id);
  auto shown = docs.show(fin_v.doc.id);
  auto decision = store::vat_decision_of(shown.lines.at(0).line);
  CHECK(decision.rule == domain::VatRule::intra_eu_goods);
  CHECK(decision.exemption_code == "VATEX-EU-IC");
  CHECK_THAT(domain::vat_mention(decision, "nl"), Catch::Contains("art. 39bis WBTW"));
  // The document keeps what was decided and to whom it was issued, whatever happens to the
  // customer afterwards.
  store::PartyInput gone;
  gone.vat = "";
  gone.street = "Elders 1";
  store::Parties(*co.c, store::PartyKind::customer).edit("BOLT", gone);
  auto later = docs.show(fin_v.doc.id);
  CHECK(vat_of(later, 0) == "K 0");
  CHECK(later.doc.issued_to.vat == "NL820098395B01");
  CHECK(later.doc.issued_to.street.empty());
}

TEST_CASE("VAT follows the customer: private EU customers, exports, contractors, renovation", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  CHECK(vat_of(draft_with(docs, "PIET", {art("LAMP", "1")}), 0) == "S 21");
  auto fox = draft_with(docs, "FOX", {art("LAMP", "1"), text_line("Advies", "1", "80", "")});
  CHECK(vat_of(fox, 0) == "G 0");
  CHECK(vat_of(fox, 1) == "E 0");
  CHECK_FALSE(fox.lines.at(1).line.exemption_reason.empty());
  CHECK(vat_of(draft_with(docs, "CLAES", {art("RENO", "2")}), 0) == "AE 0");
  CHECK(vat_of(draft_with(docs, "WILLEMS", {art("RENO", "2")}), 0) == "S 6");
  // Construction work at 6 % without the attestation: 21 %, and the user is told why.
  auto peeters = draft_with(docs, "PEETERS", {art("RENO", "1")});
  CHECK(vat_of(peeters, 0) == "S 21");
  REQUIRE(peeters.warnings.size() == 1);
  CHECK_THAT(peeters.warnings[0], Catch::Contains("renovation attestation"));
}

TEST_CASE("overrides are checked, and only Belgian rates are accepted", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  int32_t id = docs.create(DocType::invoice, "PEETERS");
  store::LineSpec seven = art("LAMP", "1");
  seven.vat_category = "S";
  seven.vat_rate = "7";
  CHECK_THROWS_WITH(docs.add_line(id, seven), Catch::Contains("7 % is not a Belgian VAT rate"));
  store::LineSpec k = art("LAMP", "1");
  k.vat_category = "K";
  CHECK_THROWS_WITH(docs.add_line(id, k), Catch::Contains("category K"));
  store::LineSpec rate = text_line("Iets", "1", "10", "99");
  CHECK_THROWS_WITH(docs.add_line(id, rate), Catch::Contains("not a Belgian rate"));
  store::LineSpec exempt = text_line("Opleiding", "1", "100", "");
  exempt.vat_category = "E";
  CHECK_THROWS_WITH(docs.add_line(id, exempt), Catch::Contains("names its exemption"));
  exempt.vat_reason = "Exempt, art. 44 Belgian VAT Code";
  auto v = docs.add_line(id, exempt);
  CHECK(vat_of(v, 0) == "E 0");
  CHECK(v.lines.at(0).line.vat_override);
  CHECK(rows(*co.c, store::Tbl::docline) == 1);  // the refused lines left nothing
}

TEST_CASE("a draft's VAT is decided again when its customer changes, and at finalization", "[app]") {
  Company co;
  store::Documents docs(*co.c);
  auto v = draft_with(docs, "PEETERS", {art("LAMP", "1")});
  CHECK(vat_of(v, 0) == "S 21");
  store::DraftChange to_bolt;
  to_bolt.party = "BOLT";
  CHECK(vat_of(docs.change(v.doc.id, to_bolt), 0) == "K 0");
  // The customer's VAT number turns out invalid (cleared) before the invoice goes out.
  store::PartyInput cleared;
  cleared.vat = "";
  store::Parties(*co.c, store::PartyKind::customer).edit("BOLT", cleared);
  auto final_v = docs.finalize(v.doc.id, shown());
  CHECK(final_v.doc.total_vat.to_string(2) == "1.46");
  CHECK_FALSE(final_v.warnings.empty());
  CHECK(vat_of(docs.show(v.doc.id), 0) == "S 21");
  // Its lines changed at the finalization: the answer asked for as shown has them as stored.
  CHECK(vat_of(final_v, 0) == "S 21");
  check_same_view(final_v, docs.show(v.doc.id));
  CHECK(store::verify(*co.c).empty());
}

TEST_CASE("input with more decimals than stored is refused in the line rules' words, and negative and zero lines too",
          "[app]") {
  // Reported: 1.0005 stored as 1.001, a 9-decimal price cut to 4; a negative invoice of -60.50.
  Company co;
  store::Documents docs(*co.c);
  int32_t id = docs.create(DocType::invoice, "PEETERS");
  CHECK_THROWS_WITH(docs.add_line(id, art("LAMP", "1.0005")), "line 1: a quantity has at most 3 decimals: 1.0005");
  CHECK_THROWS_WITH(docs.add_line(id, text_line("x", "1", "100.000000001", "21")),
                    "line 1: a unit price has at most 4 decimals: 100.000000001");
  CHECK_THROWS_WITH(docs.add_line(id, art("LAMP", "0")), Catch::Contains("the quantity is 0"));
  CHECK_THROWS_WITH(docs.add_line(id, art("LAMP", "-1")), Catch::Contains("refunds are credit notes"));
  docs.add_line(id, art("LAMP", "3"));
  CHECK(docs.add_line(id, art("LAMP", "-1")).doc.total_incl.to_string(2) == "16.82");  // a return on a line is fine
  auto v = docs.show(id);
  CHECK(v.lines.at(0).line.quantity.to_string() == "3.000");
  CHECK(docs.finalize(id).doc.total_incl.to_string(2) == "16.82");  // draft and final from the same values
}

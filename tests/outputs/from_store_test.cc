// Documents read through the store as the writers take them: the store's document, lines,
// customer, article units and the company's own data become one DocumentData that makes a
// valid e-invoice; credit notes name their invoice, invoices made from an order carry it;
// period lists hold issued documents only.
#include <catch2/catch.hpp>
#include <filesystem>

#include "outputs/from_store.h"
#include "outputs/ubl_writer.h"
#include "store/articles.h"
#include "store/company_profile.h"
#include "store/documents.h"
#include "store/parties.h"
#include "test_util.h"

using namespace invoicing;
using namespace invoicing::outputs;
using domain::DocType;
using xbase::test::TempDir;

namespace {

struct Firm {
  TempDir dir;
  std::unique_ptr<store::Company> c;

  Firm() {
    store::InitOptions o;
    o.company = "Atelier Lumière BV";
    o.vat = "BE0477472701";
    store::Company::init(dir / "firma", o);
    store::OpenOptions oo;
    oo.who = {"test", "TEST"};
    c = store::Company::open(dir / "firma", oo);
    store::CompanyProfile p = store::read_company_profile(*c);
    p.street = "Rue de l'Étang 3";
    p.postcode = "1000";
    p.city = "Bruxelles";
    p.enterprise_no = "0477472701";
    p.iban = "BE68539007547034";
    p.bic = "GKCCBEBB";
    store::write_company_profile(*c, p);
    store::PartyInput dupont;
    dupont.code = "DUPONT";
    dupont.name = "Boulangerie Dupont";
    dupont.street = "Rue Haute 4";
    dupont.zip = "4000";
    dupont.city = "Liège";
    dupont.vat = "BE0414445663";
    dupont.lang = "fr";
    dupont.terms = "15";
    store::Parties(*c, store::PartyKind::customer).add(dupont);
    store::Articles arts(*c);
    for (auto [code, unit] : {std::pair{"LAMP", "st"}, {"KABEL", "m"}, {"UREN", "u"}, {"DOOS", "doos"}}) {
      store::ArticleInput a;
      a.code = code;
      a.description = std::string("Article ") + code;
      a.unit = unit;
      a.price = "12.50";
      a.vat_rate = "21";
      arts.add(a);
    }
  }

  int32_t invoice(DocType type, int day) {
    store::Documents docs(*c);
    const int32_t id = docs.create(type, "DUPONT", xbase::Date{2026, 3, day});
    for (const char* a : {"LAMP", "KABEL", "UREN", "DOOS"}) {
      store::LineSpec l;
      l.article = a;
      l.quantity = "3";
      docs.add_line(id, l);
    }
    return id;
  }
};

}  // namespace

TEST_CASE("DocumentReader: an invoice from the store with seller, buyer, units, terms and OGM", "[outputs][store]") {
  Firm f;
  store::Documents docs(*f.c);
  const int32_t id = f.invoice(DocType::invoice, 10);
  const store::DocView fin = docs.finalize(id);
  DocumentReader r(*f.c);
  const DocumentData d = r.read(id);
  CHECK(d.type == DocType::invoice);
  CHECK(fin.label == "invoice 2026/1");
  CHECK(d.display_number == "facture 2026/1");  // in the buyer's language (DUPONT is French-speaking)
  CHECK(d.year == 2026);
  CHECK(d.number == 1);
  CHECK(d.issue_date == std::chrono::year{2026} / 3 / 10);
  CHECK(d.due_date == std::chrono::year{2026} / 3 / 25);
  CHECK(d.payment_terms == "15 jours date de facture");
  CHECK(d.payment_reference == fin.doc.ogm);
  CHECK(d.seller.name == "Atelier Lumière BV");
  CHECK(d.seller.iban == "BE68539007547034");
  CHECK(d.seller.enterprise_number == "0477472701");
  CHECK(d.buyer.name == "Boulangerie Dupont");
  CHECK(d.buyer.city == "Liège");
  CHECK(d.buyer.country == "BE");
  CHECK(d.buyer.language == "fr");
  REQUIRE(d.lines.size() == 4);
  CHECK(d.lines[0].code == "LAMP");
  CHECK(d.lines[0].unit_code == "C62");
  CHECK(d.lines[1].unit_code == "MTR");
  CHECK(d.lines[2].unit_code == "HUR");
  CHECK(d.lines[3].unit_code == "C62");  // "doos" has no UN/ECE code of its own here
  // The totals the writers print are the ones the store keeps.
  CHECK(d.totals.total_incl == fin.doc.total_incl);
  CHECK(d.totals.total_excl == fin.doc.total_excl);

  // Peppol wants a buyer or order reference; the customer gave none, so the number stands in.
  CHECK(!validate_for_ubl(d).empty());
  DocumentData for_ubl = d;
  add_buyer_reference(for_ubl);
  CHECK(for_ubl.customer_reference == d.display_number);
  CHECK(validate_for_ubl(for_ubl).empty());
  CHECK_NOTHROW(write_ubl(for_ubl));
}

TEST_CASE("DocumentReader: a credit note names its invoice, an invoice made from an order carries it", "[outputs][store]") {
  Firm f;
  store::Documents docs(*f.c);
  const int32_t inv = f.invoice(DocType::invoice, 12);
  const store::DocView fin = docs.finalize(inv);
  store::FinalizeOptions now;
  now.finalize = true;
  const int32_t crn = docs.convert(inv, DocType::credit_note, now).doc.id;
  DocumentReader r(*f.c);
  const DocumentData c = r.read(crn);
  REQUIRE(c.corrects);
  CHECK(c.corrects->display_number == store::Documents::label(fin.doc, "fr"));
  CHECK(c.corrects->number == 1);
  CHECK(c.corrects->date == std::chrono::year{2026} / 3 / 12);
  CHECK(c.payment_reference.empty());

  const int32_t ord = f.invoice(DocType::order, 14);
  const store::DocView ordv = docs.finalize(ord);
  const int32_t from_order = docs.convert(ord, DocType::invoice, now).doc.id;
  CHECK(r.read(from_order).order_reference == store::Documents::label(ordv.doc, "fr"));
}

TEST_CASE("DocumentReader: a period holds the issued documents of its types, in number order", "[outputs][store]") {
  Firm f;
  store::Documents docs(*f.c);
  const int32_t a = f.invoice(DocType::invoice, 2);
  const int32_t b = f.invoice(DocType::invoice, 20);
  const int32_t draft = f.invoice(DocType::invoice, 21);
  const int32_t gone = f.invoice(DocType::invoice, 22);
  const int32_t quote = f.invoice(DocType::quote, 5);
  docs.finalize(b);  // number 1, though made later
  store::FinalizeOptions later;
  later.redate = true;  // numbers follow dates: a takes b's date 2026-03-20 as number 2
  docs.finalize(a, later);
  docs.finalize(quote);
  docs.cancel(gone);
  DocumentReader r(*f.c);
  auto ids = [](const std::vector<store::DocView>& v) {
    std::vector<int32_t> out;
    for (const auto& x : v) out.push_back(x.doc.id);
    return out;
  };
  CHECK(ids(r.period({DocType::invoice}, {2026, 3, 1}, {2026, 3, 31})) == std::vector<int32_t>{b, a});
  CHECK(ids(r.period({DocType::invoice}, {2026, 3, 20}, {2026, 3, 20})) == std::vector<int32_t>{b, a});
  CHECK(ids(r.period({DocType::invoice}, {2026, 3, 1}, {2026, 3, 19})).empty());
  CHECK(ids(r.period({DocType::invoice, DocType::quote}, {2026, 3, 1}, {2026, 3, 31})) == std::vector<int32_t>{b, a, quote});
  CHECK(ids(r.period({DocType::invoice}, {2026, 4, 1}, {2026, 4, 30})).empty());
  (void)draft;
  CHECK_THROWS_AS(r.read(9999), store::UserError);
}

TEST_CASE("unit_code, payment_terms_text and parse_iso_date", "[outputs][store]") {
  CHECK(unit_code("pc") == "C62");
  CHECK(unit_code("Stuk") == "C62");
  CHECK(unit_code("uur") == "HUR");
  CHECK(unit_code("kg") == "KGM");
  CHECK(unit_code("m²") == "MTK");
  CHECK(unit_code("KGM") == "KGM");  // a code already
  CHECK(unit_code("XBX") == "XBX");
  CHECK(unit_code("bak") == "C62");
  CHECK(unit_code("") == "C62");
  CHECK(payment_terms_text(30, "nl") == "30 dagen na factuurdatum");
  CHECK(payment_terms_text(0, "fr") == "comptant");
  CHECK(payment_terms_text(45, "en") == "45 days after the invoice date");
  CHECK(parse_iso_date("2026-02-28").has_value());
  CHECK(!parse_iso_date("2026-02-29"));
  CHECK(!parse_iso_date("2026-2-28"));
  CHECK(!parse_iso_date("2026-02-28x"));
}

#include "sample_documents.h"

#include <fmt/format.h>

#include "domain/ogm.h"

namespace invoicing::outputs::test {

using domain::Decimal;
using domain::VatCategory;
using namespace std::chrono;

namespace {

Decimal dec(const char* text) { return *Decimal::parse(text); }

Line line(const char* code, const char* text, const char* qty, const char* unit, const char* price,
          const char* rate, VatCategory cat = VatCategory::standard, const char* discount = "0") {
  Line l;
  l.code = code;
  l.description = text;
  l.quantity = dec(qty);
  l.unit_code = unit;
  l.unit_price = dec(price);
  l.vat_rate = dec(rate);
  l.category = cat;
  l.discount_percent = dec(discount);
  return l;
}

DocumentData base(int number, VatCategory) {
  DocumentData d;
  d.type = domain::DocType::invoice;
  d.year = 2026;
  d.number = number;
  d.display_number = fmt::format("INV 2026/{:04d}", number);
  d.issue_date = year{2026} / March / 15;
  d.due_date = year{2026} / April / 14;
  d.payment_terms = "30 dagen na factuurdatum";
  d.customer_reference = fmt::format("PO-{}", 7000 + number);
  d.seller = belgian_seller();
  d.payment_reference = domain::ogm_from_number(2026000000ULL + static_cast<uint64_t>(number));
  return d;
}

}  // namespace

Party belgian_seller() {
  Party p;
  p.name = "Atelier Vandenberghe BV";
  p.address_lines = {"Kortrijksesteenweg 112"};
  p.postcode = "9000";
  p.city = "Gent";
  p.country = "BE";
  p.vat_number = "BE0123456749";
  p.enterprise_number = "0123.456.749";
  p.iban = "BE68 5390 0754 7034";
  p.bic = "GKCCBEBB";
  p.email = "facturen@vandenberghe.example";
  p.phone = "+32 9 123 45 67";
  p.language = "nl";
  return p;
}

Party brasserie_zoe() {
  Party p;
  p.name = "Brasserie Zoë & Fils SRL";
  p.address_lines = {"Rue de l'Hôpital 7", "Bâtiment B"};
  p.postcode = "4000";
  p.city = "Liège";
  p.country = "BE";
  p.vat_number = "BE0428759497";
  p.enterprise_number = "0428.759.497";
  p.language = "fr";
  return p;
}

DocumentData be_domestic_invoice() {
  DocumentData d = base(42, VatCategory::standard);
  d.buyer = brasserie_zoe();
  d.payment_terms = "30 jours date de facture";
  d.lines = {
      line("SRV-01", "Entretien de l'installation de brassage (crème & bière)", "3.5", "HUR", "65.00", "21"),
      line("ART-220", "Fûts en inox 30 l", "4", "C62", "129.95", "21", VatCategory::standard, "10"),
      line("REN-12", "Rénovation du comptoir (logement > 10 ans)", "1", "C62", "1250.00", "12"),
      line("BK-6", "Livres: « Brasser à la belge »", "2", "C62", "24.99", "6", VatCategory::standard, "5"),
      line("TRN", "Transport", "1", "C62", "45.00", "21"),
  };
  complete_totals(d);
  return d;
}

DocumentData reverse_charge_invoice() {
  DocumentData d = base(43, VatCategory::reverse_charge);
  d.buyer.name = "Bouwbedrijf De Smet NV";
  d.buyer.address_lines = {"Industrielaan 5"};
  d.buyer.postcode = "8500";
  d.buyer.city = "Kortrijk";
  d.buyer.country = "BE";
  d.buyer.vat_number = "BE0428759497";
  d.buyer.language = "nl";
  d.lines = {line("WRK", "Plaatsen van schrijnwerk, werf Kortrijk", "16", "HUR", "55.00", "0",
                  VatCategory::reverse_charge),
             line("MAT", "Materiaal schrijnwerk", "1", "C62", "2380.40", "0", VatCategory::reverse_charge)};
  complete_totals(d);
  return d;
}

DocumentData intra_eu_invoice() {
  DocumentData d = base(44, VatCategory::intra_eu);
  d.buyer.name = "Houthandel Van Dijk B.V.";
  d.buyer.address_lines = {"Havenweg 21"};
  d.buyer.postcode = "3011 AB";
  d.buyer.city = "Rotterdam";
  d.buyer.country = "NL";
  d.buyer.vat_number = "NL123456782B01";
  d.buyer.kvk = "12345678";
  d.buyer.language = "nl";
  d.delivery_date = year{2026} / March / 12;
  d.lines = {line("EIK-40", "Eiken planken 40 mm", "12.5", "MTK", "84.20", "0", VatCategory::intra_eu),
             line("ZAG", "Op maat zagen", "2", "HUR", "48.00", "0", VatCategory::intra_eu, "15")};
  complete_totals(d);
  return d;
}

DocumentData export_invoice() {
  DocumentData d = base(45, VatCategory::export_outside_eu);
  d.buyer.name = "Maple & Oak Furniture Inc.";
  d.buyer.address_lines = {"500 Market Street"};
  d.buyer.postcode = "94105";
  d.buyer.city = "San Francisco";
  d.buyer.country = "US";
  d.buyer.peppol_id = "0060:123456789";  // DUNS
  d.buyer.language = "en";
  d.payment_terms = "30 days";
  d.lines = {line("TBL-1", "Oak dining table, hand finished", "2", "C62", "1890.00", "0",
                  VatCategory::export_outside_eu),
             line("CHR-4", "Oak chairs", "8", "C62", "245.50", "0", VatCategory::export_outside_eu, "7.5")};
  complete_totals(d);
  return d;
}

DocumentData zero_rated_invoice() {
  DocumentData d = base(46, VatCategory::zero_rated);
  d.buyer = brasserie_zoe();
  d.buyer.language = "nl";
  d.lines = {line("KRT", "Dagbladen (0 %)", "30", "C62", "2.20", "0", VatCategory::zero_rated),
             line("ABO", "Abonnement weekblad", "1", "C62", "89.00", "0", VatCategory::zero_rated),
             line("TAS", "Draagtas", "3", "C62", "1.50", "21")};
  complete_totals(d);
  return d;
}

DocumentData exempt_invoice() {
  DocumentData d = base(47, VatCategory::exempt);
  d.buyer = brasserie_zoe();
  Line l = line("OPL", "Formation HACCP pour le personnel", "1", "C62", "480.00", "0", VatCategory::exempt);
  l.exemption_reason = "Exonération article 44, § 2, 4° du Code TVA (formation professionnelle)";
  l.exemption_code = "VATEX-EU-132";
  d.lines = {l};
  complete_totals(d);
  return d;
}

DocumentData credit_note() {
  DocumentData d = base(7, VatCategory::standard);
  d.type = domain::DocType::credit_note;
  d.display_number = "CRN 2026/0007";
  d.issue_date = year{2026} / March / 20;
  d.due_date.reset();
  d.payment_reference.clear();
  d.buyer = brasserie_zoe();
  CorrectedDocument c;
  c.type = domain::DocType::invoice;
  c.year = 2026;
  c.number = 42;
  c.display_number = "INV 2026/0042";
  c.date = year{2026} / March / 15;
  d.corrects = c;
  d.lines = {line("ART-220", "Fûts en inox 30 l (retour d'un fût endommagé)", "1", "C62", "129.95", "21",
                  VatCategory::standard, "10")};
  complete_totals(d);
  return d;
}

DocumentData long_invoice(int lines) {
  DocumentData d = base(48, VatCategory::standard);
  d.buyer = brasserie_zoe();
  d.buyer.language = "nl";
  static const char* const rates[] = {"21", "12", "6"};
  for (int i = 0; i < lines; ++i) {
    std::string text = fmt::format("Onderdeel {} voor de brouwinstallatie", i + 1);
    if (i % 7 == 3) text += ", inclusief montage, afstelling en een uitgebreide test van de werking ter plaatse";
    Line l = line("", "", "1", "C62", "1", rates[i % 3]);
    l.code = fmt::format("P-{:04d}", i + 1);
    l.description = text;
    l.quantity = Decimal::from_integer(1 + i % 5);
    l.unit_price = Decimal::from_cents(995 + 37 * i);
    l.discount_percent = Decimal::from_integer(i % 4 == 0 ? 5 : 0);
    d.lines.push_back(l);
  }
  complete_totals(d);
  return d;
}

}  // namespace invoicing::outputs::test

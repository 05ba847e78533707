// Peppol BIS Billing 3.0 UBL: every kind of document the program sends is valid UBL 2.1 and
// EN 16931 according to the offline CEN kit (one call for all), carries the Peppol fields the
// kit does not check, and a document that cannot be a valid e-invoice is refused with a
// message naming the document and the field.
#include <glib.h>

#include <catch2/catch.hpp>
#include <pugixml.hpp>

#include <map>

#include "outputs/layout.h"
#include "outputs/pdf_writer.h"
#include "outputs/ubl_writer.h"
#include "sample_documents.h"
#include "test_util.h"

using namespace invoicing::outputs;
namespace sample = invoicing::outputs::test;
using xbase::test::TempDir;
using invoicing::domain::Decimal;

namespace {

std::string xpath_text(const pugi::xml_document& xml, const char* path) {
  pugi::xpath_node n = xml.select_node(path);
  if (!n) return "<none>";
  return n.attribute() ? n.attribute().value() : n.node().text().get();
}

std::string problems_of(const DocumentData& doc, const std::vector<Attachment>& att = {}) {
  try {
    write_ubl(doc, att);
  } catch (const UblRefused& e) {
    return e.what();
  }
  return "(accepted)";
}

std::map<std::string, DocumentData> all_samples() {
  return {{"be-domestic", sample::be_domestic_invoice()},     {"reverse-charge", sample::reverse_charge_invoice()},
          {"intra-eu", sample::intra_eu_invoice()},           {"export", sample::export_invoice()},
          {"zero-rated", sample::zero_rated_invoice()},       {"exempt", sample::exempt_invoice()},
          {"credit-note", sample::credit_note()},             {"long-200", sample::long_invoice(200)}};
}

}  // namespace

TEST_CASE("UBL: every sample document passes the CEN EN 16931 kit, in one call", "[outputs][ubl]") {
  TempDir dir;
  std::vector<std::string> args = {"-q", "-p", "cen"};
  for (auto& [name, doc] : all_samples()) {
    const std::string pdf = write_pdf(doc, Layout{});
    const std::string xml = write_ubl(doc, {pdf_attachment(doc, pdf)});
    const auto path = dir / (name + ".xml");
    xbase::test::write_file(path, xml);
    args.push_back(path.string());
  }
  const auto kit = xbase::test::shared_dir() / "einvoice" / "validate.sh";
  const auto r = xbase::test::run_program(kit.string(), args, dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.rc != 2);  // a broken set-up (no Java, Saxon or xmllint) fails the test
  CHECK(r.rc == 0);
  for (size_t i = 3; i < args.size(); ++i) {
    CHECK(r.out.find("RESULT: PASS " + args[i]) != std::string::npos);
  }
}

TEST_CASE("UBL: Peppol header, endpoints, payment and references", "[outputs][ubl]") {
  const DocumentData doc = sample::be_domestic_invoice();
  const std::string pdf = write_pdf(doc, Layout{});
  pugi::xml_document xml;
  REQUIRE(xml.load_string(write_ubl(doc, {pdf_attachment(doc, pdf)}).c_str()));
  CHECK(xpath_text(xml, "/Invoice/cbc:CustomizationID") == kPeppolCustomizationId);
  CHECK(xpath_text(xml, "/Invoice/cbc:ProfileID") == kPeppolProfileId);
  CHECK(xpath_text(xml, "/Invoice/cbc:InvoiceTypeCode") == "380");
  CHECK(xpath_text(xml, "/Invoice/cbc:IssueDate") == "2026-03-15");  // no time zone
  CHECK(xpath_text(xml, "/Invoice/cbc:BuyerReference") == doc.customer_reference);
  CHECK(xpath_text(xml, "//cac:AccountingSupplierParty//cbc:EndpointID") == "0123456749");
  CHECK(xpath_text(xml, "//cac:AccountingSupplierParty//cbc:EndpointID/@schemeID") == "0208");
  CHECK(xpath_text(xml, "//cac:AccountingCustomerParty//cbc:EndpointID") == "0428759497");
  CHECK(xpath_text(xml, "//cac:AccountingCustomerParty//cbc:RegistrationName") == "Brasserie Zoë & Fils SRL");
  CHECK(xpath_text(xml, "//cac:PaymentMeans/cbc:PaymentMeansCode") == "58");
  CHECK(xpath_text(xml, "//cac:PaymentMeans/cbc:PaymentID") == doc.payment_reference);
  CHECK(xpath_text(xml, "//cac:PayeeFinancialAccount/cbc:ID") == "BE68539007547034");
  CHECK(xpath_text(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == doc.totals.total_incl.to_string(2));
  CHECK(xpath_text(xml, "/Invoice/cac:TaxTotal/cbc:TaxAmount") == doc.totals.total_vat.to_string(2));
  CHECK(xml.select_nodes("//cac:TaxSubtotal").size() == 3);  // 21, 12 and 6 %
  CHECK(xml.select_nodes("//cac:InvoiceLine").size() == doc.lines.size());
  // The embedded PDF is the PDF, byte for byte.
  CHECK(xpath_text(xml, "//cbc:EmbeddedDocumentBinaryObject/@mimeCode") == "application/pdf");
  CHECK(xpath_text(xml, "//cbc:EmbeddedDocumentBinaryObject/@filename") == "invoice-2026-0042.pdf");
  gsize len = 0;
  guchar* raw = g_base64_decode(xpath_text(xml, "//cbc:EmbeddedDocumentBinaryObject").c_str(), &len);
  CHECK(std::string(reinterpret_cast<char*>(raw), len) == pdf);
  g_free(raw);
  // A line discount is a line allowance with its percentage and base.
  CHECK(xpath_text(xml, "/Invoice/cac:InvoiceLine[2]/cac:AllowanceCharge/cbc:MultiplierFactorNumeric") == "10");
  CHECK(xpath_text(xml, "/Invoice/cac:InvoiceLine[2]/cac:AllowanceCharge/cbc:Amount") ==
        doc.totals.line_discount[1].to_string(2));
}

TEST_CASE("UBL: categories carry their exemption reasons, endpoints their schemes", "[outputs][ubl]") {
  pugi::xml_document rc, ic, ex, cn;
  REQUIRE(rc.load_string(write_ubl(sample::reverse_charge_invoice()).c_str()));
  CHECK(xpath_text(rc, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == "AE");
  CHECK(xpath_text(rc, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-AE");
  CHECK(xpath_text(rc, "//cac:AccountingCustomerParty//cbc:EndpointID/@schemeID") == "9925");
  CHECK(xpath_text(rc, "//cac:AccountingCustomerParty//cbc:EndpointID") == "BE0428759497");

  REQUIRE(ic.load_string(write_ubl(sample::intra_eu_invoice()).c_str()));
  CHECK(xpath_text(ic, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-IC");
  CHECK(xpath_text(ic, "//cac:AccountingCustomerParty//cbc:EndpointID/@schemeID") == "0106");
  CHECK(xpath_text(ic, "//cac:Delivery/cbc:ActualDeliveryDate") == "2026-03-12");
  CHECK(xpath_text(ic, "//cac:Delivery//cac:Country/cbc:IdentificationCode") == "NL");

  REQUIRE(ex.load_string(write_ubl(sample::exempt_invoice()).c_str()));
  CHECK(xpath_text(ex, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason") ==
        sample::exempt_invoice().lines[0].exemption_reason);

  const DocumentData credit = sample::credit_note();
  REQUIRE(cn.load_string(write_ubl(credit).c_str()));
  CHECK(xpath_text(cn, "/CreditNote/cbc:CreditNoteTypeCode") == "381");
  CHECK(xpath_text(cn, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "INV 2026/0042");
  CHECK(xpath_text(cn, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate") == "2026-03-15");
  CHECK(xpath_text(cn, "//cac:CreditNoteLine/cbc:CreditedQuantity") == "1");
  CHECK(xpath_text(cn, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == credit.totals.total_incl.to_string(2));
}

TEST_CASE("UBL: text is escaped and control characters never reach the XML", "[outputs][ubl]") {
  DocumentData doc = sample::be_domestic_invoice();
  doc.lines[0].description = "<b>Bier & \"wijn\"</b>\x01 ok";
  doc.customer_reference = "R&D <2026>";
  pugi::xml_document xml;
  const std::string text = write_ubl(doc);
  CHECK(text.find('\x01') == std::string::npos);
  REQUIRE(xml.load_string(text.c_str()));
  CHECK(xpath_text(xml, "/Invoice/cac:InvoiceLine[1]/cac:Item/cbc:Name") == "<b>Bier & \"wijn\"</b> ok");
  CHECK(xpath_text(xml, "/Invoice/cbc:BuyerReference") == "R&D <2026>");
}

TEST_CASE("UBL: a document that cannot be a valid e-invoice is refused, naming the field", "[outputs][ubl]") {
  SECTION("a buyer without a country") {
    DocumentData d = sample::be_domestic_invoice();
    d.buyer.country.clear();
    const std::string msg = problems_of(d);
    CHECK_THAT(msg, Catch::Contains("INV 2026/0042: buyer.country: missing"));
  }
  SECTION("a buyer VAT number that fails its check") {
    DocumentData d = sample::reverse_charge_invoice();
    d.buyer.vat_number = "BE0428759498";
    CHECK_THAT(problems_of(d), Catch::Contains("INV 2026/0043: buyer.vat_number: BE0428759498 is not a valid VAT number"));
  }
  SECTION("reverse charge to a buyer without a VAT number") {
    DocumentData d = sample::reverse_charge_invoice();
    d.buyer.vat_number.clear();
    d.buyer.enterprise_number = "0428.759.497";
    CHECK_THAT(problems_of(d), Catch::Contains("buyer.vat_number: missing (BT-48)"));
  }
  SECTION("an exempt line without a reason") {
    DocumentData d = sample::exempt_invoice();
    d.lines[0].exemption_reason.clear();
    d.lines[0].exemption_code.clear();
    CHECK_THAT(problems_of(d), Catch::Contains("lines[1].exemption_reason: an exempt line must say why"));
  }
  SECTION("a buyer without a Peppol endpoint") {
    DocumentData d = sample::export_invoice();
    d.buyer.peppol_id.clear();
    CHECK_THAT(problems_of(d), Catch::Contains("INV 2026/0045: buyer.peppol_id: no Peppol endpoint"));
  }
  SECTION("an enterprise number endpoint that fails mod 97 (0208)") {
    DocumentData d = sample::be_domestic_invoice();
    d.buyer.peppol_id = "0208:0428759498";
    CHECK_THAT(problems_of(d), Catch::Contains("buyer.peppol_id: enterprise number 0428759498 fails its mod-97 check"));
  }
  SECTION("an invoice with a negative total") {
    DocumentData d = sample::be_domestic_invoice();
    for (auto& l : d.lines) l.quantity = -l.quantity;
    complete_totals(d);
    CHECK_THAT(problems_of(d), Catch::Contains("totals: an invoice with a negative total"));
  }
  SECTION("neither a buyer reference nor an order reference") {
    DocumentData d = sample::be_domestic_invoice();
    d.customer_reference.clear();
    CHECK_THAT(problems_of(d), Catch::Contains("customer_reference: a buyer reference or an order reference is required"));
  }
  SECTION("a credit note that names no invoice") {
    DocumentData d = sample::credit_note();
    d.corrects.reset();
    CHECK_THAT(problems_of(d), Catch::Contains("CRN 2026/0007: corrects: a credit note must name the invoice"));
  }
  SECTION("an attachment of a type Peppol does not take") {
    DocumentData d = sample::be_domestic_invoice();
    Attachment a = pdf_attachment(d, "%PDF-1.5");
    a.mime_type = "application/x-pdf";
    CHECK_THAT(problems_of(d, {a}), Catch::Contains("attachments[1].mime_type: 'application/x-pdf' is not allowed"));
  }
  SECTION("totals that were not computed from the lines") {
    DocumentData d = sample::be_domestic_invoice();
    d.lines[0].quantity = Decimal::from_integer(9);
    CHECK_THAT(problems_of(d), Catch::Contains("totals: do not match the lines"));
  }
  SECTION("a quote") {
    DocumentData d = sample::be_domestic_invoice();
    d.type = invoicing::domain::DocType::quote;
    CHECK_THAT(problems_of(d), Catch::Contains("type: a quote cannot be an e-invoice"));
  }
}

TEST_CASE("UBL: validate_for_ubl reports every problem at once", "[outputs][ubl]") {
  DocumentData d = sample::be_domestic_invoice();
  d.buyer.country.clear();
  d.seller.iban = "BE68 5390 0754 7035";
  d.customer_reference.clear();
  const auto problems = validate_for_ubl(d);
  std::vector<std::string> fields;
  for (const auto& p : problems) fields.push_back(p.field);
  CHECK(std::count(fields.begin(), fields.end(), "buyer.country") == 1);
  CHECK(std::count(fields.begin(), fields.end(), "seller.iban") == 1);
  CHECK(std::count(fields.begin(), fields.end(), "customer_reference") == 1);
  CHECK(validate_for_ubl(sample::be_domestic_invoice()).empty());
}

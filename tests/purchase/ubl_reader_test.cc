// The UBL reader on the 18 CEN example invoices (read in place from ../shared/einvoice) and on
// files an attacker or a broken supplier program sends: each refusal names what it found.
#include "purchase/ubl_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using invoicing::purchase::read_ubl;
using invoicing::purchase::UblError;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  REQUIRE(in);
  return s.str();
}

const fs::path kCen = fs::path(EINVOICE_TESTDATA) / "en16931-1.3.16";

std::string refusal(const std::string& bytes) {
  try {
    read_ubl(bytes, "in.xml");
  } catch (const UblError& e) {
    return e.what();
  }
  FAIL("accepted: " << bytes.substr(0, 200));
  return {};
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE(
    "UBL reader: the 18 CEN example invoices and credit notes are read with their lines and totals",
    "[delivery]") {
  int n = 0;
  for (const auto& e : fs::directory_iterator(kCen)) {
    INFO(e.path().filename().string());
    const auto d = read_ubl(slurp(e.path()), e.path().filename().string());
    CHECK(!d.number.empty());
    CHECK(!d.lines.empty());
    CHECK(!d.supplier.name.empty());
    CHECK(!d.buyer.name.empty());
    ++n;
  }
  CHECK(n == 18);

  const auto cn = read_ubl(slurp(kCen / "ubl-tc434-creditnote1.xml"), "cn.xml");
  CHECK(cn.credit_note);
  CHECK(cn.number == "018304 / 28865");
  CHECK(cn.currency == "EUR");
  CHECK(cn.supplier.vat == "BE0000000196");
  CHECK(cn.buyer.endpoint == "0000000295");
  CHECK(cn.buyer.endpoint_scheme == "0201");
  REQUIRE(cn.lines.size() == 1);
  CHECK(cn.lines[0].category == "E");
  CHECK(cn.lines[0].exemption_reason == "Taxes are not applicable");  // from the VAT breakdown
  CHECK(cn.lines[0].quantity.to_string() == "-1.00");  // a credit note's lines count negative
  CHECK(cn.payable.to_string() == "-100.11");
  CHECK(cn.iban == "BE91000000143476");

  // The one with an embedded attachment keeps it only when it is a PDF.
  const auto ex5 = read_ubl(slurp(kCen / "ubl-tc434-example5.xml"), "ex5.xml");
  CHECK(ex5.lines.size() >= 2);
}

TEST_CASE("UBL reader: an embedded PDF is decoded from base64", "[delivery]") {
  std::string bytes = slurp(kCen / "ubl-tc434-creditnote1.xml");
  bytes =
      replaced(bytes, "\t<cac:AccountingSupplierParty>",
               "\t<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cac:Attachment>"
               "<cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\" filename=\"cn.pdf\">"
               "JVBERi0xLjQK\nJSVFT0YK</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>"
               "</cac:AdditionalDocumentReference>\n\t<cac:AccountingSupplierParty>");
  const auto d = read_ubl(bytes, "cn.xml");
  CHECK(d.pdf == "%PDF-1.4\n%%EOF\n");
  CHECK(d.pdf_name == "cn.pdf");
  CHECK_THAT(
      refusal(replaced(bytes, "JVBERi0xLjQK", "JVBERi0x*jQK")),
      Catch::Contains("EmbeddedDocumentBinaryObject") && Catch::Contains("not valid base64"));
}

TEST_CASE(
    "UBL reader: refused before parsing: a DOCTYPE (XML bomb, external entity) and a file over 20 "
    "MB",
    "[delivery]") {
  const std::string laughs =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\n"
      "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&lol3;</Invoice>";
  CHECK_THAT(refusal(laughs), Catch::Contains("DOCTYPE") && Catch::Contains("entity expansion"));
  const std::string xxe =
      "<?xml version=\"1.0\"?><!doctype Invoice [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&x;</Invoice>";
  CHECK_THAT(refusal(xxe), Catch::Contains("DOCTYPE") && Catch::Contains("external entities"));
  std::string big = slurp(kCen / "ubl-tc434-example1.xml");
  big += std::string(invoicing::purchase::kMaxUblBytes, ' ');
  CHECK_THAT(refusal(big), Catch::Contains("more than the 20 MB"));
}

TEST_CASE(
    "UBL reader: refused: not well-formed, another root element, another namespace, customization "
    "or profile",
    "[delivery]") {
  const std::string good = slurp(kCen / "BIS3_Invoice_positive.XML");
  CHECK_THAT(refusal(good.substr(0, good.size() / 2)),
             Catch::Contains("not well-formed XML (line "));
  CHECK_THAT(refusal("<?xml version=\"1.0\"?><Document "
                     "xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"/>"),
             Catch::Contains("the root element is <Document>: not a UBL Invoice or CreditNote"));
  CHECK_THAT(refusal(replaced(good, "xsd:Invoice-2\"", "xsd:Order-2\"")),
             Catch::Contains("namespace \"urn:oasis:names:specification:ubl:schema:xsd:Order-2\""));
  CHECK_THAT(refusal(replaced(good, "urn:cen.eu:en16931:2017#compliant",
                              "urn:www.cenbii.eu:transaction:biitrns010")),
             Catch::Contains("CustomizationID is \"urn:www.cenbii.eu:transaction:biitrns010"));
  CHECK_THAT(
      refusal(replaced(good, "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", "urn:example:profile")),
      Catch::Contains("ProfileID is \"urn:example:profile\""));
}

TEST_CASE(
    "UBL reader: refused naming the element: missing or malformed dates, quantities, VAT, amounts "
    "in another currency",
    "[delivery]") {
  const std::string good = slurp(kCen / "BIS3_Invoice_positive.XML");
  CHECK_THAT(refusal(replaced(good, "<cbc:IssueDate>2019-01-25", "<cbc:IssueDate>25-01-2019")),
             Catch::Contains("IssueDate (line") && Catch::Contains("\"25-01-2019\""));
  CHECK_THAT(refusal(replaced(good, "<cbc:InvoicedQuantity unitCode=\"KWH\">1</",
                              "<cbc:InvoicedQuantity unitCode=\"KWH\">one</")),
             Catch::Contains("InvoiceLine 1") && Catch::Contains("InvoicedQuantity"));
  CHECK_THAT(refusal(replaced(good, "<cbc:TaxInclusiveAmount currencyID=\"DKK\">",
                              "<cbc:TaxInclusiveAmount currencyID=\"EUR\">")),
             Catch::Contains("LegalMonetaryTotal/TaxInclusiveAmount") &&
                 Catch::Contains("is in EUR, the document in DKK"));
  const std::string cn = slurp(kCen / "ubl-tc434-creditnote1.xml");
  const std::string no_rate = cn.substr(0, cn.find("<cac:ClassifiedTaxCategory>")) +
                              replaced(cn.substr(cn.find("<cac:ClassifiedTaxCategory>")),
                                       "<cbc:Percent>0.00</cbc:Percent>", "");
  CHECK_THAT(refusal(no_rate), Catch::Contains("CreditNoteLine 1") &&
                                   Catch::Contains("Percent (the VAT rate) is missing"));
  CHECK_THAT(refusal(replaced(cn, "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", "")),
             Catch::Contains("DocumentCurrencyCode is missing"));
}

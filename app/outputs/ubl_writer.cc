#include "outputs/ubl_writer.h"

#include <glib.h>
#include <pugixml.hpp>

#include <fmt/format.h>

#include "domain/vat_number.h"
#include "outputs/labels.h"
#include "outputs/text_clean.h"

namespace invoicing::outputs {

namespace {

using domain::Decimal;
using domain::VatCategory;

// Appends <cbc:NAME>text</cbc:NAME>, and nothing for an empty text: Peppol forbids empty
// elements (PEPPOL-EN16931-R008).
pugi::xml_node cbc(pugi::xml_node parent, const char* name, const std::string& text) {
  if (text.empty()) return {};
  pugi::xml_node n = parent.append_child(name);
  n.text().set(clean_text(text).c_str());
  return n;
}

pugi::xml_node amount(pugi::xml_node parent, const char* name, const Decimal& value,
                      const std::string& currency) {
  pugi::xml_node n = cbc(parent, name, value.round(2).to_string());
  n.append_attribute("currencyID").set_value(currency.c_str());
  return n;
}

// A percentage as EN 16931 writes it: no trailing zeros needed, "21", "5.5".
std::string percent_text(const Decimal& d) {
  std::string s = d.to_string();
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

void tax_scheme(pugi::xml_node parent) {
  parent.append_child("cac:TaxScheme").append_child("cbc:ID").text().set("VAT");
}

void party(pugi::xml_node parent, const char* role, const Party& p) {
  pugi::xml_node party = parent.append_child(role).append_child("cac:Party");
  if (auto ep = peppol_endpoint(p)) {
    pugi::xml_node n = cbc(party, "cbc:EndpointID", ep->value);
    n.append_attribute("schemeID").set_value(ep->scheme.c_str());
  }
  cbc(party.append_child("cac:PartyName"), "cbc:Name", p.name);

  pugi::xml_node addr = party.append_child("cac:PostalAddress");
  if (p.address_lines.size() > 0) cbc(addr, "cbc:StreetName", p.address_lines[0]);
  if (p.address_lines.size() > 1) cbc(addr, "cbc:AdditionalStreetName", p.address_lines[1]);
  cbc(addr, "cbc:CityName", p.city);
  cbc(addr, "cbc:PostalZone", p.postcode);
  if (p.address_lines.size() > 2) {
    std::string rest;
    for (size_t i = 2; i < p.address_lines.size(); ++i) {
      rest += (rest.empty() ? "" : ", ") + p.address_lines[i];
    }
    cbc(addr.append_child("cac:AddressLine"), "cbc:Line", rest);
  }
  addr.append_child("cac:Country").append_child("cbc:IdentificationCode").text().set(p.country.c_str());

  if (!p.vat_number.empty()) {
    pugi::xml_node tax = party.append_child("cac:PartyTaxScheme");
    cbc(tax, "cbc:CompanyID", domain::check_vat_number(p.vat_number).normalized);
    tax_scheme(tax);
  }
  pugi::xml_node legal = party.append_child("cac:PartyLegalEntity");
  cbc(legal, "cbc:RegistrationName", p.name);
  if (auto reg = legal_registration(p)) {
    cbc(legal, "cbc:CompanyID", reg->value).append_attribute("schemeID").set_value(reg->scheme.c_str());
  }
  if (!p.email.empty() || !p.phone.empty()) {
    pugi::xml_node contact = party.append_child("cac:Contact");
    cbc(contact, "cbc:Telephone", p.phone);
    cbc(contact, "cbc:ElectronicMail", p.email);
  }
}

void tax_category(pugi::xml_node cat, const DocumentData& doc, VatCategory category,
                  const Decimal& rate, bool with_reason) {
  cbc(cat, "cbc:ID", domain::code(category));
  cbc(cat, "cbc:Percent", percent_text(rate));
  if (with_reason) {
    ExemptionReason r = exemption_reason(doc, category);
    cbc(cat, "cbc:TaxExemptionReasonCode", r.code);
    cbc(cat, "cbc:TaxExemptionReason", r.text);
  }
  tax_scheme(cat);
}

std::string first_line(const std::string& text) {
  auto nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

std::string base64(const std::string& bytes) {
  gchar* b64 = g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
  std::string r(b64);
  g_free(b64);
  return r;
}

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

}  // namespace

Attachment pdf_attachment(const DocumentData& doc, std::string pdf_bytes) {
  const std::string number = display_number(doc);
  return {number, document_title(doc, document_language(doc)),
          document_file_stem(doc) + ".pdf", "application/pdf", std::move(pdf_bytes)};
}

std::string write_ubl(const DocumentData& doc, const std::vector<Attachment>& attachments) {
  std::vector<UblProblem> problems = validate_for_ubl(doc, attachments);
  if (!problems.empty()) throw UblRefused(std::move(problems));

  const bool credit = doc.type == domain::DocType::credit_note;
  const std::string& cur = doc.currency;
  pugi::xml_document xml;
  pugi::xml_node decl = xml.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = xml.append_child(credit ? "CreditNote" : "Invoice");
  root.append_attribute("xmlns") =
      credit ? "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
             : "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
  root.append_attribute("xmlns:cac") =
      "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
  root.append_attribute("xmlns:cbc") =
      "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

  cbc(root, "cbc:CustomizationID", kPeppolCustomizationId);
  cbc(root, "cbc:ProfileID", kPeppolProfileId);
  cbc(root, "cbc:ID", display_number(doc));
  cbc(root, "cbc:IssueDate", iso_date(doc.issue_date));
  if (!credit && doc.due_date) cbc(root, "cbc:DueDate", iso_date(*doc.due_date));
  cbc(root, credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", credit ? "381" : "380");
  cbc(root, "cbc:DocumentCurrencyCode", cur);
  cbc(root, "cbc:BuyerReference", doc.customer_reference);
  if (!doc.order_reference.empty()) {
    cbc(root.append_child("cac:OrderReference"), "cbc:ID", doc.order_reference);
  }
  if (credit && doc.corrects) {
    pugi::xml_node ref = root.append_child("cac:BillingReference").append_child("cac:InvoiceDocumentReference");
    const CorrectedDocument& c = *doc.corrects;
    cbc(ref, "cbc:ID", c.display_number.empty()
                           ? fmt::format("{} {}/{:04d}", domain::doc_type_code(c.type), c.year, c.number)
                           : c.display_number);
    cbc(ref, "cbc:IssueDate", iso_date(c.date));
  }
  for (const Attachment& a : attachments) {
    pugi::xml_node ref = root.append_child("cac:AdditionalDocumentReference");
    cbc(ref, "cbc:ID", a.id);
    cbc(ref, "cbc:DocumentDescription", a.description);
    pugi::xml_node bin = cbc(ref.append_child("cac:Attachment"), "cbc:EmbeddedDocumentBinaryObject",
                             base64(a.bytes));
    bin.append_attribute("mimeCode") = a.mime_type.c_str();
    bin.append_attribute("filename") = clean_text(a.filename).c_str();
  }
  party(root, "cac:AccountingSupplierParty", doc.seller);
  party(root, "cac:AccountingCustomerParty", doc.buyer);

  bool intra_eu = false;
  for (const auto& b : doc.totals.breakdown) intra_eu |= b.category == VatCategory::intra_eu;
  if (intra_eu || doc.delivery_date) {
    // BR-IC-11 and BR-IC-12: an intra-community supply names the delivery date and country.
    pugi::xml_node del = root.append_child("cac:Delivery");
    cbc(del, "cbc:ActualDeliveryDate", iso_date(doc.delivery_date.value_or(doc.issue_date)));
    del.append_child("cac:DeliveryLocation").append_child("cac:Address").append_child("cac:Country")
        .append_child("cbc:IdentificationCode").text().set(doc.buyer.country.c_str());
  }
  if (!credit && !doc.seller.iban.empty()) {
    pugi::xml_node pm = root.append_child("cac:PaymentMeans");
    cbc(pm, "cbc:PaymentMeansCode", "58");  // SEPA credit transfer
    cbc(pm, "cbc:PaymentID", doc.payment_reference);
    pugi::xml_node acc = pm.append_child("cac:PayeeFinancialAccount");
    cbc(acc, "cbc:ID", normalized_iban(doc.seller.iban));
    cbc(acc, "cbc:Name", doc.seller.name);
    if (!doc.seller.bic.empty()) cbc(acc.append_child("cac:FinancialInstitutionBranch"), "cbc:ID", doc.seller.bic);
  }
  if (!doc.payment_terms.empty()) cbc(root.append_child("cac:PaymentTerms"), "cbc:Note", doc.payment_terms);

  pugi::xml_node tax_total = root.append_child("cac:TaxTotal");
  amount(tax_total, "cbc:TaxAmount", doc.totals.total_vat, cur);
  for (const auto& b : doc.totals.breakdown) {
    pugi::xml_node sub = tax_total.append_child("cac:TaxSubtotal");
    amount(sub, "cbc:TaxableAmount", b.base, cur);
    amount(sub, "cbc:TaxAmount", b.vat, cur);
    tax_category(sub.append_child("cac:TaxCategory"), doc, b.category, b.rate, true);
  }
  pugi::xml_node money = root.append_child("cac:LegalMonetaryTotal");
  amount(money, "cbc:LineExtensionAmount", doc.totals.total_excl, cur);
  amount(money, "cbc:TaxExclusiveAmount", doc.totals.total_excl, cur);
  amount(money, "cbc:TaxInclusiveAmount", doc.totals.total_incl, cur);
  amount(money, "cbc:PayableAmount", doc.totals.total_incl, cur);

  for (size_t i = 0; i < doc.lines.size(); ++i) {
    const Line& l = doc.lines[i];
    pugi::xml_node line = root.append_child(credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
    cbc(line, "cbc:ID", std::to_string(i + 1));
    cbc(line, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", l.quantity.to_string())
        .append_attribute("unitCode") = l.unit_code.c_str();
    amount(line, "cbc:LineExtensionAmount", l.net, cur);
    if (!l.discount_percent.is_zero()) {
      pugi::xml_node ac = line.append_child("cac:AllowanceCharge");
      cbc(ac, "cbc:ChargeIndicator", "false");
      cbc(ac, "cbc:AllowanceChargeReasonCode", "95");  // UNCL5189: discount
      cbc(ac, "cbc:AllowanceChargeReason", "Discount");
      const Decimal gross = l.quantity * l.unit_price;
      const bool base_exact = gross.round(2) == gross;
      if (base_exact) cbc(ac, "cbc:MultiplierFactorNumeric", percent_text(l.discount_percent));
      amount(ac, "cbc:Amount", doc.totals.line_discount.at(i), cur);
      if (base_exact) amount(ac, "cbc:BaseAmount", gross, cur);
    }
    pugi::xml_node item = line.append_child("cac:Item");
    const std::string name = first_line(l.description);
    if (name != l.description) cbc(item, "cbc:Description", l.description);
    cbc(item, "cbc:Name", name);
    if (!l.code.empty()) cbc(item.append_child("cac:SellersItemIdentification"), "cbc:ID", l.code);
    tax_category(item.append_child("cac:ClassifiedTaxCategory"), doc, l.category, l.vat_rate, false);
    pugi::xml_node price = line.append_child("cac:Price");
    amount(price, "cbc:PriceAmount", l.unit_price, cur).text().set(l.unit_price.to_string().c_str());
  }

  StringWriter w;
  w.out.reserve(4096 + doc.lines.size() * 900 +
                (attachments.empty() ? 0 : attachments[0].bytes.size() * 4 / 3));
  xml.save(w, "  ", pugi::format_default, pugi::encoding_utf8);
  return std::move(w.out);
}

}  // namespace invoicing::outputs

#include "purchase/ubl_reader.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <pugixml.hpp>

// Element names are compared without their prefix (suppliers' software writes cbc:, cac: or
// its own prefixes); the root's namespace is checked once. Paths follow UBL 2.1 as EN 16931
// binds it (BT numbers in the comments where they help).

namespace invoicing::purchase {

namespace {

using domain::Decimal;

constexpr std::string_view kInvoiceNs = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
constexpr std::string_view kCreditNoteNs =
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
constexpr std::string_view kEn16931 = "urn:cen.eu:en16931:2017";
constexpr std::string_view kPeppolBilling = "urn:fdc:peppol.eu:2017:poacc:billing:3.0";
constexpr std::string_view kPeppolProfile = "urn:fdc:peppol.eu:2017:poacc:billing:";

const char* local(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}

pugi::xml_node child(pugi::xml_node n, const char* name) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && std::strcmp(local(c.name()), name) == 0) return c;
  return {};
}

std::vector<pugi::xml_node> children(pugi::xml_node n, const char* name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && std::strcmp(local(c.name()), name) == 0) out.push_back(c);
  return out;
}

// child(child(n, a), b) ... along a '/'-separated path.
pugi::xml_node at(pugi::xml_node n, std::string_view p) {
  size_t start = 0;
  while (n) {
    const size_t slash = p.find('/', start);
    const std::string part(
        p.substr(start, slash == std::string_view::npos ? p.npos : slash - start));
    n = child(n, part.c_str());
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return n;
}

std::string trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string text(pugi::xml_node n) { return n ? trim(n.child_value()) : std::string(); }

// A name as one line: runs of blanks and line breaks (a name wrapped in the XML) become one space.
std::string one_line(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const bool blank = ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out += blank ? ' ' : ch;
  }
  return out;
}

bool contains_nocase(std::string_view hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         }) != hay.end();
}

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw UblError(fmt::format("{}: {}", name_, what));
  }

  size_t line_of(pugi::xml_node n) const {
    const ptrdiff_t offset = n.offset_debug();
    if (offset < 0) return 0;
    return 1 + size_t(std::count(bytes_.begin(),
                                 bytes_.begin() + std::min<size_t>(size_t(offset), bytes_.size()),
                                 '\n'));
  }

  std::string required(pugi::xml_node parent, std::string_view path,
                       const std::string& where) const {
    const std::string t = text(at(parent, path));
    if (t.empty()) fail(fmt::format("{} is missing ({})", path, where));
    return t;
  }

  Decimal amount(pugi::xml_node n, const std::string& what, bool need = true) const {
    if (!n) {
      if (need) fail(fmt::format("{} is missing", what));
      return Decimal();
    }
    const std::string t = text(n);
    const auto d = Decimal::parse(t);
    if (!d || t.empty())
      fail(fmt::format("{} (line {}) is not an amount: \"{}\"", what, line_of(n), t));
    const char* cur = n.attribute("currencyID").value();
    if (*cur && !currency_.empty() && currency_ != cur)
      fail(fmt::format("{} (line {}) is in {}, the document in {} (DocumentCurrencyCode)", what,
                       line_of(n), cur, currency_));
    return *d;
  }

  // A VAT rate: 0 when absent (categories other than S carry none).
  Decimal percent(pugi::xml_node n, const std::string& what) const {
    if (!n) return Decimal();
    const auto r = Decimal::parse(text(n));
    if (!r) fail(fmt::format("{} is not a number (\"{}\")", what, text(n)));
    return *r;
  }

  domain::Date date(pugi::xml_node n, const std::string& what) const {
    const std::string t = text(n);
    const auto d = domain::parse_iso_date(t);
    if (!d || t.size() != 10)
      fail(fmt::format("{} (line {}) is not a date YYYY-MM-DD: \"{}\"", what, line_of(n), t));
    return *d;
  }

  UblParty party(pugi::xml_node p, const char* what) const {
    if (!p) fail(fmt::format("{}/Party is missing", what));
    UblParty out;
    out.name = text(at(p, "PartyLegalEntity/RegistrationName"));
    if (out.name.empty()) out.name = text(at(p, "PartyName/Name"));
    out.name = one_line(out.name);
    if (out.name.empty())
      fail(fmt::format("{}: the party has no name (PartyLegalEntity/RegistrationName)", what));
    for (pugi::xml_node s : children(p, "PartyTaxScheme"))
      if (text(at(s, "TaxScheme/ID")) == "VAT" && out.vat.empty())
        out.vat = text(child(s, "CompanyID"));
    out.legal_id = text(at(p, "PartyLegalEntity/CompanyID"));
    const pugi::xml_node ep = child(p, "EndpointID");
    out.endpoint = text(ep);
    out.endpoint_scheme = trim(ep.attribute("schemeID").value());
    out.street = text(at(p, "PostalAddress/StreetName"));
    out.zip = text(at(p, "PostalAddress/PostalZone"));
    out.city = text(at(p, "PostalAddress/CityName"));
    out.country = text(at(p, "PostalAddress/Country/IdentificationCode"));
    return out;
  }

  UblDocument read() {
    if (bytes_.size() > kMaxUblBytes)
      fail(fmt::format("{} bytes: more than the {} MB an e-invoice may have", bytes_.size(),
                       kMaxUblBytes >> 20));
    // No DTD at all: entity expansion (an XML bomb) and external entities come in through it.
    if (contains_nocase(bytes_, "<!DOCTYPE"))
      fail(
          "it declares a DOCTYPE: refused (entity expansion and external entities come in that "
          "way; UBL has no DTD)");
    if (contains_nocase(bytes_, "<!ENTITY"))
      fail("it declares an ENTITY: refused (UBL has no entities)");

    pugi::xml_document xml;
    const auto parsed =
        xml.load_buffer(bytes_.data(), bytes_.size(), pugi::parse_default & ~pugi::parse_doctype);
    if (!parsed) {
      size_t line = 1;
      for (ptrdiff_t i = 0; i < parsed.offset && size_t(i) < bytes_.size(); ++i)
        if (bytes_[size_t(i)] == '\n') ++line;
      fail(fmt::format("not well-formed XML (line {}: {})", line, parsed.description()));
    }
    const pugi::xml_node root = xml.document_element();
    if (!root) fail("no root element");
    const std::string root_name = local(root.name());
    UblDocument d;
    if (root_name != "Invoice" && root_name != "CreditNote")
      fail(fmt::format("the root element is <{}>: not a UBL Invoice or CreditNote", root.name()));
    d.credit_note = root_name == "CreditNote";
    const std::string prefix(root.name(), std::strlen(root.name()) - root_name.size());
    const std::string ns_attr =
        prefix.empty() ? "xmlns" : "xmlns:" + prefix.substr(0, prefix.size() - 1);
    const std::string ns = root.attribute(ns_attr.c_str()).value();
    if (ns != (d.credit_note ? kCreditNoteNs : kInvoiceNs))
      fail(fmt::format("<{}> is in namespace \"{}\", not UBL 2.1's {}", root_name, ns,
                       d.credit_note ? kCreditNoteNs : kInvoiceNs));

    d.customization = text(child(root, "CustomizationID"));
    const std::string_view cust = d.customization;
    if (cust.substr(0, kEn16931.size()) != kEn16931 ||
        (cust.size() > kEn16931.size() && cust[kEn16931.size()] != '#'))
      fail(fmt::format("CustomizationID is \"{}\": not EN 16931 or Peppol BIS Billing 3.0 ({}...)",
                       d.customization, kEn16931));
    d.profile = text(child(root, "ProfileID"));
    if (cust.find(kPeppolBilling) != std::string_view::npos &&
        d.profile.compare(0, kPeppolProfile.size(), kPeppolProfile) != 0)
      fail(fmt::format("ProfileID is \"{}\": a Peppol BIS Billing 3.0 document has {}01:1.0",
                       d.profile, kPeppolProfile));

    d.number = required(root, "ID", "the invoice number, BT-1");
    d.issue_date = date(child(root, "IssueDate"), "IssueDate");
    if (pugi::xml_node due = child(root, "DueDate")) d.due_date = date(due, "DueDate");
    d.currency = required(root, "DocumentCurrencyCode", "BT-5");
    currency_ = d.currency;
    d.buyer_reference = text(child(root, "BuyerReference"));
    d.supplier = party(at(root, "AccountingSupplierParty/Party"), "AccountingSupplierParty");
    d.buyer = party(at(root, "AccountingCustomerParty/Party"), "AccountingCustomerParty");
    for (pugi::xml_node pm : children(root, "PaymentMeans"))
      if (d.iban.empty()) d.iban = text(at(pm, "PayeeFinancialAccount/ID"));

    // The VAT total in the document's currency (a second TaxTotal may be in the accounting
    // currency).
    bool have_tax = false;
    std::vector<std::pair<std::string, std::string>> reasons;  // category -> exemption reason
    for (pugi::xml_node tt : children(root, "TaxTotal")) {
      const pugi::xml_node ta = child(tt, "TaxAmount");
      const std::string cur = ta.attribute("currencyID").value();
      if (!cur.empty() && cur != d.currency) continue;
      d.tax = amount(ta, "TaxTotal/TaxAmount");
      have_tax = true;
      for (pugi::xml_node st : children(tt, "TaxSubtotal")) {
        const pugi::xml_node cat = child(st, "TaxCategory");
        UblVatRow row;
        row.line = line_of(st);
        const std::string where = fmt::format("TaxSubtotal (line {})", row.line);
        row.category = text(child(cat, "ID"));
        if (row.category.empty()) fail(where + ": TaxCategory/ID (the VAT category) is missing");
        row.rate = percent(child(cat, "Percent"), where + ": TaxCategory/Percent");
        row.base = amount(child(st, "TaxableAmount"), where + ": TaxableAmount");
        row.vat = amount(child(st, "TaxAmount"), where + ": TaxAmount");
        d.vat_rows.push_back(row);
        std::string why = text(child(cat, "TaxExemptionReason"));
        if (why.empty()) why = text(child(cat, "TaxExemptionReasonCode"));
        if (!why.empty()) reasons.emplace_back(row.category, why);
      }
      break;
    }
    if (!have_tax) fail(fmt::format("TaxTotal/TaxAmount in {} is missing (BT-110)", d.currency));

    const pugi::xml_node mt = child(root, "LegalMonetaryTotal");
    if (!mt) fail("LegalMonetaryTotal is missing");
    d.line_extension =
        amount(child(mt, "LineExtensionAmount"), "LegalMonetaryTotal/LineExtensionAmount");
    d.tax_exclusive =
        amount(child(mt, "TaxExclusiveAmount"), "LegalMonetaryTotal/TaxExclusiveAmount");
    d.tax_inclusive =
        amount(child(mt, "TaxInclusiveAmount"), "LegalMonetaryTotal/TaxInclusiveAmount");
    d.payable = amount(child(mt, "PayableAmount"), "LegalMonetaryTotal/PayableAmount");
    d.prepaid = amount(child(mt, "PrepaidAmount"), "LegalMonetaryTotal/PrepaidAmount", false);
    d.rounding = amount(child(mt, "PayableRoundingAmount"),
                        "LegalMonetaryTotal/PayableRoundingAmount", false);
    if (pugi::xml_node at = child(mt, "AllowanceTotalAmount"))
      d.allowance_total = amount(at, "LegalMonetaryTotal/AllowanceTotalAmount");
    if (pugi::xml_node ct = child(mt, "ChargeTotalAmount"))
      d.charge_total = amount(ct, "LegalMonetaryTotal/ChargeTotalAmount");

    // Allowances and charges on the whole document (after TaxTotal's exemption reasons are known).
    for (pugi::xml_node ac : children(root, "AllowanceCharge")) {
      UblAllowance a;
      const std::string where = fmt::format("AllowanceCharge (line {})", line_of(ac));
      const std::string indicator = text(child(ac, "ChargeIndicator"));
      if (indicator == "true" || indicator == "1")
        a.charge = true;
      else if (indicator != "false" && indicator != "0")
        fail(fmt::format("{}: ChargeIndicator is \"{}\", not true or false", where, indicator));
      a.reason = one_line(text(child(ac, "AllowanceChargeReason")));
      if (a.reason.empty()) a.reason = text(child(ac, "AllowanceChargeReasonCode"));
      a.amount = amount(child(ac, "Amount"), where + ": Amount");
      if (a.amount.is_negative())
        fail(fmt::format("{}: Amount is negative ({})", where, a.amount.to_string()));
      const pugi::xml_node cat = child(ac, "TaxCategory");
      a.category = text(child(cat, "ID"));
      if (a.category.empty())
        fail(where + ": TaxCategory/ID (the VAT category of the allowance or charge) is missing");
      a.rate = percent(child(cat, "Percent"), where + ": TaxCategory/Percent");
      a.exemption_reason = text(child(cat, "TaxExemptionReason"));
      for (const auto& [c, why] : reasons)
        if (a.exemption_reason.empty() && c == a.category) a.exemption_reason = why;
      d.allowances.push_back(std::move(a));
    }

    const char* line_el = d.credit_note ? "CreditNoteLine" : "InvoiceLine";
    const char* qty_el = d.credit_note ? "CreditedQuantity" : "InvoicedQuantity";
    for (pugi::xml_node ln : children(root, line_el)) {
      UblLine l;
      l.id = text(child(ln, "ID"));
      const std::string where = fmt::format("{} {} (line {})", line_el, l.id, line_of(ln));
      if (l.id.empty()) fail(fmt::format("{}: ID is missing", where));
      const pugi::xml_node q = child(ln, qty_el);
      const auto qty = Decimal::parse(text(q));
      if (!q || !qty)
        fail(fmt::format("{}: {} is missing or not a number (\"{}\")", where, qty_el, text(q)));
      l.quantity = *qty;
      l.net = amount(child(ln, "LineExtensionAmount"), where + ": LineExtensionAmount");
      const pugi::xml_node item = child(ln, "Item");
      l.name = text(child(item, "Name"));
      if (l.name.empty()) l.name = text(child(item, "Description"));
      l.name = one_line(l.name);
      if (l.name.empty()) fail(fmt::format("{}: Item/Name is missing", where));
      const pugi::xml_node cat = child(item, "ClassifiedTaxCategory");
      l.category = text(child(cat, "ID"));
      if (l.category.empty())
        fail(fmt::format("{}: Item/ClassifiedTaxCategory/ID (the VAT category) is missing", where));
      const pugi::xml_node pct = child(cat, "Percent");
      if (pct) {
        const auto r = Decimal::parse(text(pct));
        if (!r)
          fail(fmt::format("{}: ClassifiedTaxCategory/Percent is not a number (\"{}\")", where,
                           text(pct)));
        l.rate = *r;
      } else if (l.category != "O") {
        fail(fmt::format("{}: ClassifiedTaxCategory/Percent (the VAT rate) is missing", where));
      }
      l.exemption_reason = text(child(cat, "TaxExemptionReason"));
      for (const auto& [c, why] : reasons)
        if (l.exemption_reason.empty() && c == l.category) l.exemption_reason = why;
      const pugi::xml_node price = child(ln, "Price");
      l.price = amount(child(price, "PriceAmount"), where + ": Price/PriceAmount");
      if (l.price.is_negative())
        fail(fmt::format("{}: Price/PriceAmount is negative ({})", where, l.price.to_string()));
      if (pugi::xml_node base = child(price, "BaseQuantity")) {
        const auto b = Decimal::parse(text(base));
        if (!b || b->is_zero() || b->is_negative())
          fail(fmt::format("{}: Price/BaseQuantity is not a positive number (\"{}\")", where,
                           text(base)));
        if (!(*b == Decimal::from_integer(1))) l.adjusted = true;
      }
      const auto acs = children(ln, "AllowanceCharge");
      if (acs.size() == 1 && text(child(acs[0], "ChargeIndicator")) == "false") {
        const auto pct = Decimal::parse(text(child(acs[0], "MultiplierFactorNumeric")));
        if (pct && !pct->is_negative() && *pct <= Decimal::from_integer(100))
          l.discount_percent = *pct;
        else
          l.adjusted = true;
      } else if (!acs.empty()) {
        l.adjusted = true;
      }
      if (d.credit_note) {
        l.quantity = -l.quantity;
        l.net = -l.net;
      }
      d.lines.push_back(std::move(l));
    }
    if (d.lines.empty()) fail(fmt::format("there is no {} (the document has no lines)", line_el));
    if (d.credit_note) {
      for (Decimal* v : {&d.line_extension, &d.tax_exclusive, &d.tax, &d.tax_inclusive, &d.payable,
                         &d.prepaid, &d.rounding})
        *v = -*v;
      for (UblAllowance& a : d.allowances) a.amount = -a.amount;
      for (UblVatRow& r : d.vat_rows) {
        r.base = -r.base;
        r.vat = -r.vat;
      }
      for (auto* t : {&d.allowance_total, &d.charge_total})
        if (*t) **t = -**t;
    }

    for (pugi::xml_node ref : children(root, "AdditionalDocumentReference")) {
      const pugi::xml_node bin = at(ref, "Attachment/EmbeddedDocumentBinaryObject");
      if (!bin || std::string_view(bin.attribute("mimeCode").value()) != "application/pdf")
        continue;
      const std::string_view b64 = bin.child_value();
      std::string out(b64.size() / 4 * 3 + 3, '\0');
      size_t len = 0;
      const char* end = nullptr;
      if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                            b64.size(), " \t\r\n", &len, &end,
                            sodium_base64_VARIANT_ORIGINAL) != 0 ||
          end != b64.data() + b64.size())
        fail(fmt::format(
            "AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject (line {}) is not "
            "valid base64",
            line_of(bin)));
      out.resize(len);
      d.pdf = std::move(out);
      d.pdf_name = trim(bin.attribute("filename").value());
      break;
    }
    return d;
  }

 private:
  std::string_view bytes_;
  std::string name_;
  std::string currency_;  // amounts in another currencyID are refused
};

}  // namespace

UblDocument read_ubl(std::string_view bytes, const std::string& name) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  Reader r(bytes, name);
  return r.read();
}

}  // namespace invoicing::purchase

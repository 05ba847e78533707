#include "doc_print.h"

#include <fmt/format.h>

#include <iostream>
#include <set>

#include "cli.h"
#include "domain/document_flow.h"
#include "domain/totals.h"
#include "domain/vat_regime.h"
#include "store/dates.h"
#include "store/line_vat.h"

namespace invoicing::cli {

namespace {

// The words a document shows, per language (en, nl, fr): a front end's wording, not a rule.
enum Word {
  kDate, kDue, kSupplier, kCustomer, kVatNo, kMadeFrom, kMadeInto, kYourRef, kTotalExcl, kVat, kTotal,
  kOgm, kMentions, kBase, kPaid, kOpen, kStatus, kWordCount
};
const char* const kWords[kWordCount][3] = {
    {"Date", "Datum", "Date"},
    {"Due", "Vervaldatum", "Échéance"},
    {"Supplier", "Leverancier", "Fournisseur"},
    {"Customer", "Klant", "Client"},
    {"VAT", "btw", "TVA"},
    {"Made from", "Op basis van", "Établi sur la base de"},
    {"Made into", "Verder als", "Suivi de"},
    {"Your reference", "Uw referentie", "Votre référence"},
    {"Total excl. VAT", "Totaal excl. btw", "Total hors TVA"},
    {"VAT", "Btw", "TVA"},
    {"Total", "Totaal", "Total"},
    {"Structured communication", "Gestructureerde mededeling", "Communication structurée"},
    {"VAT mentions", "Btw-vermeldingen", "Mentions TVA"},
    {"base", "basis", "base"},
    {"paid", "betaald", "payé"},
    {"to pay", "te betalen", "reste à payer"},
    {"Status", "Status", "Statut"},
};

int li(const std::string& lang) { return lang == "nl" ? 1 : lang == "fr" ? 2 : 0; }
const char* w(Word k, const std::string& lang) { return kWords[k][li(lang)]; }

const char* payment_word(domain::InvoiceStatus s, const std::string& lang) {
  static const char* const t[4][3] = {{"open", "open", "ouverte"},
                                      {"partly paid", "deels betaald", "payée en partie"},
                                      {"paid", "betaald", "payée"},
                                      {"overdue", "vervallen", "échue"}};
  return t[int(s)][li(lang)];
}

std::string address(const store::PartySnapshot& p) {
  std::string s = p.street;
  std::string place = p.zip + (p.zip.empty() || p.city.empty() ? "" : " ") + p.city;
  if (!place.empty()) s += (s.empty() ? "" : ", ") + place;
  if (!p.country.empty()) s += (s.empty() ? "" : ", ") + p.country;
  return s;
}

store::PartySnapshot party_block(const store::DocView& v) {
  if (!v.doc.issued_to.empty()) return v.doc.issued_to;
  const auto& p = v.party;
  return {p.name, p.street, p.zip, p.city, p.country, p.vat};
}

const char* status_word(domain::DocStatus s) { return domain::doc_status_name(s); }

std::string state_of(const store::DocView& v) {
  if (v.payment) return domain::invoice_status_name(v.payment->status);
  return status_word(v.doc.status);
}

}  // namespace

void print_warnings(const store::DocView& v) {
  for (const auto& x : v.warnings) std::cerr << "warning: " << x << "\n";
}

void print_document(const store::DocView& v, const store::CompanyProfile& sup, const std::string& lang) {
  const auto& d = v.doc;
  std::cout << fmt::format("{}  [{}]  document {}\n", v.label, status_word(d.status), d.id);
  std::cout << fmt::format("  {} {}", w(kDate, lang), store::iso(d.date));
  if (d.due_date) std::cout << fmt::format("   {} {}", w(kDue, lang), store::iso(d.due_date));
  if (!d.customer_ref.empty()) std::cout << fmt::format("   {} {}", w(kYourRef, lang), d.customer_ref);
  std::cout << "\n";
  store::PartySnapshot me{sup.name, sup.street, sup.postcode, sup.city, sup.country, sup.vat};
  store::PartySnapshot them = party_block(v);
  const bool purchase = d.type == domain::DocType::purchase_invoice;
  auto block = [&](Word who, const store::PartySnapshot& p, const std::string& code) {
    std::cout << fmt::format("  {:<12} {}{}\n", std::string(w(who, lang)) + ":", code.empty() ? "" : code + "  ", p.name);
    std::string a = address(p);
    if (!a.empty()) std::cout << fmt::format("  {:<12} {}\n", "", a);
    if (!p.vat.empty()) std::cout << fmt::format("  {:<12} {} {}\n", "", w(kVatNo, lang), p.vat);
  };
  block(kSupplier, purchase ? them : me, purchase ? v.party_code : "");
  block(kCustomer, purchase ? me : them, purchase ? "" : v.party_code);
  if (!v.source_label.empty()) std::cout << fmt::format("  {}: {}\n", w(kMadeFrom, lang), v.source_label);
  std::vector<domain::LineInput> in;
  std::set<std::string> mentions;
  for (const auto& lv : v.lines) {
    const auto& l = lv.line;
    std::cout << fmt::format("  {:>3} {:<10} {:<34} {:>9} x {:>10}  -{:>5}%  {:>2} {:>5}%  {:>12}\n", l.lineno,
                             lv.article_code, l.description.substr(0, 34), l.quantity.to_string(), l.price.to_string(),
                             l.discount.to_string(), l.vat_category, l.vat_rate.to_string(), l.net.to_string(2));
    domain::LineInput x;
    x.quantity = l.quantity;
    x.unit_price = l.price;
    x.discount_percent = l.discount;
    x.category = domain::vat_category_from_code(l.vat_category).value_or(domain::VatCategory::standard);
    x.vat_rate = l.vat_rate;
    in.push_back(x);
    auto decision = store::vat_decision_of(l);
    std::string m = domain::vat_mention(decision, lang);
    if (!m.empty()) mentions.insert(decision.exemption_code.empty() ? m : m + " [" + decision.exemption_code + "]");
  }
  if (!in.empty()) {
    try {
      for (const auto& b : domain::compute_totals(in).breakdown)
        std::cout << fmt::format("  {:<16} {:>2} {:>5}%   {} {:>12}   {} {:>12}\n", w(kVat, lang),
                                 domain::code(b.category), b.rate.to_string(), w(kBase, lang), b.base.to_string(2),
                                 w(kVat, lang), b.vat.to_string(2));
    } catch (const std::exception&) {
      // verify names lines that do not add up; the totals below are what is stored
    }
  }
  if (!mentions.empty()) {
    std::cout << "  " << w(kMentions, lang) << ":\n";
    for (const auto& m : mentions) std::cout << "    " << m << "\n";
  }
  std::cout << fmt::format("  {} {:>12}   {} {:>12}   {} {:>12}\n", w(kTotalExcl, lang), d.total_excl.to_string(2),
                           w(kVat, lang), d.total_vat.to_string(2), w(kTotal, lang), d.total_incl.to_string(2));
  if (!d.ogm.empty()) std::cout << fmt::format("  {} {}\n", w(kOgm, lang), d.ogm);
  if (v.payment)
    std::cout << fmt::format("  {}: {}; {} {}, {} {}\n", w(kStatus, lang), payment_word(v.payment->status, lang),
                             w(kPaid, lang), (v.payment->paid + v.payment->credited).to_string(2), w(kOpen, lang),
                             v.payment->open.to_string(2));
  for (const auto& m : v.made_from_it)
    std::cout << fmt::format("  {}: {} (document {}, {})\n", w(kMadeInto, lang), m.label, m.id, status_word(m.status));
}

void print_list_row(const store::DocView& v) {
  std::cout << fmt::format("{:>6}  {:<28} {:<10} {:<11} {:<10} {:<26} {:>12}\n", v.doc.id, v.label,
                           store::iso(v.doc.date), state_of(v), v.party_code, v.party_name.substr(0, 26),
                           store::signed_total(v.doc).to_string(2));
}

std::string doc_json(const store::DocView& v, bool full, const std::string& lang) {
  const auto& d = v.doc;
  std::string s = fmt::format(
      "{{\"id\":{},\"type\":{},\"fiscal_year\":{},\"number\":{},\"label\":{},\"status\":{},\"party\":{},"
      "\"party_name\":{},\"date\":{},\"due_date\":{},\"reference\":{},\"customer_reference\":{},\"source\":{},"
      "\"source_label\":{},\"total_excl_vat\":{},\"total_vat\":{},\"total_incl_vat\":{},\"signed_total\":{},"
      "\"user\":{},\"workstation\":{}",
      d.id, json_string(doc_type_word(d.type)), d.year,
      d.number && d.status != domain::DocStatus::draft ? std::to_string(d.number) : "null", json_string(v.label),
      json_string(status_word(d.status)), json_string(v.party_code), json_string(v.party_name),
      json_string(date_text(d.date)), d.due_date ? json_string(date_text(d.due_date)) : "null", json_string(d.ogm),
      json_string(d.customer_ref), d.source ? std::to_string(d.source) : "null", json_string(v.source_label),
      json_decimal(d.total_excl, 2), json_decimal(d.total_vat, 2), json_decimal(d.total_incl, 2),
      json_decimal(store::signed_total(d), 2), json_string(d.user), json_string(d.workstation));
  if (d.number && d.status == domain::DocStatus::draft) s += fmt::format(",\"reserved_number\":{}", d.number);
  if (v.payment)
    s += fmt::format(",\"payment_status\":{},\"paid\":{},\"credited\":{},\"open\":{}",
                     json_string(domain::invoice_status_name(v.payment->status)), json_decimal(v.payment->paid, 2),
                     json_decimal(v.payment->credited, 2), json_decimal(v.payment->open, 2));
  if (!v.warnings.empty()) {
    s += ",\"warnings\":[";
    for (size_t i = 0; i < v.warnings.size(); ++i) s += (i ? "," : "") + json_string(v.warnings[i]);
    s += "]";
  }
  if (full) {
    auto them = party_block(v);
    s += fmt::format(",\"issued_to\":{{\"name\":{},\"street\":{},\"zip\":{},\"city\":{},\"country\":{},\"vat\":{}}}",
                     json_string(them.name), json_string(them.street), json_string(them.zip), json_string(them.city),
                     json_string(them.country), json_string(them.vat));
    s += ",\"lines\":[";
    for (size_t i = 0; i < v.lines.size(); ++i) {
      const auto& l = v.lines[i].line;
      auto decision = store::vat_decision_of(l);
      s += fmt::format(
          "{}{{\"line\":{},\"article\":{},\"text\":{},\"quantity\":{},\"price\":{},\"discount\":{},"
          "\"vat_category\":{},\"vat_rate\":{},\"vat_rule\":{},\"vat_override\":{},\"vatex\":{},"
          "\"exemption_reason\":{},\"vat_mention\":{},\"net\":{}}}",
          i ? "," : "", l.lineno, json_string(v.lines[i].article_code), json_string(l.description),
          json_decimal(l.quantity), json_decimal(l.price), json_decimal(l.discount), json_string(l.vat_category),
          json_decimal(l.vat_rate), json_string(store::vat_rule_code(decision.rule)),
          l.vat_override ? "true" : "false", json_string(decision.exemption_code),
          json_string(decision.exemption_reason), json_string(domain::vat_mention(decision, lang)),
          json_decimal(l.net, 2));
    }
    s += "],\"made_from_it\":[";
    for (size_t i = 0; i < v.made_from_it.size(); ++i)
      s += fmt::format("{}{{\"id\":{},\"label\":{},\"status\":{}}}", i ? "," : "", v.made_from_it[i].id,
                       json_string(v.made_from_it[i].label), json_string(status_word(v.made_from_it[i].status)));
    s += "]";
  }
  return s + "}";
}

}  // namespace invoicing::cli

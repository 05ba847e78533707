#include "outputs/from_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "domain/vat.h"
#include "outputs/seller.h"
#include "outputs/text_clean.h"
#include "store/company_profile.h"
#include "store/document_records.h"
#include "store/errors.h"
#include "store/line_vat.h"
#include "store/parties.h"

namespace invoicing::outputs {

namespace {

using domain::DocType;

bool is_customer_doc(DocType t) { return t != DocType::purchase_invoice; }

Party buyer_of(const store::Party& p) {
  Party b;
  b.name = p.name;
  if (!p.street.empty()) b.address_lines = {p.street};
  b.postcode = p.zip;
  b.city = p.city;
  b.country = p.country;
  b.vat_number = p.vat;
  // The store keeps one registration number per party: a Belgian enterprise number, for a
  // Dutch party its KvK number.
  if (p.country == "NL") b.kvk = p.enterprise_no;
  else if (p.country == "BE") b.enterprise_number = p.enterprise_no;
  b.email = p.email;
  b.phone = p.phone;
  b.iban = p.iban;
  b.bic = p.bic;
  b.language = lower_ascii(p.lang);
  return b;
}

domain::VatCategory category_of(const std::string& code, const std::string& doc) {
  if (auto c = domain::vat_category_from_code(code)) return *c;
  throw store::UserError(fmt::format("{}: a line has VAT category \"{}\", not one of S, Z, E, AE, K, G", doc, code));
}

}  // namespace

std::filesystem::path layouts_dir(const store::Company& c) {
  return store::is_database(c.dir()) ? c.dir() : c.dir() / store::file_kind_name(store::FileKind::layout);
}

std::string layout_place(store::Company& c, const std::string& name) {
  if (!store::is_database(c.dir())) return (layouts_dir(c) / name).string();
  return fmt::format("{}/{} in the {}", store::file_kind_name(store::FileKind::layout), name, c.storage().describe());
}

Layout company_layout(store::Company& c, DocType type) {
  // A folder's files are read where they are, so that messages name them as before.
  if (!store::is_database(c.dir())) return load_layout(layouts_dir(c), type);
  const LayoutFileReader read = [&](const std::string& name) {
    return c.storage().read_file(store::FileKind::layout, name);
  };
  return load_layout(read, std::string(store::file_kind_name(store::FileKind::layout)) + "/", type);
}

Party company_seller(store::Company& c, const store::CompanyProfile& p) {
  Party s = seller_party(p, layouts_dir(c));
  if (store::is_database(c.dir()) && !p.logo.empty()) {
    s.logo_path = layout_place(c, p.logo);
    try {
      store::check_file_name(p.logo);
    } catch (const std::invalid_argument& e) {
      throw store::UserError(fmt::format("the company's logo: {}", e.what()));
    }
    auto bytes = c.storage().read_file(store::FileKind::layout, p.logo);
    if (!bytes) throw store::UserError(fmt::format("the company's logo {} is missing", s.logo_path));
    s.logo_bytes = std::make_shared<const std::string>(std::move(*bytes));
  }
  return s;
}

Date to_date(const xbase::Date& d) {
  return std::chrono::year{d.year} / std::chrono::month{static_cast<unsigned>(d.month)} /
         std::chrono::day{static_cast<unsigned>(d.day)};
}

std::optional<xbase::Date> parse_iso_date(const std::string& s) {
  xbase::Date d;
  char end = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' ||
      std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &end) != 3 || !xbase::valid_date(d))
    return std::nullopt;
  return d;
}

DocumentReader::DocumentReader(store::Company& c) : c_(c), docs_(c) {
  seller_ = company_seller(c, store::read_company_profile(c));
}

const Layout& DocumentReader::layout(DocType type) {
  auto it = layouts_.find(type);
  if (it == layouts_.end()) {
    try {
      it = layouts_.emplace(type, company_layout(c_, type)).first;
    } catch (const LayoutError& e) {
      throw store::UserError(e.what());  // the user's file: its name, line and key
    }
  }
  return it->second;
}

const store::Party* DocumentReader::party(DocType type, int32_t id) {
  const bool customer = is_customer_doc(type);
  auto [it, fresh] = parties_.try_emplace({customer, id});
  if (fresh)
    it->second = store::Parties(c_, customer ? store::PartyKind::customer : store::PartyKind::supplier).by_id(id);
  return it->second ? &*it->second : nullptr;
}

DocumentData DocumentReader::read(int32_t id) {
  const store::DocView v = docs_.show(id);
  const store::Document& d = v.doc;
  DocumentData out;
  out.type = d.type;
  out.status = d.status;
  out.year = d.year;
  out.number = static_cast<int>(d.number);
  out.display_number = v.label;
  out.issue_date = to_date(d.date);
  if (d.due_date) out.due_date = to_date(*d.due_date);
  out.customer_reference = d.customer_ref;
  out.payment_reference = d.ogm;
  out.seller = seller_;
  const store::Party* p = party(d.type, d.party);
  if (!p) throw store::UserError(fmt::format("{}: its {} (id {}) is missing", v.label, is_customer_doc(d.type) ? "customer" : "supplier", d.party));
  out.buyer = buyer_of(*p);
  if (d.type == DocType::purchase_invoice) std::swap(out.seller, out.buyer);  // the supplier sold to us
  const std::string lang = document_language(out);
  out.display_number = store::Documents::label(d, lang);  // "facture 2026/7" for a French-speaking buyer
  if (d.type == DocType::invoice || d.type == DocType::purchase_invoice) out.payment_terms = payment_terms_text(p->terms, lang);
  if (d.source) {
    // Its record alone: its label and date, not its lines, children and payment state.
    const store::Document src = store::document_by_id(c_.storage(), d.source);
    if (d.type == DocType::credit_note) {
      CorrectedDocument cd;
      cd.type = src.type;
      cd.year = src.year;
      cd.number = static_cast<int>(src.number);
      cd.display_number = store::Documents::label(src, lang);
      cd.date = to_date(src.date);
      out.corrects = cd;
    } else if (src.type == DocType::order) {
      out.order_reference = store::Documents::label(src, lang);  // the order this document carries out
    }
  }
  for (const auto& lv : v.lines) {
    const store::Line& l = lv.line;
    Line o;
    o.code = lv.article_code;
    o.description = l.description;
    if (!l.text.empty()) o.description += "\n" + l.text;
    o.quantity = l.quantity;
    o.unit_code = "C62";
    if (lv.article) o.unit_code = unit_code(lv.article->unit);  // the article as the view read it
    o.unit_price = l.price;
    o.discount_percent = l.discount;
    o.category = category_of(l.vat_category, v.label);
    o.vat_rate = l.vat_rate;
    if (o.category == domain::VatCategory::exempt) {  // why, as decided when the line was saved (BT-120, BT-121)
      const domain::VatDecision decision = store::vat_decision_of(l);
      o.exemption_reason = decision.exemption_reason;
      o.exemption_code = decision.exemption_code;
    }
    out.lines.push_back(std::move(o));
  }
  try {
    complete_totals(out);
  } catch (const std::exception& e) {
    throw store::UserError(fmt::format("{}: its totals cannot be computed: {}", v.label, e.what()));
  }
  return out;
}

std::vector<store::DocView> DocumentReader::period(const std::vector<DocType>& types, xbase::Date from, xbase::Date to) {
  const int32_t lo = xbase::julian_day(from), hi = xbase::julian_day(to);
  std::vector<store::DocView> out;
  for (DocType t : types) {
    store::DocFilter f;
    f.type = t;
    for (auto& v : docs_.list(f)) {
      const int32_t day = xbase::julian_day(v.doc.date);
      const bool issued = v.doc.status == domain::DocStatus::final || v.doc.status == domain::DocStatus::withdrawn;
      if (issued && v.doc.number > 0 && day >= lo && day <= hi) out.push_back(std::move(v));
    }
  }
  std::stable_sort(out.begin(), out.end(), [&](const store::DocView& a, const store::DocView& b) {
    const auto ta = std::find(types.begin(), types.end(), a.doc.type) - types.begin();
    const auto tb = std::find(types.begin(), types.end(), b.doc.type) - types.begin();
    if (ta != tb) return ta < tb;
    if (a.doc.year != b.doc.year) return a.doc.year < b.doc.year;
    return a.doc.number < b.doc.number;
  });
  return out;
}

void add_buyer_reference(DocumentData& doc) {
  if (doc.customer_reference.empty() && doc.order_reference.empty()) doc.customer_reference = display_number(doc);
}

std::string unit_code(const std::string& unit) {
  struct U {
    const char* code;
    std::initializer_list<const char*> names;
  };
  // What people type in the unit field, in Dutch, French and English.
  static const U units[] = {
      {"C62", {"pc", "pcs", "st", "stk", "stuk", "stuks", "pce", "pièce", "pièces", "piece", "pieces", "x"}},
      {"HUR", {"h", "u", "uur", "uren", "heure", "heures", "hour", "hours"}},
      {"MIN", {"min", "minuut", "minuten", "minute", "minutes"}},
      {"DAY", {"dag", "dagen", "jour", "jours", "day", "days", "d"}},
      {"MON", {"mnd", "maand", "maanden", "mois", "month", "months"}},
      {"KGM", {"kg"}},  {"GRM", {"g", "gr"}},  {"TNE", {"t", "ton"}},  {"MTR", {"m", "meter", "mètre"}},
      {"KMT", {"km"}},  {"MTK", {"m2", "m²"}}, {"MTQ", {"m3", "m³"}}, {"LTR", {"l", "liter", "litre"}},
      {"SET", {"set", "sets"}},  {"PR", {"paar", "paire", "pair"}},
  };
  const std::string u = lower_ascii(unit);
  for (const U& e : units)
    for (const char* n : e.names)
      if (u == n) return e.code;
  const bool code = (unit.size() == 2 || unit.size() == 3) && std::all_of(unit.begin(), unit.end(), [](char c) {
                      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                    });
  return code ? unit : "C62";
}

std::string payment_terms_text(int days, std::string_view lang) {
  if (days <= 0) return lang == "nl" ? "contant" : lang == "fr" ? "comptant" : "cash";
  if (lang == "nl") return fmt::format("{} dagen na factuurdatum", days);
  if (lang == "fr") return fmt::format("{} jours date de facture", days);
  return fmt::format("{} days after the invoice date", days);
}

}  // namespace invoicing::outputs

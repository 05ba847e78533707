#include "outputs/ubl_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <string_view>

#include "domain/ogm.h"
#include "domain/vat_number.h"

namespace invoicing::outputs {

namespace {

using domain::VatCategory;

std::string digits_only(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) r += c;
  }
  return r;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool all_of_chars(const std::string& s, const char* allowed_extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || std::strchr(allowed_extra, c);
  });
}

// ISO 3166-1 alpha-2 (BR-CL-14), plus XI (Northern Ireland, which EN 16931 lists for VAT).
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
    "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
    "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
    "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
    "US UY UZ VA VC VE VG VI VN VU WF WS XI YE YT ZA ZM ZW";

bool country_known(const std::string& code) {
  if (code.size() != 2) return false;
  for (size_t i = 0; i + 2 <= kCountries.size(); i += 3) {
    if (kCountries.substr(i, 2) == code) return true;
  }
  return false;
}

class Collector {
 public:
  explicit Collector(std::string doc) : doc_(std::move(doc)) {}
  void add(const std::string& field, const std::string& what) {
    problems_.push_back({field, fmt::format("{}: {}: {}", doc_, field, what)});
  }
  std::vector<UblProblem> take() { return std::move(problems_); }

 private:
  std::string doc_;
  std::vector<UblProblem> problems_;
};

void check_endpoint(Collector& out, const std::string& who, const std::optional<PeppolId>& id) {
  const std::string field = who + ".peppol_id";
  if (!id) {
    out.add(field, "no Peppol endpoint (BT-" + std::string(who == "seller" ? "34" : "49") +
                       "): give an enterprise number (BE), a KvK number (NL), a VAT number "
                       "or a peppol_id 'scheme:value'");
    return;
  }
  if (id->scheme.size() != 4 || !all_of_chars(id->scheme, "")) {
    out.add(field, "endpoint scheme '" + id->scheme + "' is not a four-digit EAS code");
  } else if (id->value.empty() || id->value.find_first_of(" \t\r\n") != std::string::npos) {
    out.add(field, "endpoint value '" + id->value + "' is empty or has spaces");
  } else if (id->scheme == "0208") {
    if (id->value.size() != 10 || !all_of_chars(id->value, "") ||
        !domain::check_vat_number("BE" + id->value).valid) {
      out.add(field, "enterprise number " + id->value +
                         " fails its mod-97 check (PEPPOL-COMMON-R043)");
    }
  } else if (id->scheme == "0106") {
    if (id->value.size() != 8 || !all_of_chars(id->value, "")) {
      out.add(field, "KvK number " + id->value + " is not eight digits");
    }
  } else if (id->scheme == "9925" || id->scheme == "9944") {
    auto check = domain::check_vat_number(id->value);
    if (!check.valid || check.country != (id->scheme == "9925" ? "BE" : "NL")) {
      out.add(field, "VAT number endpoint " + id->value + " is not a valid " +
                         (id->scheme == "9925" ? "Belgian" : "Dutch") + " VAT number");
    }
  }
}

void check_party(Collector& out, const std::string& who, const Party& p, bool needs_vat,
                 const char* vat_bt) {
  if (p.name.empty()) out.add(who + ".name", "missing (" + std::string(who == "seller" ? "BT-27" : "BT-44") + ")");
  if (p.country.empty()) {
    out.add(who + ".country", "missing (" + std::string(who == "seller" ? "BT-40" : "BT-55") + ")");
  } else if (!country_known(p.country)) {
    out.add(who + ".country", "'" + p.country + "' is not an ISO 3166 country code");
  }
  if (p.city.empty()) out.add(who + ".city", "missing");
  if (!p.vat_number.empty()) {
    auto check = domain::check_vat_number(p.vat_number);
    if (!check.valid) {
      out.add(who + ".vat_number", p.vat_number + " is not a valid VAT number: " + check.reason);
    }
  } else if (needs_vat) {
    out.add(who + ".vat_number", std::string("missing (") + vat_bt + ")");
  }
  if (!p.enterprise_number.empty()) {
    std::string d = enterprise_digits(p.enterprise_number);
    if (d.empty() || !domain::check_vat_number("BE" + d).valid) {
      out.add(who + ".enterprise_number",
              p.enterprise_number + " is not a valid enterprise number (mod-97 check)");
    }
  }
  if (!p.kvk.empty() && (p.kvk.size() != 8 || !all_of_chars(p.kvk, ""))) {
    out.add(who + ".kvk", p.kvk + " is not eight digits");
  }
  if (!p.peppol_id.empty() && p.peppol_id.find(':') == std::string::npos) {
    out.add(who + ".peppol_id", "'" + p.peppol_id + "' is not 'scheme:value'");
  } else {
    check_endpoint(out, who, peppol_endpoint(p));
  }
}

bool more_than_two_decimals(const domain::Decimal& d) { return d.round(2) != d; }

}  // namespace

UblRefused::UblRefused(std::vector<UblProblem> problems)
    : std::runtime_error([&] {
        std::string s = "cannot make an e-invoice:";
        for (const auto& p : problems) s += "\n  " + p.message;
        return s;
      }()),
      problems_(std::move(problems)) {}

bool country_code_known(const std::string& code) { return country_known(code); }

std::vector<UblProblem> check_seller(const Party& seller, const std::string& context) {
  Collector out(context);
  check_party(out, "seller", seller, true, "BT-31");
  if (seller.iban.empty()) {
    out.add("seller.iban", "missing: the buyer needs an account to pay to (BT-84)");
  } else if (!iban_valid(seller.iban)) {
    out.add("seller.iban", seller.iban + " fails the IBAN check");
  }
  return out.take();
}

std::string enterprise_digits(const std::string& text) {
  if (!all_of_chars(text, ". -")) return {};
  std::string d = digits_only(text);
  if (d.size() == 9) d = "0" + d;
  return d.size() == 10 ? d : std::string();
}

std::optional<PeppolId> peppol_endpoint(const Party& p) {
  if (!p.peppol_id.empty()) {
    auto colon = p.peppol_id.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return PeppolId{p.peppol_id.substr(0, colon), p.peppol_id.substr(colon + 1)};
  }
  const std::string country = upper(p.country);
  if (country == "BE" && !p.enterprise_number.empty()) {
    std::string d = enterprise_digits(p.enterprise_number);
    return PeppolId{"0208", d.empty() ? p.enterprise_number : d};
  }
  if (country == "NL" && !p.kvk.empty()) return PeppolId{"0106", p.kvk};
  if (!p.vat_number.empty()) {
    auto check = domain::check_vat_number(p.vat_number);
    if (check.country == "BE") return PeppolId{"9925", check.normalized};
    if (check.country == "NL") return PeppolId{"9944", check.normalized};
  }
  return std::nullopt;
}

std::optional<PeppolId> legal_registration(const Party& p) {
  if (!p.enterprise_number.empty()) {
    std::string d = enterprise_digits(p.enterprise_number);
    if (!d.empty()) return PeppolId{"0208", d};
  }
  if (!p.kvk.empty()) return PeppolId{"0106", p.kvk};
  return std::nullopt;
}

std::string normalized_iban(const std::string& text) {
  std::string r;
  for (char c : text) {
    if (c != ' ') r += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return r;
}

bool iban_valid(const std::string& text) {
  const std::string iban = normalized_iban(text);
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!std::isupper(static_cast<unsigned char>(iban[0])) ||
      !std::isupper(static_cast<unsigned char>(iban[1])) ||
      !std::isdigit(static_cast<unsigned char>(iban[2])) ||
      !std::isdigit(static_cast<unsigned char>(iban[3]))) {
    return false;
  }
  // ISO 13616: the first four characters go to the end, letters count as 10..35, and the
  // number mod 97 must be 1. Computed digit by digit so it never overflows.
  const std::string moved = iban.substr(4) + iban.substr(0, 4);
  int rest = 0;
  for (char c : moved) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      rest = (rest * 10 + (c - '0')) % 97;
    } else if (std::isupper(static_cast<unsigned char>(c))) {
      rest = (rest * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return rest == 1;
}

bool peppol_attachment_mime_allowed(const std::string& mime) {
  static const std::set<std::string> allowed = {
      "application/pdf", "image/png", "image/jpeg", "text/csv",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.oasis.opendocument.spreadsheet"};
  return allowed.count(mime) != 0;
}

ExemptionReason exemption_reason(const DocumentData& doc, domain::VatCategory category) {
  const std::string lang = document_language(doc);
  switch (category) {
    case VatCategory::standard:
    case VatCategory::zero_rated:
      return {};
    case VatCategory::exempt:
      for (const Line& l : doc.lines) {
        if (l.category == VatCategory::exempt) return {l.exemption_code, l.exemption_reason};
      }
      return {};
    case VatCategory::reverse_charge:
      return {"VATEX-EU-AE", domain::legal_mention(category, lang)};
    case VatCategory::intra_eu:
      return {"VATEX-EU-IC", domain::legal_mention(category, lang)};
    case VatCategory::export_outside_eu:
      return {"VATEX-EU-G", domain::legal_mention(category, lang)};
  }
  return {};
}

std::vector<UblProblem> validate_for_ubl(const DocumentData& doc,
                                         const std::vector<Attachment>& attachments) {
  Collector out(display_number(doc));
  using domain::DocType;
  const bool credit = doc.type == DocType::credit_note;
  if (doc.type != DocType::invoice && !credit) {
    out.add("type", std::string("a ") + type_file_word(doc.type) +
                        " cannot be an e-invoice: only invoices and credit notes");
  }
  if (doc.year <= 0 || doc.number <= 0) out.add("number", "the document has no number yet");
  if (!doc.issue_date.ok()) out.add("issue_date", "missing or not a date (BT-2)");
  if (doc.due_date && !doc.due_date->ok()) out.add("due_date", "not a date (BT-9)");
  if (doc.currency != "EUR") out.add("currency", "'" + doc.currency + "': only EUR is supported");
  if (doc.customer_reference.empty() && doc.order_reference.empty()) {
    out.add("customer_reference",
            "a buyer reference or an order reference is required (PEPPOL-EN16931-R003)");
  }
  if (credit) {
    if (!doc.corrects) {
      out.add("corrects", "a credit note must name the invoice it corrects (BG-3)");
    } else if (doc.corrects->year <= 0 || doc.corrects->number <= 0 || !doc.corrects->date.ok()) {
      out.add("corrects", "the corrected invoice needs a number and a date (BT-25, BT-26)");
    }
  }

  // Which VAT identifiers the categories need (BR-S/Z/E/AE/IC/G-02, BR-AE-03, BR-IC-04).
  bool buyer_vat_needed = false;
  for (const Line& l : doc.lines) {
    if (l.category == VatCategory::reverse_charge || l.category == VatCategory::intra_eu) {
      buyer_vat_needed = true;
    }
  }
  check_party(out, "seller", doc.seller, true, "BT-31");
  check_party(out, "buyer", doc.buyer, buyer_vat_needed, "BT-48");

  if (doc.lines.empty()) out.add("lines", "an e-invoice needs at least one line (BG-25)");
  std::optional<ExemptionReason> first_exempt;
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    const Line& l = doc.lines[i];
    const std::string f = fmt::format("lines[{}]", i + 1);
    if (l.description.empty()) out.add(f + ".description", "missing (item name, BT-153)");
    const bool unit_ok = (l.unit_code.size() == 2 || l.unit_code.size() == 3) &&
                         std::all_of(l.unit_code.begin(), l.unit_code.end(), [](char c) {
                           return std::isupper(static_cast<unsigned char>(c)) ||
                                  std::isdigit(static_cast<unsigned char>(c));
                         });
    if (!unit_ok) out.add(f + ".unit_code", "'" + l.unit_code + "' is not a UN/ECE rec 20 code");
    if (l.unit_price.is_negative()) out.add(f + ".unit_price", "negative (BR-27)");
    if (l.category == VatCategory::exempt) {
      if (l.exemption_reason.empty() && l.exemption_code.empty()) {
        out.add(f + ".exemption_reason", "an exempt line must say why (BT-120 or BT-121)");
      } else if (!first_exempt) {
        first_exempt = ExemptionReason{l.exemption_code, l.exemption_reason};
      } else if (first_exempt->code != l.exemption_code ||
                 first_exempt->text != l.exemption_reason) {
        out.add(f + ".exemption_reason",
                "exempt lines with different reasons cannot share one VAT breakdown");
      }
    }
    if (!l.exemption_code.empty() && l.exemption_code.rfind("VATEX-", 0) != 0) {
      out.add(f + ".exemption_code", "'" + l.exemption_code + "' is not a VATEX code");
    }
  }

  // The totals written must be the ones EN 16931 computes from the lines.
  std::vector<domain::LineInput> inputs;
  for (const Line& l : doc.lines) {
    inputs.push_back({l.quantity, l.unit_price, l.discount_percent, l.category, l.vat_rate});
  }
  try {
    domain::Totals t = domain::compute_totals(inputs);
    bool same = t.total_excl == doc.totals.total_excl && t.total_vat == doc.totals.total_vat &&
                t.total_incl == doc.totals.total_incl &&
                t.breakdown.size() == doc.totals.breakdown.size();
    for (size_t i = 0; same && i < doc.lines.size(); ++i) same = doc.lines[i].net == t.line_net[i];
    if (!same) out.add("totals", "do not match the lines: call complete_totals() first");
    if (!doc.lines.empty() && t.total_incl.is_negative()) {
      out.add("totals", credit ? "a credit note with a negative total: make it an invoice"
                               : "an invoice with a negative total (" +
                                     t.total_incl.to_string(2) + "): make it a credit note");
    }
    for (const auto& b : t.breakdown) {
      if (more_than_two_decimals(b.base) || more_than_two_decimals(b.vat)) {
        out.add("totals", "an amount has more than two decimals");
      }
    }
  } catch (const std::exception& e) {
    out.add("lines", std::string("totals cannot be computed: ") + e.what());
  }

  // Payment: an invoice is paid by credit transfer to the seller's IBAN.
  if (!doc.seller.iban.empty()) {
    if (!iban_valid(doc.seller.iban)) out.add("seller.iban", doc.seller.iban + " fails the IBAN check");
  } else if (!credit) {
    out.add("seller.iban", "missing: the buyer needs an account to pay to (BT-84)");
  }
  const std::string& ref = doc.payment_reference;
  if ((ref.rfind("+++", 0) == 0 || ref.rfind("***", 0) == 0) && !domain::ogm_valid(ref)) {
    out.add("payment_reference", ref + " is not a valid structured communication");
  }

  for (size_t i = 0; i < attachments.size(); ++i) {
    const Attachment& a = attachments[i];
    const std::string f = fmt::format("attachments[{}]", i + 1);
    if (!peppol_attachment_mime_allowed(a.mime_type)) {
      out.add(f + ".mime_type", "'" + a.mime_type + "' is not allowed by Peppol");
    }
    if (a.filename.empty()) out.add(f + ".filename", "missing (UBL-DT-07)");
    if (a.id.empty()) out.add(f + ".id", "missing (BT-122)");
  }
  return out.take();
}

}  // namespace invoicing::outputs

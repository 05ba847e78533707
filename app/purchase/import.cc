#include "purchase/import.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "domain/document.h"
#include "domain/line_rules.h"
#include "domain/totals.h"
#include "domain/vat.h"
#include "domain/vat_number.h"
#include "purchase/ubl_reader.h"
#include "store/company_profile.h"
#include "store/documents.h"
#include "store/errors.h"
#include "store/parties.h"
#include "store/purchase_imports.h"

namespace invoicing::purchase {

namespace fs = std::filesystem;
using domain::Decimal;
using store::UserError;

namespace {

std::string sha256_hex(std::string_view bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string out;
  for (unsigned char b : h) out += fmt::format("{:02x}", b);
  return out;
}

// Letters and digits only, upper case: how identifiers are compared ("BE 0477.472.701").
std::string bare(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (std::isalnum(static_cast<unsigned char>(ch)))
      out += char(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

std::string digits(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (std::isdigit(static_cast<unsigned char>(ch))) out += ch;
  return out;
}

// The first `n` characters of UTF-8 text (never a cut character).
std::string first_chars(const std::string& s, size_t n) {
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == n) break;
      ++chars;
    }
  }
  return s.substr(0, i);
}

// Does identifier `id` (a VAT number, an enterprise number, an endpoint ID) name the party
// with VAT number `vat` and enterprise number `entno`? Compared without separators; a Belgian
// enterprise number matches the VAT number with its digits.
bool names(const std::string& id, const std::string& vat, const std::string& entno) {
  const std::string b = bare(id);
  if (b.empty()) return false;
  const std::string v = bare(vat);
  if (!v.empty() && b == v) return true;
  const std::string d = digits(id);
  if (d.size() < 8 || d.size() != b.size()) return false;  // a number only ("0477472701")
  return (!entno.empty() && d == digits(entno)) || (v.size() > 2 && d == v.substr(2));
}

std::string party_text(const UblParty& p) {
  std::string s = p.name;
  if (!p.vat.empty()) s += ", VAT " + p.vat;
  if (!p.endpoint.empty())
    s += ", endpoint " + (p.endpoint_scheme.empty() ? "" : p.endpoint_scheme + ":") + p.endpoint;
  return s;
}

void check_buyer(const UblDocument& d, const store::CompanyProfile& me) {
  std::string peppol = me.peppol_id;
  if (const auto colon = peppol.find(':'); colon != std::string::npos)
    peppol = peppol.substr(colon + 1);
  for (const std::string* id : {&d.buyer.vat, &d.buyer.endpoint, &d.buyer.legal_id})
    if (names(*id, me.vat, me.enterprise_no) || (!peppol.empty() && bare(*id) == bare(peppol)))
      return;
  throw UserError(
      fmt::format("the buyer (AccountingCustomerParty) is {}; this company is {} (VAT {}, "
                  "enterprise number {}): not an invoice to us",
                  party_text(d.buyer), me.name, me.vat.empty() ? "none" : me.vat,
                  me.enterprise_no.empty() ? "none" : me.enterprise_no));
}

// The figure as the document writes it (a credit note's are positive there).
std::string shown(const UblDocument& d, const Decimal& v) {
  return (d.credit_note ? -v : v).to_string(2);
}

struct Planned {
  std::vector<store::LineSpec> specs;
  domain::Totals totals;
};

domain::VatCategory category_of(const std::string& code, const std::string& where,
                                const char* element) {
  const auto cat = domain::vat_category_from_code(code);
  if (!cat)
    throw UserError(fmt::format(
        "{}: VAT category {} ({}) is not one this program records (S, Z, E, AE, K, G)", where,
        code, element));
  return *cat;
}

// The line's VAT as the store keeps it; an exempt line names its reason.
void set_vat(store::LineSpec& s, domain::VatCategory cat, const std::string& code,
             const Decimal& rate, const std::string& exemption_reason) {
  s.vat_category = code;
  s.vat_rate = rate.to_string();
  if (cat == domain::VatCategory::exempt)
    s.vat_reason = first_chars(
        exemption_reason.empty() ? "exempt (supplier's e-invoice)" : exemption_reason, 120);
  s.kind = "S";
}

// One unit at a signed net: how a line the program cannot keep as quantity × price is kept.
void one_unit(domain::LineInput& in, store::LineSpec& s, const Decimal& net) {
  in.quantity = Decimal::from_integer(net.is_negative() ? -1 : 1);
  in.unit_price = net.is_negative() ? -net : net;
  s.quantity = in.quantity.to_string();
  s.price = in.unit_price.to_string();
}

// The document's VAT breakdown (BG-23) row by row against the one the lines give: the same
// rows, each with the same base and VAT (the totals alone can hide two wrong rows).
void check_vat_rows(const UblDocument& d, const std::vector<domain::VatBreakdown>& ours) {
  if (d.vat_rows.empty()) return;  // BR-CO-18 wants one; the totals were compared already
  std::vector<bool> matched(ours.size(), false);
  for (const UblVatRow& row : d.vat_rows) {
    size_t i = 0;
    while (i < ours.size() && !(domain::code(ours[i].category) == row.category &&
                                ours[i].rate == row.rate && !matched[i]))
      ++i;
    const std::string which = fmt::format("TaxSubtotal {} {} % (line {})", row.category,
                                          row.rate.to_string(), row.line);
    if (i == ours.size())
      throw UserError(fmt::format("{}: no line or allowance has that VAT category and rate", which));
    matched[i] = true;
    if (!(row.base == ours[i].base))
      throw UserError(fmt::format("{}: TaxableAmount is {} but the lines give {}", which,
                                  shown(d, row.base), shown(d, ours[i].base)));
    if (!(row.vat == ours[i].vat))
      throw UserError(fmt::format("{}: TaxAmount is {} but the lines give {}", which,
                                  shown(d, row.vat), shown(d, ours[i].vat)));
  }
  for (size_t i = 0; i < ours.size(); ++i)
    if (!matched[i])
      throw UserError(fmt::format(
          "the VAT breakdown (TaxSubtotal) has no row for {} {} %, which the lines have (base {})",
          domain::code(ours[i].category), ours[i].rate.to_string(), shown(d, ours[i].base)));
}

Planned plan_lines(const UblDocument& d) {
  Planned p;
  std::vector<domain::LineInput> inputs;
  const domain::LineLimits limits;
  for (const UblLine& l : d.lines) {
    const std::string where =
        fmt::format("{} {}", d.credit_note ? "CreditNoteLine" : "InvoiceLine", l.id);
    const auto cat = category_of(l.category, where, "ClassifiedTaxCategory/ID");
    store::LineSpec s;
    domain::LineInput in;
    in.category = cat;
    in.vat_rate = l.rate;
    in.discount_percent = Decimal();
    // As sent when quantity × price (less a percentage discount) is the line's net and each
    // fits its field; otherwise (other allowances or charges, a base quantity, more decimals)
    // one unit at the line's net, the supplier's quantity and price in the text.
    const bool fits = domain::check_field(l.quantity, limits.quantity).ok &&
                      domain::check_field(l.price, limits.unit_price).ok &&
                      domain::check_field(l.discount_percent, limits.discount).ok &&
                      !l.quantity.is_zero();
    std::string text = l.name;
    if (!l.adjusted) {  // then BT-131 is quantity x price less the discount, rounded to cents
      domain::LineInput as_sent = in;
      as_sent.quantity = l.quantity;
      as_sent.unit_price = l.price;
      as_sent.discount_percent = l.discount_percent;
      as_sent.vat_rate = Decimal();
      as_sent.category = domain::VatCategory::zero_rated;  // the net does not depend on the VAT
      const Decimal net = domain::compute_totals({as_sent}).line_net.at(0);
      if (!(net == l.net))
        throw UserError(
            fmt::format("{}: LineExtensionAmount is {} but quantity {} x price {}{} gives {}",
                        where, shown(d, l.net),
                        (d.credit_note ? -l.quantity : l.quantity).to_string(), l.price.to_string(),
                        l.discount_percent.is_zero()
                            ? std::string()
                            : fmt::format(" less {} %", l.discount_percent.to_string()),
                        shown(d, net)));
    }
    if (!l.adjusted && fits) {
      in.quantity = l.quantity;
      in.unit_price = l.price;
      in.discount_percent = l.discount_percent;
      s.discount = l.discount_percent.to_string();
      s.quantity = in.quantity.to_string();
      s.price = in.unit_price.to_string();
    } else {
      one_unit(in, s, l.net);
      text =
          fmt::format("{} ({} x {})", l.name,
                      (d.credit_note ? -l.quantity : l.quantity).to_string(), l.price.to_string());
    }
    s.text = first_chars(text, 60);
    set_vat(s, cat, l.category, l.rate, l.exemption_reason);
    inputs.push_back(in);
    p.specs.push_back(std::move(s));
  }
  const auto totals_of = [](const std::vector<domain::LineInput>& in) {
    try {
      return domain::compute_totals(in);
    } catch (const std::exception& e) {
      throw UserError(fmt::format("the lines cannot be totalled: {}", e.what()));
    }
  };
  const Decimal items_net = totals_of(inputs).total_excl;

  // Allowances and charges on the whole document become lines of their own (one unit at the
  // amount, negative for an allowance) in their VAT category, so the VAT breakdown and totals
  // come out as the supplier's: EN 16931 puts them into the base of their category (BT-116).
  Decimal allowances, charges;
  for (const UblAllowance& a : d.allowances) {
    const std::string where = a.charge ? "AllowanceCharge (charge)" : "AllowanceCharge (allowance)";
    const auto cat = category_of(a.category, where, "TaxCategory/ID");
    store::LineSpec s;
    domain::LineInput in;
    in.category = cat;
    in.vat_rate = a.rate;
    one_unit(in, s, a.charge ? a.amount : -a.amount);
    (a.charge ? charges : allowances) += a.amount;
    const std::string what = a.charge ? "Charge" : "Allowance";
    s.text = first_chars(a.reason.empty() ? what + " on the invoice" : what + ": " + a.reason, 60);
    set_vat(s, cat, a.category, a.rate, a.exemption_reason);
    inputs.push_back(in);
    p.specs.push_back(std::move(s));
  }
  p.totals = totals_of(inputs);
  const auto compare = [&](const char* what, const Decimal& doc, const Decimal& ours) {
    if (!(doc == ours))
      throw UserError(fmt::format("LegalMonetaryTotal/{} is {} but the lines give {}", what,
                                  shown(d, doc), shown(d, ours)));
  };
  compare("LineExtensionAmount", d.line_extension, items_net);
  for (const auto& [what, given, sum] : {std::tuple{"AllowanceTotalAmount", d.allowance_total, allowances},
                                          std::tuple{"ChargeTotalAmount", d.charge_total, charges}})
    if (given && !(*given == sum))
      throw UserError(fmt::format("LegalMonetaryTotal/{} is {} but the document's {} add up to {}",
                                  what, shown(d, *given), what[0] == 'A' ? "allowances" : "charges",
                                  shown(d, sum)));
  compare("TaxExclusiveAmount", d.tax_exclusive, p.totals.total_excl);
  if (!(d.tax == p.totals.total_vat))
    throw UserError(fmt::format("TaxTotal/TaxAmount is {} but the lines give {}", shown(d, d.tax),
                                shown(d, p.totals.total_vat)));
  compare("TaxInclusiveAmount", d.tax_inclusive, p.totals.total_incl);
  compare("PayableAmount", d.payable, p.totals.total_incl - d.prepaid + d.rounding);
  check_vat_rows(d, p.totals.breakdown);
  return p;
}

// The supplier by VAT number, else by the endpoint ID (or enterprise number).
std::optional<store::Party> find_supplier(store::Company& c, const UblParty& s) {
  store::PartyFilter f;
  f.archived = true;
  const auto all = store::Parties(c, store::PartyKind::supplier).list(f);
  if (!bare(s.vat).empty())
    for (const auto& p : all)
      if (bare(p.vat) == bare(s.vat)) return p;
  for (const std::string* id : {&s.endpoint, &s.legal_id})
    for (const auto& p : all)
      if (names(*id, p.vat, p.enterprise_no)) return p;
  return std::nullopt;
}

store::Party create_supplier(store::Company& c, const UblDocument& d) {
  store::Parties parties(c, store::PartyKind::supplier);
  std::string base = bare(d.supplier.name).substr(0, 8);
  if (base.empty()) base = "SUPPLIER";
  std::string code = base;
  for (int n = 2; parties.find(code); ++n) code = base + std::to_string(n);
  store::PartyInput in;
  in.code = code;
  in.name = first_chars(d.supplier.name, 60);
  if (!d.supplier.street.empty()) in.street = first_chars(d.supplier.street, 60);
  if (!d.supplier.zip.empty()) in.zip = d.supplier.zip;
  if (!d.supplier.city.empty()) in.city = first_chars(d.supplier.city, 40);
  if (!d.supplier.country.empty()) in.country = d.supplier.country;
  if (!d.supplier.vat.empty()) in.vat = d.supplier.vat;
  if (!d.iban.empty()) in.iban = d.iban;
  in.business = true;
  return parties.add(in);
}

std::string note_of(const UblDocument& d, const std::string& file) {
  std::string n = fmt::format("e-invoice {} {} of {}", d.credit_note ? "credit note" : "invoice",
                              d.number, domain::to_iso(d.issue_date));
  if (d.due_date) n += ", due " + domain::to_iso(*d.due_date);
  n += fmt::format(" from {} (imported from {})", party_text(d.supplier), file);
  return n;
}

ImportOutcome import_checked(store::Company& c, const fs::path& file, const ImportOptions& o) {
  ImportOutcome out;
  out.file = file.string();
  const std::string name = file.filename().string();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw UserError(fmt::format("{}: not a file", out.file));
  const auto size = fs::file_size(file, ec);
  if (ec) throw UserError(fmt::format("{}: {}", out.file, ec.message()));
  // Refused before it is read: a file of 50 MB is not an invoice and is never held in memory.
  if (size > kMaxUblBytes)
    throw UserError(fmt::format("{}: {} bytes: more than the {} MB an e-invoice may have", name,
                                size, kMaxUblBytes >> 20));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in) throw UserError(fmt::format("{}: cannot be read", out.file));
  const std::string bytes = buf.str();
  const std::string sha = sha256_hex(bytes);

  if (const auto before = store::purchase_import_by_sha(c, sha)) {
    out.kind = ImportOutcome::Kind::skipped;
    out.doc_id = before->doc_id;
    out.document = store::Documents(c).show(before->doc_id).label;
    out.reason = fmt::format("the same file (SHA-256 {}) was imported as {} on {}",
                             sha.substr(0, 12), out.document, before->when);
    return out;
  }
  const UblDocument d = read_ubl(bytes, name);
  out.number = d.number;
  out.credit_note = d.credit_note;
  if (d.currency != "EUR")
    throw UserError(
        fmt::format("DocumentCurrencyCode is {}: purchases are recorded in EUR", d.currency));
  check_buyer(d, store::read_company_profile(c));
  if (d.number.size() > 40)
    throw UserError(fmt::format("ID (the invoice number) has {} characters: at most 40 are kept",
                                d.number.size()));
  const Planned plan = plan_lines(d);

  auto supplier = find_supplier(c, d.supplier);
  if (supplier) {
    store::DocFilter f;
    f.type = domain::DocType::purchase_invoice;
    f.party = supplier->code;
    for (const auto& v : store::Documents(c).list(f))
      if (v.doc.customer_ref == d.number && v.doc.status != domain::DocStatus::cancelled) {
        out.kind = ImportOutcome::Kind::skipped;
        out.doc_id = v.doc.id;
        out.document = v.label;
        out.supplier = supplier->code;
        out.reason = fmt::format("{} {} of supplier {} is already recorded as {}",
                                 d.credit_note ? "credit note" : "invoice", d.number,
                                 supplier->code, v.label);
        return out;
      }
  } else if (!o.create_supplier) {
    throw UserError(fmt::format(
        "the supplier {} is not among the suppliers (none has its VAT number or "
        "endpoint ID): add it (invoicing supplier add) or import with --create-supplier",
        party_text(d.supplier)));
  } else {
    supplier = create_supplier(c, d);
    out.supplier_created = true;
  }
  out.supplier = supplier->code;

  store::Documents docs(c);
  int32_t id = 0;
  try {
    id = docs.create(domain::DocType::purchase_invoice, supplier->code);
    store::DocView v;
    for (const auto& s : plan.specs) v = docs.add_line(id, s);
    store::DraftChange ch;
    ch.customer_ref = d.number;
    ch.note = note_of(d, name);
    v = docs.change(id, ch);
    // What the store computed from the stored lines is what the supplier's totals say.
    if (!(v.doc.total_incl == plan.totals.total_incl) ||
        !(v.doc.total_vat == plan.totals.total_vat))
      throw UserError(fmt::format("the recorded lines total {} (VAT {}), the e-invoice {} (VAT {})",
                                  v.doc.total_incl.to_string(2), v.doc.total_vat.to_string(2),
                                  plan.totals.total_incl.to_string(2),
                                  plan.totals.total_vat.to_string(2)));
    v = docs.finalize(id);
    out.document = v.label;
    out.total_excl = v.doc.total_excl;
    out.total_vat = v.doc.total_vat;
    out.total_incl = v.doc.total_incl;
  } catch (...) {
    // Nothing stays of a refused file: the draft and a supplier made for it go again.
    if (id && out.document.empty()) {
      try {
        docs.remove(id);
      } catch (...) {
      }
    }
    if (out.supplier_created && out.document.empty()) {
      try {
        store::Parties(c, store::PartyKind::supplier).remove(supplier->code);
      } catch (...) {
      }
    }
    throw;
  }
  out.doc_id = id;
  out.kept = store::keep_purchase_import(c, id, name, sha, bytes, d.pdf).kept;
  out.kind = ImportOutcome::Kind::imported;
  return out;
}

}  // namespace

const char* kind_word(ImportOutcome::Kind k) {
  switch (k) {
    case ImportOutcome::Kind::imported:
      return "imported";
    case ImportOutcome::Kind::skipped:
      return "skipped";
    case ImportOutcome::Kind::refused:
      return "refused";
  }
  return "refused";
}

ImportOutcome import_file(store::Company& c, const fs::path& file, const ImportOptions& o) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  try {
    return import_checked(c, file, o);
  } catch (const UblError& e) {
    ImportOutcome out;
    out.file = file.string();
    out.reason = e.what();
    return out;
  } catch (const UserError& e) {
    ImportOutcome out;
    out.file = file.string();
    out.reason = e.what();
    return out;
  } catch (const domain::DecimalOverflow& e) {
    ImportOutcome out;
    out.file = file.string();
    out.reason = fmt::format("{}: an amount or quantity is too large ({})",
                             file.filename().string(), e.what());
    return out;
  }
}

std::vector<ImportOutcome> import_path(store::Company& c, const fs::path& path,
                                       const ImportOptions& o) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {import_file(c, path, o)};
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char ch) { return char(std::tolower(ch)); });
    if (ext == ".xml" && e.is_regular_file(ec)) files.push_back(e.path());
  }
  if (ec) throw UserError(fmt::format("{}: {}", path.string(), ec.message()));
  std::sort(files.begin(), files.end());
  std::vector<ImportOutcome> out;
  for (const auto& f : files) out.push_back(import_file(c, f, o));
  return out;
}

}  // namespace invoicing::purchase

#include "store/parties.h"

#include <algorithm>

#include <fmt/format.h>

#include "domain/document_label.h"
#include "domain/payment_terms.h"
#include "domain/vat_number.h"
#include "store/audit.h"
#include "store/document_records.h"
#include "store/documents.h"
#include "store/field_rules.h"
#include "store/text_search.h"

using xbase::Value;

namespace invoicing::store {

namespace {

std::string upper_ascii(std::string s) {
  for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool plausible_address(std::string_view e) {
  auto at = e.find('@');
  return at != std::string::npos && at > 0 && e.find('.', at) != std::string::npos && e.back() != '.' &&
         e.find(' ') == std::string::npos && e.find('@', at + 1) == std::string::npos;
}

// One address, or several separated by "; " (as the import writes them: invoices to the
// bookkeeping, reminders to the owner).
bool plausible_email(std::string_view e) {
  while (true) {
    auto semi = e.find(';');
    std::string_view one = e.substr(0, semi);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    if (!plausible_address(one)) return false;
    if (semi == std::string_view::npos) return true;
    e.remove_prefix(semi + 1);
  }
}

}  // namespace

void Parties::apply(Party& p, const PartyInput& in) {
  const Tbl t = table();
  const std::string w = what();
  auto text = [&](const std::optional<std::string>& v, std::string& into, std::string_view field, const char* label) {
    if (v) into = checked_text(t, field, *v, fmt::format("a {}'s {}", w, label));
  };
  text(in.code, p.code, fld::code, "code");
  text(in.name, p.name, fld::name, "name");
  text(in.street, p.street, fld::street, "street");
  text(in.zip, p.zip, fld::zip, "postcode");
  text(in.city, p.city, fld::city, "city");
  text(in.email, p.email, fld::email, "e-mail address");
  text(in.phone, p.phone, fld::phone, "phone number");
  text(in.note, p.note, fld::note, "note");
  if (in.vat) {
    if (in.vat->empty()) {
      p.vat.clear();  // a VAT number can be cleared
    } else {
      auto chk = domain::check_vat_number(*in.vat);
      if (!chk.valid) throw UserError(fmt::format("VAT number {}: {}", *in.vat, chk.reason));
      p.vat = chk.normalized;
    }
  }
  if (in.enterprise_no) text(in.enterprise_no, p.enterprise_no, fld::enterprise_no, "enterprise number");
  if (in.iban) {
    std::string iban;
    for (char c : *in.iban)
      if (c != ' ') iban += char(std::toupper(static_cast<unsigned char>(c)));
    p.iban = checked_text(t, fld::iban, iban, fmt::format("a {}'s IBAN", w));
  }
  if (in.bic) p.bic = checked_text(t, fld::bic, upper_ascii(*in.bic), fmt::format("a {}'s BIC", w));
  if (in.country) {
    std::string c = upper_ascii(*in.country);
    if (c.size() != 2 || !std::isalpha(static_cast<unsigned char>(c[0])) || !std::isalpha(static_cast<unsigned char>(c[1])))
      throw UserError(fmt::format("a {}'s country is a two-letter code (BE, NL, FR, ...), not \"{}\"", w, *in.country));
    p.country = c;
  }
  if (in.lang) {
    if (*in.lang != "nl" && *in.lang != "fr" && *in.lang != "en" && *in.lang != "de")
      throw UserError(fmt::format("a {}'s language is nl, fr, en or de, not \"{}\"", w, *in.lang));
    p.lang = *in.lang;
  }
  if (in.terms) {
    auto terms = domain::parse_payment_terms(*in.terms);
    if (!terms) throw UserError(terms.verdict.message());
    p.terms = terms.value->days;
    p.terms_eom = terms.value->end_of_month;
  }
  if (in.business) p.business = *in.business;
  if (in.renovation) p.renovation = *in.renovation;
  if (in.contractor) p.contractor = *in.contractor;
  if (!p.email.empty() && !plausible_email(p.email))
    throw UserError(fmt::format("\"{}\" is not an e-mail address", p.email));
  if (p.code.empty()) throw UserError(fmt::format("a {} needs a code", w));
  if (p.name.empty()) throw UserError(fmt::format("a {} needs a name", w));
  // The VAT number says where a business is, when no country was given.
  if (p.country.empty()) p.country = p.vat.size() >= 2 ? (p.vat.substr(0, 2) == "EL" ? "GR" : p.vat.substr(0, 2)) : home_country();
  if (p.lang.empty()) p.lang = "nl";
}

const std::string& Parties::home_country() {
  if (home_country_.empty()) home_country_ = c_.setting("country", "BE");
  return home_country_;
}

Party Parties::validate(const PartyInput& in) {
  Party p;
  p.business = in.vat && !in.vat->empty();
  apply(p, in);
  return p;
}

Party Parties::add(const PartyInput& in) {
  Party p = validate(in);
  Storage& s = c_.storage();
  Action a(s);
  Row r = row_of(p);
  try {
    s.insert(table(), r);
  } catch (const DuplicateKey&) {
    throw UserError(fmt::format("{} code {} exists already", what(), p.code));
  }
  a.commit();
  p.row = r.id;
  p.id = int32_t(r.integer(fld::id));
  return p;
}

Party Parties::edit(const std::string& code, const PartyInput& in) {
  Storage& s = c_.storage();
  Party p = get(code);
  Action a(s);
  s.lock(table(), p.row, c_.lock_wait());
  p = party_from(*s.get(table(), p.row));  // as it is now that it is ours
  apply(p, in);
  try {
    s.update(table(), p.row, row_of(p));
  } catch (const DuplicateKey&) {
    throw UserError(fmt::format("{} code {} exists already", what(), p.code));
  }
  a.commit();
  return p;
}

std::optional<Party> Parties::find(const std::string& code) {
  if (code.empty()) return std::nullopt;
  auto r = c_.storage().find(table(), "CODE", {Value::text(code)});
  if (!r) return std::nullopt;
  return party_from(*r);
}

Party Parties::get(const std::string& code) {
  auto p = find(code);
  if (!p) throw NotFound(fmt::format("no {} with code {}", what(), code));
  return *p;
}

std::optional<Party> Parties::by_id(int32_t id) {
  auto r = c_.storage().find(table(), "ID", {Value::integer(id)});
  if (!r) return std::nullopt;
  return party_from(*r);
}

std::vector<Party> Parties::all() {
  std::vector<std::pair<std::string, Party>> keyed;
  c_.storage().scan(table(), [&](const Row& r) {
    Party p = party_from(r);
    keyed.emplace_back(upper_text(p.code), std::move(p));
    return true;
  });
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Party> out;
  out.reserve(keyed.size());
  for (auto& [code, p] : keyed) out.push_back(std::move(p));
  return out;
}

std::vector<Party> Parties::list(const PartyFilter& f) {
  std::vector<Party> out;
  TextSearch search(f.search);
  const bool backward = !f.before.empty();
  const std::string edge = upper_text(backward ? f.before : f.after);
  std::vector<Value> from;
  if (!edge.empty()) from.push_back(Value::text(edge));
  auto keep = [&](const Row& r) {
    // The fields searched first, the whole party only for a match.
    if (!f.archived && r.flag(fld::archived)) return true;
    if (!edge.empty()) {
      // A sought text key also stands on longer codes that start with it.
      const std::string code = upper_text(r.text(fld::code));
      if (code == edge || (backward && code > edge)) return true;
    }
    if (!search.matches({r.text(fld::code), r.text(fld::name), r.text(fld::vat), r.text(fld::city)})) return true;
    out.push_back(party_from(r));
    return f.limit == 0 || out.size() < f.limit;
  };
  if (search.empty()) {
    c_.storage().walk(table(), "CODE", from, backward, keep);
    if (backward) std::reverse(out.begin(), out.end());
    return out;
  }
  // A search reads the table in storage order (blocks at a time: several times faster than a
  // record per index step when the whole table is read for a rare match) and sorts by code.
  // The fields searched only; the whole record of the ones kept.
  Storage& s = c_.storage();
  std::vector<std::pair<std::string, RowId>> hits;
  s.scan_fields(table(), {fld::code, fld::name, fld::vat, fld::city, fld::archived}, [&](const Row& r) {
    if (!f.archived && r.flag(fld::archived)) return true;
    if (search.matches({r.text(fld::code), r.text(fld::name), r.text(fld::vat), r.text(fld::city)}))
      hits.emplace_back(upper_text(r.text(fld::code)), r.id);
    return true;
  });
  std::sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) { return backward ? a.first > b.first : a.first < b.first; });
  for (const auto& [code, id] : hits) {
    if (!edge.empty() && (backward ? code >= edge : code <= edge)) continue;  // the walk's seek
    auto r = s.get(table(), id);
    if (r && !keep(*r)) break;
  }
  if (backward) std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace invoicing::store

namespace invoicing::store {

void Parties::remove(const std::string& code) {
  Storage& s = c_.storage();
  Party p = get(code);
  Action a(s);
  s.lock(table(), p.row, c_.lock_wait());
  // The documents and payments that name it (those made by others until now included: we
  // hold its record, and a new document reads it first).
  std::string uses;
  int n = 0;
  s.range(Tbl::doc, "PARTY", {Value::integer(p.id)}, [&](const Row& r) {
    Document d = document_from(r);
    if (party_kind(d.type) != kind_) return true;
    if (++n <= 3) uses += (uses.empty() ? "" : ", ") + Documents::label(d);
    return true;
  });
  bool paid = false;
  if (kind_ == PartyKind::customer)
    s.range(Tbl::payment, "PARTY", {Value::integer(p.id)}, [&](const Row&) {
      paid = true;
      return false;
    });
  if (n || paid)
    throw UserError(fmt::format("{} {} is named by {}{}{}: archive it instead (invoicing {} archive --code {})", what(),
                                p.code, n ? fmt::format("{} document{} ({}{})", n, n == 1 ? "" : "s", uses, n > 3 ? ", ..." : "") : "",
                                n && paid ? " and " : "", paid ? "payments" : "", what(), p.code));
  s.remove(table(), p.row);
  a.commit();
}

Party Parties::set_archived(const std::string& code, bool archived) {
  Storage& s = c_.storage();
  Party p = get(code);
  Action a(s);
  s.lock(table(), p.row, c_.lock_wait());
  p = party_from(*s.get(table(), p.row));
  p.archived = archived;
  s.update(table(), p.row, Row().flag(fld::archived, archived));
  a.commit();
  return p;
}

}  // namespace invoicing::store

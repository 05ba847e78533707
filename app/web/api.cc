#include "web/api.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/credit_note.h"
#include "domain/totals.h"
#include "domain/vat.h"
#include "domain/vat_number.h"
#include "outputs/from_store.h"
#include "outputs/pdf_writer.h"
#include "outputs/ubl_rules.h"
#include "outputs/ubl_writer.h"
#include "store/articles.h"
#include "store/audit.h"
#include "store/document_records.h"
#include "store/documents.h"
#include "store/parties.h"
#include "store/payments.h"
#include "store/settings.h"
#include "web/request_guard.h"
#include "xbase/error.h"

namespace invoicing::web {

using nlohmann::json;

namespace {

// A request the API cannot take as it is (bad JSON, a missing field, an unknown path): 400
// or 404 with the reason.
struct BadRequest : std::runtime_error {
  BadRequest(int status, const std::string& what) : std::runtime_error(what), status(status) {}
  int status;
};

std::string date_text(const std::optional<xbase::Date>& d) {
  return d ? fmt::format("{:04}-{:02}-{:02}", d->year, d->month, d->day) : "";
}

std::optional<xbase::Date> parse_date(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto d = outputs::parse_iso_date(s);
  if (!d) throw store::UserError(fmt::format("\"{}\" is not a date YYYY-MM-DD", s));
  return *d;
}

// A quantity, rate or stock as people write it: "10", "2.5", "21" (the store keeps 10.000).
std::string plain_number(const domain::Decimal& d) {
  std::string s = d.to_string();
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

json party_json(const store::Party& p) {
  return {{"id", p.id},           {"code", p.code},     {"name", p.name},       {"street", p.street},
          {"zip", p.zip},         {"city", p.city},     {"country", p.country}, {"vat", p.vat},
          {"enterprise_no", p.enterprise_no}, {"email", p.email}, {"phone", p.phone},
          {"iban", p.iban},       {"bic", p.bic},       {"lang", p.lang},       {"note", p.note},
          {"terms", p.terms_eom ? fmt::format("EOM+{}", p.terms) : std::to_string(p.terms)},
          {"business", p.business}, {"archived", p.archived}};
}

json article_json(const store::Article& a) {
  return {{"id", a.id},
          {"code", a.code},
          {"description", a.description},
          {"unit", a.unit},
          {"price", a.price.to_string(2)},
          {"vat_rate", plain_number(a.vat_rate)},
          {"vat_category", a.vat_category},
          {"kind", a.kind},
          {"stocked", a.stocked},
          {"stock", plain_number(a.stock)},
          {"min_stock", plain_number(a.min_stock)},
          {"archived", a.archived}};
}

json doc_json(const store::DocView& v) {
  const auto& d = v.doc;
  json j = {{"id", d.id},
            {"type", domain::doc_type_code(d.type)},
            {"status", domain::doc_status_code(d.status)},
            {"year", d.year},
            {"number", d.number},
            {"label", v.label},
            {"date", date_text(d.date)},
            {"due_date", date_text(d.due_date)},
            {"party_code", v.party_code},
            {"party_name", v.party_name},
            {"total_excl", d.total_excl.to_string(2)},
            {"total_vat", d.total_vat.to_string(2)},
            {"total_incl", d.total_incl.to_string(2)},
            {"source_label", v.source_label},
            {"ogm", d.ogm},
            {"warnings", v.warnings}};
  json lines = json::array();
  for (const auto& l : v.lines)
    lines.push_back({{"lineno", l.line.lineno},
                     {"article", l.article_code},
                     {"description", l.line.description},
                     {"quantity", plain_number(l.line.quantity)},
                     {"price", l.line.price.to_string(2)},
                     {"discount", plain_number(l.line.discount)},
                     {"vat_category", l.line.vat_category},
                     {"vat_rate", plain_number(l.line.vat_rate)},
                     {"net", l.line.net.to_string(2)}});
  j["lines"] = lines;
  json made = json::array();
  for (const auto& m : v.made_from_it)
    made.push_back({{"id", m.id}, {"label", m.label}, {"status", domain::doc_status_code(m.status)}});
  j["made_from_it"] = made;
  if (v.payment) {
    j["payment"] = {{"status", domain::invoice_status_name(v.payment->status)},
                    {"open", v.payment->open.to_string(2)},
                    {"days_overdue", v.payment->days_overdue}};
  }
  return j;
}

json parse_body(const std::string& body) {
  if (body.empty()) return json::object();
  try {
    json j = json::parse(body);
    if (!j.is_object()) throw BadRequest(400, "the request's body is not a JSON object");
    return j;
  } catch (const json::parse_error&) {
    throw BadRequest(400, "the request's body is not JSON");
  }
}

// A final invoice's payments (a credit note's refunds), oldest first; none for other documents.
json payments_json(store::Company& c, const store::DocView& v) {
  json out = json::array();
  const auto& d = v.doc;
  if (d.status != domain::DocStatus::final || (d.type != domain::DocType::invoice && d.type != domain::DocType::credit_note))
    return out;
  for (const auto& p : store::Payments(c).list_of(d, false))
    out.push_back({{"id", p.payment.id}, {"date", date_text(p.payment.date)}, {"amount", p.payment.amount.to_string(2)},
                   {"method", p.payment.method}, {"reference", p.payment.reference}, {"user", p.payment.user}});
  return out;
}

// One document as its screen shows it: with its payments and its history (the audit log's
// entries about it: who finalized, converted, paid it, and when).
json doc_page_json(store::Company& c, const store::DocView& v) {
  json j = doc_json(v);
  j["payments"] = payments_json(c, v);
  store::AuditFilter f;
  f.doc = v.doc.id;
  f.last = 0;
  json history = json::array();
  for (const auto& e : store::audit_log(c, f))
    history.push_back({{"when", e.when}, {"user", e.user}, {"workstation", e.workstation}, {"action", e.action},
                       {"text", e.text}});
  j["history"] = history;
  // What may still be credited (over its live credit notes, drafts too): the page offers a
  // credit note only while something is left, as the store refuses one after that.
  if (v.doc.status == domain::DocStatus::final && v.doc.type == domain::DocType::invoice) {
    const store::CreditState st = store::credit_state(c, v.doc, 0, &v.lines);
    j["credit_left"] = domain::credit_room(st.invoice, st.earlier).amount.to_string(2);
  }
  return j;
}

// The document's page with the other workstations that have it open for editing (a seat's
// busy mark; not this process's own seat, nor a read-only handle's, which holds none), the user
// and workstation apart, for the page to say in its words.
json page_with_users(store::Company& c, int own_seat, const store::DocView& v) {
  json j = doc_page_json(c, v);
  const std::string editing = fmt::format("editing document {} (", v.doc.id);
  json users = json::array();
  for (const auto& h : c.seat_holders())
    if (!h.ours && h.slot != own_seat && h.busy.rfind(editing, 0) == 0)
      users.push_back({{"user", h.who.user}, {"workstation", h.who.workstation}});
  j["in_use_by"] = users;
  return j;
}

// A text field of the body; nullopt when absent or null, 400 when not a text.
std::optional<std::string> text_of(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  throw BadRequest(400, fmt::format("\"{}\" must be a text", name));
}
std::optional<bool> flag_of(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw BadRequest(400, fmt::format("\"{}\" must be true or false", name));
  return it->get<bool>();
}

size_t number_param(const std::map<std::string, std::string>& q, const char* name, size_t fallback, size_t most) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return fallback;
  size_t v = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || end != it->second.data() + it->second.size())
    throw BadRequest(400, fmt::format("{}=\"{}\" is not a whole number", name, it->second));
  return std::min(v, most);
}

std::string param(const std::map<std::string, std::string>& q, const char* name) {
  auto it = q.find(name);
  return it == q.end() ? "" : it->second;
}

// The page's language asked for (?lang=), English when none.
std::string lang_of(const std::map<std::string, std::string>& query) {
  const std::string lang = param(query, "lang");
  return lang.empty() ? "en" : lang;
}

// A page of what the store read up to its end and one more: the total is known only when the
// list ends on this page ("1-25 of more than 25" until then).
template <class T, class F>
json page_json(const std::vector<T>& found, size_t offset, size_t limit, F to_json) {
  json items = json::array();
  for (size_t i = offset; i < found.size() && i < offset + limit; ++i) items.push_back(to_json(found[i]));
  const bool more = found.size() > offset + limit;
  return {{"offset", offset}, {"items", items}, {"more", more}, {"total", more ? json(nullptr) : json(found.size())}};
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t at = 1;
  while (at <= path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    parts.push_back(url_decode(std::string_view(path).substr(at, end - at), false));
    at = end + 1;
  }
  return parts;
}

int32_t doc_id(const std::string& s) {
  int32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0)
    throw BadRequest(404, fmt::format("\"{}\" is not a document number", s));
  return v;
}

domain::DocType type_of(const std::string& code) {
  auto t = domain::doc_type_from_code(code);
  if (!t) throw BadRequest(400, fmt::format("unknown document type \"{}\" (QUO, ORD, DEL, INV, CRN, PIN)", code));
  return *t;
}

store::PartyInput party_input(const json& b) {
  store::PartyInput in;
  in.code = text_of(b, "code");
  in.name = text_of(b, "name");
  in.street = text_of(b, "street");
  in.zip = text_of(b, "zip");
  in.city = text_of(b, "city");
  in.country = text_of(b, "country");
  in.vat = text_of(b, "vat");
  in.enterprise_no = text_of(b, "enterprise_no");
  in.email = text_of(b, "email");
  in.phone = text_of(b, "phone");
  in.iban = text_of(b, "iban");
  in.bic = text_of(b, "bic");
  in.lang = text_of(b, "lang");
  in.note = text_of(b, "note");
  in.terms = text_of(b, "terms");
  in.business = flag_of(b, "business");
  return in;
}

store::ArticleInput article_input(const json& b) {
  store::ArticleInput in;
  in.code = text_of(b, "code");
  in.description = text_of(b, "description");
  in.unit = text_of(b, "unit");
  in.price = text_of(b, "price");
  in.vat_rate = text_of(b, "vat_rate");
  in.min_stock = text_of(b, "min_stock");
  in.opening_stock = text_of(b, "opening_stock");
  in.kind = text_of(b, "kind");
  if (in.opening_stock && in.opening_stock->empty()) in.opening_stock.reset();
  if (in.min_stock && in.min_stock->empty()) in.min_stock.reset();
  return in;
}

store::LineSpec line_spec(const json& b) {
  store::LineSpec l;
  l.article = text_of(b, "article").value_or("");
  l.text = text_of(b, "text").value_or("");
  l.quantity = text_of(b, "quantity").value_or("1");
  l.price = text_of(b, "price").value_or("");
  l.discount = text_of(b, "discount").value_or("0");
  l.vat_rate = text_of(b, "vat_rate").value_or("");
  if (l.quantity.empty()) l.quantity = "1";
  if (l.discount.empty()) l.discount = "0";
  return l;
}

// The totals of a draft with one more line as it is being typed, by domain::compute_totals:
// the page shows them before the line is added. The line's VAT is the rate typed (or the
// article's) in the standard category; adding it lets the store decide for the customer.
// Reads the draft's lines only (not the payments ledger a full show() builds).
json preview(store::Company& c, int32_t id, const json& b) {
  std::vector<domain::LineInput> in = store::inputs_of(store::lines_of(c.storage(), store::document_by_id(c.storage(), id).id));
  const store::LineSpec spec = line_spec(b);
  std::optional<store::Article> article;
  if (!spec.article.empty()) article = store::Articles(c).get(spec.article);
  domain::LineInput extra;
  extra.quantity = store::typed_decimal(spec.quantity, "a quantity");
  extra.unit_price = spec.price.empty() ? (article ? article->price : domain::Decimal())
                                        : store::typed_decimal(spec.price, "a price");
  extra.discount_percent = store::typed_decimal(spec.discount, "a discount");
  extra.vat_rate = spec.vat_rate.empty() ? (article ? article->vat_rate : domain::Decimal::from_integer(21))
                                         : store::typed_decimal(spec.vat_rate, "a VAT rate");
  if (extra.vat_rate.is_zero()) extra.category = domain::VatCategory::zero_rated;
  in.push_back(extra);
  domain::Totals t;
  try {
    t = domain::compute_totals(in);
  } catch (const std::invalid_argument& e) {
    throw store::UserError(e.what());
  }
  return {{"line_net", t.line_net.back().to_string(2)},
          {"total_excl", t.total_excl.to_string(2)},
          {"total_vat", t.total_vat.to_string(2)},
          {"total_incl", t.total_incl.to_string(2)}};
}

// The dashboard from Documents::summary (drafts by their index, invoices by the ledger),
// each list the newest kDashboardRows with its count: a company with thousands of open
// invoices gets a screen, not a dump.
constexpr size_t kDashboardRows = 10;

json dashboard(store::Company& c, int own_seat) {
  const auto sum = store::Documents(c).summary(kDashboardRows);
  auto rows = [](const std::vector<store::DocView>& vs) {
    json a = json::array();
    for (const auto& v : vs) a.push_back(doc_json(v));
    return a;
  };
  json j = {{"drafts", rows(sum.drafts)}, {"open", rows(sum.open)}, {"overdue", rows(sum.overdue)},
            {"counts", {{"drafts", sum.n_drafts}, {"open", sum.n_open}, {"overdue", sum.n_overdue}}}};
  store::ArticleFilter low;
  low.below_minimum = true;
  json a = json::array();
  for (const auto& art : store::Articles(c).list(low)) a.push_back(article_json(art));
  j["below_minimum"] = a;
  json seats = json::array();
  for (const auto& s : c.seat_holders())
    seats.push_back({{"slot", s.slot}, {"user", s.who.user}, {"workstation", s.who.workstation}, {"busy", s.busy},
                     {"ours", s.ours || s.slot == own_seat}});
  j["seats"] = seats;
  j["seats_allowed"] = c.seats();
  return j;
}

// What this seat says while its page shows draft `doc`, so that another workstation opening
// it reads "in use by anna on PC-anna" (Company::busy_with matches a prefix: the "(" keeps
// document 1 from matching document 17).
std::string editing_text(int32_t doc) { return fmt::format("editing document {} (draft)", doc); }

ApiResponse json_answer(const json& j, int status = 200) {
  ApiResponse r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

}  // namespace

ApiResponse Api::handle(const ApiRequest& r) {
  // Settings are read once per request, never kept from one to the next.
  store::Company::Command command(c_);
  try {
    const std::vector<std::string> p = split_path(r.path);  // "api", ...
    const bool get = r.method == "GET", post = r.method == "POST";
    const json body = post ? parse_body(r.body) : json::object();
    const size_t n = p.size();
    auto is = [&](std::initializer_list<const char*> words) {
      if (n != words.size()) return false;
      size_t i = 0;
      for (const char* w : words) {
        if (*w != '*' && p[i] != w) return false;
        ++i;
      }
      return true;
    };

    if (get && is({"api", "session"})) {
      const auto& who = c_.who();
      return json_answer({{"csrf", csrf_},
                          {"user", who.user},
                          {"workstation", who.workstation},
                          {"company", c_.setting("company")},
                          {"data", c_.dir().string()},
                          {"seat", c_.seat()},
                          {"edition", domain::edition_name(c_.edition())},
                          {"version", store::program_name()}});
    }
    if (get && is({"api", "dashboard"})) return json_answer(dashboard(c_, own_seat_));
    if ((get && is({"api", "safety"})) || (post && is({"api", "safety", "check"}))) {
      if (post && check_) safety_ = check_();
      json a = json::array();
      for (const auto& f : safety_) a.push_back({{"group", f.group}, {"message", f.message}, {"fix", f.fix}});
      return json_answer({{"checked", bool(check_)}, {"data", c_.dir().string()}, {"findings", a}});
    }
    if (post && is({"api", "editing"})) {
      // The page says which draft it shows (0: none); another workstation sees it as in use.
      const auto doc = body.find("doc");
      if (doc == body.end() || !doc->is_number_integer() || doc->get<int64_t>() < 0 || doc->get<int64_t>() > INT32_MAX)
        throw BadRequest(400, "\"doc\" must be a document number (0: none)");
      const auto id = doc->get<int32_t>();
      c_.storage().set_busy(id ? editing_text(id) : "");
      return json_answer({{"editing", id}});
    }

    if (is({"api", "customers"}) || is({"api", "customers", "*"}) || is({"api", "suppliers"}) ||
        is({"api", "suppliers", "*"})) {
      // Suppliers are parties as customers are, in their own table (PartyKind::supplier).
      store::Parties parties(c_, p[1] == "suppliers" ? store::PartyKind::supplier : store::PartyKind::customer);
      if (get && n == 2) {
        // The store reads up to the end of this page and one more: the total is known only
        // when the list ends on this page (10,000 customers are not read for a page of 25).
        // With `after` (the last code of the page before) or `before` (the first code of the
        // page after) the store seeks the CODE index there; `offset` then only numbers the
        // rows. Without them, it counts `offset` rows from the start.
        store::PartyFilter f;
        f.search = param(r.query, "search");
        f.after = param(r.query, "after");
        f.before = param(r.query, "before");
        if (!f.after.empty() && !f.before.empty()) throw BadRequest(400, "give \"after\" or \"before\", not both");
        const size_t offset = number_param(r.query, "offset", 0, SIZE_MAX / 2);
        const size_t limit = number_param(r.query, "limit", 50, 500);
        const bool keyed = !f.after.empty() || !f.before.empty();
        // Backward, the page is the `limit` codes before; there is more after it by definition.
        f.limit = f.before.empty() ? (keyed ? 0 : offset) + limit + 1 : limit;
        json page = page_json(parties.list(f), keyed ? 0 : offset, limit, party_json);
        if (keyed) {
          page["offset"] = offset;
          if (!f.before.empty()) page["more"] = true;
          page["total"] = page["more"].get<bool>() ? json(nullptr) : json(offset + page["items"].size());
        }
        return json_answer(page);
      }
      if (get) return json_answer(party_json(parties.get(p[2])));
      if (post && n == 2) return json_answer(party_json(parties.add(party_input(body))), 201);
      if (post) return json_answer(party_json(parties.edit(p[2], party_input(body))));
    }
    if (get && is({"api", "vat-check"})) {
      const auto v = domain::check_vat_number(param(r.query, "number"));
      return json_answer({{"valid", v.valid}, {"normalized", v.normalized}, {"country", v.country}, {"reason", v.reason}});
    }
    if (is({"api", "articles"})) {
      store::Articles articles(c_);
      if (get) {
        store::ArticleFilter f;
        f.search = param(r.query, "search");
        const size_t offset = number_param(r.query, "offset", 0, SIZE_MAX / 2);
        const size_t limit = number_param(r.query, "limit", 50, 500);
        f.limit = offset + limit + 1;
        return json_answer(page_json(articles.list(f), offset, limit, article_json));
      }
      if (post) return json_answer(article_json(articles.add(article_input(body))), 201);
    }
    if (is({"api", "articles", "*"}) || is({"api", "articles", "*", "stock"})) {
      store::Articles articles(c_);
      if (get && n == 3) {
        // The article with its stock moves, each naming the document that made it.
        json j = article_json(articles.get(p[2]));
        json moves = json::array();
        const std::string lang = param(r.query, "lang").empty() ? "en" : param(r.query, "lang");
        for (const auto& m : articles.moves(p[2])) {
          std::string doc;
          if (m.doc)
            if (auto row = c_.storage().find(store::Tbl::doc, "ID", {xbase::Value::integer(m.doc)}))
              doc = store::Documents::label(store::document_from(*row), lang);
          moves.push_back({{"date", date_text(m.date)}, {"quantity", plain_number(m.quantity)}, {"doc", m.doc},
                           {"doc_label", doc}, {"reason", m.reason}, {"user", m.user}});
        }
        j["moves"] = moves;
        return json_answer(j);
      }
      if (post && n == 3) {
        store::ArticleInput in = article_input(body);
        in.opening_stock.reset();  // the stock changes by moves only
        return json_answer(article_json(articles.edit(p[2], in)));
      }
      if (post && n == 4)
        return json_answer(article_json(articles.correct_stock(p[2], text_of(body, "counted").value_or(""),
                                                               text_of(body, "reason").value_or(""))));
    }
    if (n >= 2 && p[1] == "documents") {
      store::Documents docs(c_);
      if (n == 2 && get) {
        store::DocFilter f;
        if (auto t = param(r.query, "type"); !t.empty()) f.type = type_of(t);
        if (auto s = param(r.query, "status"); !s.empty()) {
          f.status = domain::doc_status_from_code(s);
          if (!f.status) throw BadRequest(400, fmt::format("unknown status \"{}\" (D, F, X, W)", s));
        }
        f.party = param(r.query, "party");
        // The newest first, read up to the end of this page and one more.
        const size_t offset = number_param(r.query, "offset", 0, SIZE_MAX / 2);
        const size_t limit = number_param(r.query, "limit", 50, 500);
        f.newest_first = true;
        f.limit = offset + limit + 1;
        return json_answer(page_json(docs.list(f), offset, limit, doc_json));
      }
      if (n == 2 && post) {
        const auto type = type_of(text_of(body, "type").value_or(""));
        const auto party = text_of(body, "party").value_or("");
        const int32_t id = docs.create(type, party, parse_date(text_of(body, "date").value_or("")));
        return json_answer(doc_json(docs.show(id)), 201);
      }
      const int32_t id = n >= 3 ? doc_id(p[2]) : 0;
      if (n == 3 && get) {
        return json_answer(page_with_users(c_, own_seat_, docs.show(id, lang_of(r.query))));
      }
      if (n == 4 && get && p[3] == "pdf") {
        outputs::DocumentReader reader(c_);
        const outputs::DocumentData d = reader.read(id);
        ApiResponse res;
        res.content_type = "application/pdf";
        res.body = outputs::write_pdf(d, reader.layout(d.type), param(r.query, "lang"));
        res.headers.emplace_back("Content-Disposition",
                                 fmt::format("inline; filename=\"{}.pdf\"", outputs::document_file_stem(d)));
        return res;
      }
      if (n == 4 && get && p[3] == "ubl") {
        // The e-invoice of a final invoice or credit note, its PDF embedded, as `invoicing doc
        // ubl` writes it; what keeps it from being valid is said, nothing is sent.
        outputs::DocumentReader reader(c_);
        const outputs::DocumentData d = reader.read(id);
        if (d.status != domain::DocStatus::final ||
            (d.type != domain::DocType::invoice && d.type != domain::DocType::credit_note))
          throw store::UserError("only a final invoice or credit note is an e-invoice");
        outputs::DocumentData for_ubl = d;
        outputs::add_buyer_reference(for_ubl);
        std::string problems;
        for (const auto& pr : outputs::validate_for_ubl(for_ubl)) problems += "\n" + pr.message;
        if (!problems.empty()) throw store::UserError("this document cannot be an e-invoice:" + problems);
        ApiResponse res;
        res.content_type = "application/xml";
        res.body = outputs::write_ubl(for_ubl, {outputs::pdf_attachment(for_ubl, outputs::write_pdf(d, reader.layout(d.type)))});
        res.headers.emplace_back("Content-Disposition",
                                 fmt::format("attachment; filename=\"{}.xml\"", outputs::document_file_stem(d)));
        return res;
      }
      if (post && n == 4) {
        if (p[3] == "lines") {
          docs.add_line(id, line_spec(body));
          return json_answer(doc_json(docs.show(id)));
        }
        if (p[3] == "preview") return json_answer(preview(c_, id, body));
        if (p[3] == "finalize") {
          // The document's page, as GET gives it (the screen shows it without asking again),
          // made of what the finalization read and wrote where it can (FinalizeOptions::shown).
          store::FinalizeOptions o;
          o.shown = true;
          o.lang = lang_of(r.query);
          const store::DocView v = docs.finalize(id, o);
          // Final now, whatever follows: a page that cannot be read now (a colleague's lock, the
          // connection) is not a failed finalization. The document alone, and the screen asks.
          try {
            return json_answer(page_with_users(c_, own_seat_, v));
          } catch (const std::exception&) {
            return json_answer(doc_json(v));
          }
        }
        if (p[3] == "convert") {
          const auto v = docs.convert(id, type_of(text_of(body, "to").value_or("")));
          return json_answer(doc_json(docs.show(v.doc.id)), 201);
        }
        if (p[3] == "credit") {
          const auto v = docs.credit(id, {});
          return json_answer(doc_json(docs.show(v.doc.id)), 201);
        }
        if (p[3] == "cancel") {
          docs.cancel(id);
          return json_answer(doc_json(docs.show(id)));
        }
        if (p[3] == "delete") {
          docs.remove(id);
          return json_answer({{"deleted", id}});
        }
        if (p[3] == "payments") {
          // A payment received for a final invoice (a refund paid out on a credit note): the
          // store refuses more than is left, a date after today, an unknown method.
          store::PaymentInput in;
          in.doc = id;
          in.amount = text_of(body, "amount").value_or("");
          in.date = parse_date(text_of(body, "date").value_or(""));
          if (auto m = text_of(body, "method"); m && !m->empty()) in.method = *m;
          in.reference = text_of(body, "reference").value_or("");
          in.note = text_of(body, "note").value_or("");
          store::Payments(c_).add(in);
          return json_answer(doc_page_json(c_, docs.show(id)), 201);
        }
      }
      if (post && n == 6 && p[3] == "payments" && p[5] == "remove") {
        // A payment entered by mistake, removed from the document it belongs to.
        int32_t payment = 0;
        auto [end, ec] = std::from_chars(p[4].data(), p[4].data() + p[4].size(), payment);
        if (ec != std::errc() || end != p[4].data() + p[4].size()) throw BadRequest(404, "no such payment");
        store::Payments pays(c_);
        const auto of_doc = pays.list(id);
        if (std::none_of(of_doc.begin(), of_doc.end(), [&](const store::PaymentView& v) { return v.payment.id == payment; }))
          throw BadRequest(404, fmt::format("document {} has no payment {}", id, payment));
        pays.remove(payment);
        return json_answer(doc_page_json(c_, docs.show(id)));
      }
      if (post && n == 5 && p[3] == "lines") {
        // A draft's line changed: only the fields given change.
        int line = 0;
        auto [end, ec] = std::from_chars(p[4].data(), p[4].data() + p[4].size(), line);
        if (ec != std::errc() || end != p[4].data() + p[4].size()) throw BadRequest(404, "no such line");
        store::LineChange ch;
        ch.article = text_of(body, "article");
        ch.text = text_of(body, "text");
        ch.quantity = text_of(body, "quantity");
        ch.price = text_of(body, "price");
        ch.discount = text_of(body, "discount");
        ch.vat_rate = text_of(body, "vat_rate");
        docs.edit_line(id, line, ch);
        return json_answer(doc_json(docs.show(id)));
      }
      if (post && n == 6 && p[3] == "lines" && (p[5] == "remove" || p[5] == "move")) {
        int line = 0;
        auto [end, ec] = std::from_chars(p[4].data(), p[4].data() + p[4].size(), line);
        if (ec != std::errc() || end != p[4].data() + p[4].size()) throw BadRequest(404, "no such line");
        if (p[5] == "remove") {
          docs.remove_line(id, line);
        } else {
          const auto to = body.find("to");
          if (to == body.end() || !to->is_number_integer() || to->get<int64_t>() < 1 || to->get<int64_t>() > INT32_MAX)
            throw BadRequest(400, "\"to\" must be the line's new place (1, 2, ...)");
          docs.move_line(id, line, to->get<int>());
        }
        return json_answer(doc_json(docs.show(id)));
      }
    }
    if (post && is({"api", "settings", "local"})) {
      if (!local_write_) throw BadRequest(404, "this server does not change local settings");
      auto text = [&](const char* k) {
        auto it = body.find(k);
        if (it == body.end() || !it->is_string()) throw BadRequest(400, fmt::format("\"{}\" must be text", k));
        return it->get<std::string>();
      };
      const std::string scope = text("scope");
      if (scope != "all" && scope != "folder") throw BadRequest(400, "\"scope\" must be \"all\" or \"folder\"");
      return json_answer({{"done", local_write_(text("key"), scope == "all", text("value"))}});
    }
    if (get && is({"api", "settings"})) {
      json a = json::array();
      for (const auto& s : store::known_settings())
        a.push_back({{"key", std::string(s.key)}, {"value", c_.setting(s.key, s.fallback)}, {"meaning", std::string(s.meaning)}});
      json local = {{"file", ""}, {"settings", json::array()}};
      if (local_) {
        const LocalSettings l = local_();
        local["file"] = l.file;
        for (const auto& x : l.settings)
          local["settings"].push_back({{"key", x.key}, {"value", x.value}, {"scope", x.scope}, {"meaning", x.meaning}});
      }
      return json_answer({{"settings", a}, {"company", c_.setting("company")}, {"local", local}});
    }
    throw BadRequest(404, fmt::format("no such API call: {} {}", r.method, r.path));
  } catch (const BadRequest& e) {
    return json_answer({{"error", e.what()}, {"kind", "request"}}, e.status);
  } catch (const store::NeedsEdition& e) {
    return json_answer({{"error", e.what()}, {"kind", "edition"}}, 403);
  } catch (const store::NumberingBusy& e) {
    // Another workstation holds the numbering longer than numbering_wait: the message names
    // it, the page offers to keep waiting.
    return json_answer({{"error", e.what()}, {"kind", "numbering"}}, 409);
  } catch (const store::Busy& e) {
    return json_answer({{"error", e.what()}, {"kind", "busy"}}, 409);
  } catch (const store::StorageUnavailable& e) {
    // The database or the data folder cannot be reached (a lost connection: the action was
    // rolled back; the next request reconnects).
    return json_answer({{"error", e.what()}, {"kind", "unavailable"}}, 503);
  } catch (const store::NotFound& e) {
    return json_answer({{"error", e.what()}, {"kind", "not found"}}, 404);
  } catch (const store::UserError& e) {
    return json_answer({{"error", e.what()}, {"kind", "refused"}}, 422);
  } catch (const xbase::Error& e) {
    const bool busy = xbase::busy(e.code());
    return json_answer({{"error", e.what()}, {"kind", busy ? "busy" : "storage"}}, busy ? 409 : 500);
  } catch (const std::invalid_argument& e) {
    return json_answer({{"error", e.what()}, {"kind", "request"}}, 400);
  } catch (const std::exception& e) {
    return json_answer({{"error", e.what()}, {"kind", "failure"}}, 500);
  }
}

}  // namespace invoicing::web

#include "store/documents.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "domain/money.h"
#include "domain/ogm.h"
#include "domain/totals.h"
#include "domain/vat.h"
#include "store/text.h"
#include "xbase/check.h"
#include "xbase/cursor.h"
#include "xbase/transaction.h"

using xbase::Table;
using xbase::Value;
using invoicing::domain::Decimal;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

Decimal dec(const std::string& s, const char* what) {
  auto d = Decimal::parse(s);
  if (!d) throw UserError(fmt::format("{} \"{}\" is not a decimal number (digits and a '.')", what, s));
  return *d;
}

Decimal field_dec(const xbase::Record& r, std::string_view f) {
  Value v = r.get(f);
  if (v.is_null() || v.is_empty()) return Decimal();
  return dec(decimal_text(v), "stored value");
}

Value num(const Decimal& d) { return Value::number(d.to_string()); }

xbase::DateTime now_datetime() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {xbase::julian_day({tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}),
          ((tm.tm_hour * 60 + tm.tm_min) * 60 + tm.tm_sec) * 1000};
}

DocStatus status_from(const std::string& s) {
  return s == "F" ? DocStatus::final : s == "X" ? DocStatus::cancelled : DocStatus::draft;
}

domain::VatCategory category_from(const std::string& code) {
  using domain::VatCategory;
  for (auto c : {VatCategory::standard, VatCategory::zero_rated, VatCategory::exempt,
                 VatCategory::reverse_charge, VatCategory::intra_eu, VatCategory::export_outside_eu})
    if (code == domain::code(c)) return c;
  throw UserError(fmt::format("VAT category \"{}\" is not one of S, Z, E, AE, K, G", code));
}

std::string number_key(const std::string& type, int year) { return fmt::format("{}{:4}", type, year); }

std::vector<int64_t> parse_free(const std::string& s) {
  std::vector<int64_t> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ','))
    if (!part.empty()) out.push_back(std::stoll(part));
  return out;
}

std::string join_free(const std::vector<int64_t>& v) {
  std::string s;
  for (auto n : v) s += (s.empty() ? "" : ",") + std::to_string(n);
  return s;
}

// The tables a change of documents touches, in the one order every workstation locks them.
const std::vector<std::string> kDocTables = {"DOC", "DOCLINE", "NUMBERS", "ARTICLE", "STOCKMOV",
                                             "CUSTOMER", "SUPPLIER", "AUDIT"};

struct Work {
  Company& c;
  xbase::Transaction tx;
  explicit Work(Company& co) : c(co) {
    for (const auto& n : kDocTables) tx.add(c.table(n));
  }
  Table& t(const char* n) { return c.table(n); }
};

uint32_t doc_record(Company& c, int32_t id) {
  auto r = c.table("DOC").seek("ID", Value::integer(id), xbase::SeekMode::exact);
  if (!r) throw UserError(fmt::format("no document with id {}", id));
  return *r;
}

std::vector<uint32_t> line_records(Company& c, int32_t doc) {
  xbase::Cursor lines(c.table("DOCLINE"), "DOC");
  std::vector<uint32_t> out;
  bool found = lines.find(Value::text(fmt::format("{:>10}", doc)), xbase::SeekMode::partial);
  for (bool ok = found; ok && !lines.eof(); ok = lines.skip()) {
    auto r = lines.read();
    if (r.get("DOCID").as_integer() != doc) break;
    out.push_back(lines.recno());
  }
  return out;
}

// Creates the NUMBERS record of a type and year when missing, in a commit of its own (before
// the transaction that takes a number begins).
void ensure_numbering(Company& c, DocType type, int year) {
  Table& t = c.table("NUMBERS");
  const std::string code = domain::doc_type_code(type);
  auto key = Value::text(number_key(code, year));
  if (t.seek("TYPEYEAR", key, xbase::SeekMode::exact)) return;
  try {
    xbase::Transaction tx{&t};
    if (!t.seek("TYPEYEAR", key, xbase::SeekMode::exact))
      t.append(std::vector<Value>{Value::text(code), Value::integer(year), Value::integer(1), Value::text("")});
    tx.commit();
  } catch (const xbase::Error& e) {
    // Another workstation created it at the same moment (the tag is a candidate key).
    if (!t.seek("TYPEYEAR", key, xbase::SeekMode::exact)) throw;
  }
}

uint32_t numbers_record(Company& c, const std::string& type, int year) {
  auto r = c.table("NUMBERS").seek("TYPEYEAR", Value::text(number_key(type, year)), xbase::SeekMode::exact);
  if (!r) throw UserError(fmt::format("no numbering record for {} {}", type, year));
  return *r;
}

// The numbering lock: the NUMBERS record, waited for up to `numbering_wait` seconds; then the
// user is told who holds it.
void lock_numbering(Company& c, uint32_t rec, const std::string& type, int year) {
  Table& t = c.table("NUMBERS");
  int wait_s = 60;
  try {
    wait_s = std::stoi(c.setting("numbering_wait", "60"));
  } catch (const std::exception&) {
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
  for (;;) {
    try {
      t.lock_record(rec);
      return;
    } catch (const xbase::Error& e) {
      if (e.code() != xbase::Errc::lock_timeout) throw;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string who;
      for (const auto& h : c.seat_holders())
        if (h.find("(numbering") != std::string::npos || h.find("(finalizing") != std::string::npos)
          who += (who.empty() ? "" : "; ") + h;
      throw NumberingBusy(fmt::format("the numbering of {} {} is locked by another workstation{} (waited {} s); "
                                  "try again, or cancel",
                                  type, year, who.empty() ? "" : ": " + who, wait_s));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// A number taken (or given back) under the numbering lock. The lock is taken at once; the
// NUMBERS record is written by write(), in the transaction's write phase (see Plan).
struct NumberTake {
  uint32_t rec = 0;
  int64_t number = 0;
  int64_t next = 0;
  std::vector<int64_t> free;
  bool written = false;
  void write(Company& c) {
    if (!rec || written) return;
    Table& t = c.table("NUMBERS");
    std::vector<std::pair<size_t, Value>> ch = {{t.field_index_or_throw("NEXT"), Value::integer(next)},
                                                {t.field_index_or_throw("FREE"), Value::text(join_free(free))}};
    t.update(rec, ch);
    written = true;
  }
};

// The next number (the smallest remembered one first, in multi-user numbering).
NumberTake take_number(Company& c, const std::string& type, int year, bool reuse_free) {
  NumberTake nt;
  nt.rec = numbers_record(c, type, year);
  lock_numbering(c, nt.rec, type, year);
  auto r = c.table("NUMBERS").read(nt.rec);
  nt.free = parse_free(r.get("FREE").str());
  nt.next = std::max<int64_t>(1, int64_t(r.get("NEXT").as_real()));
  std::sort(nt.free.begin(), nt.free.end());
  if (reuse_free && !nt.free.empty()) {
    nt.number = nt.free.front();
    nt.free.erase(nt.free.begin());
  } else {
    nt.number = nt.next++;
  }
  return nt;
}

// A number given back (a cancelled draft): the counter steps back when it was the last one,
// else it waits in the FREE list for the next new document of that type and year.
NumberTake release_number(Company& c, const std::string& type, int year, int64_t n) {
  NumberTake nt;
  nt.rec = numbers_record(c, type, year);
  lock_numbering(c, nt.rec, type, year);
  auto r = c.table("NUMBERS").read(nt.rec);
  nt.next = int64_t(r.get("NEXT").as_real());
  nt.free = parse_free(r.get("FREE").str());
  nt.free.push_back(n);
  std::sort(nt.free.begin(), nt.free.end());
  while (!nt.free.empty() && nt.free.back() == nt.next - 1) {
    nt.free.pop_back();
    --nt.next;
  }
  return nt;
}

bool multiuser(Company& c) { return c.setting("numbering", "serialized") == "multiuser"; }

void audit(Work& w, const std::string& action, int32_t doc, const std::string& text) {
  w.t("AUDIT").append(std::vector<Value>{Value::empty(), Value::datetime(now_datetime()),
                                         Value::text(w.c.who().user), Value::text(w.c.who().workstation),
                                         Value::text(action), Value::integer(doc), Value::text(text.substr(0, 120))});
}

std::vector<domain::LineInput> line_inputs(Company& c, int32_t doc) {
  std::vector<domain::LineInput> in;
  for (uint32_t r : line_records(c, doc)) {
    auto l = c.table("DOCLINE").read(r);
    domain::LineInput li;
    li.quantity = field_dec(l, "QTY");
    li.unit_price = field_dec(l, "PRICE");
    li.discount_percent = field_dec(l, "DISC");
    li.category = category_from(trim(l.get("VATCAT").str()));
    li.vat_rate = field_dec(l, "VATRATE");
    in.push_back(li);
  }
  return in;
}

domain::Totals totals_of(Company& c, int32_t doc) { return domain::compute_totals(line_inputs(c, doc)); }

void write_doc_totals(Company& c, uint32_t docrec, const domain::Totals& tot) {
  Table& d = c.table("DOC");
  std::vector<std::pair<size_t, Value>> ch = {{d.field_index_or_throw("TOTEXCL"), num(tot.total_excl)},
                                              {d.field_index_or_throw("TOTVAT"), num(tot.total_vat)},
                                              {d.field_index_or_throw("TOTINCL"), num(tot.total_incl)}};
  d.update(docrec, ch);
}

// Writes the totals into the document and each line's net amount.
void store_totals(Company& c, uint32_t docrec, int32_t doc) {
  auto tot = totals_of(c, doc);
  write_doc_totals(c, docrec, tot);
  Table& lines = c.table("DOCLINE");
  auto recs = line_records(c, doc);
  for (size_t i = 0; i < recs.size() && i < tot.line_net.size(); ++i)
    lines.update(recs[i], lines.field_index_or_throw("NET"), num(tot.line_net[i]));
}

DocView view_of(Company& c, uint32_t rec) {
  auto r = c.table("DOC").read(rec);
  DocView v;
  v.id = int32_t(r.get("ID").as_integer());
  auto type = domain::doc_type_from_code(trim(r.get("TYPE").str()));
  v.type = type.value_or(DocType::quote);
  v.year = int(r.get("YEAR").as_real());
  Value n = r.get("NUMBER");
  v.number = n.is_empty() || n.is_null() ? 0 : int(n.as_real());
  v.status = status_from(trim(r.get("STATUS").str()));
  v.party = int32_t(r.get("PARTY").as_integer());
  Value d = r.get("DOCDATE");
  if (!d.is_empty() && !d.is_null()) v.date = d.as_date();
  v.reference = trim(r.get("REF").str());
  v.source = int32_t(r.get("SOURCE").as_integer());
  v.total_excl = field_dec(r, "TOTEXCL").to_string(2);
  v.total_vat = field_dec(r, "TOTVAT").to_string(2);
  v.total_incl = field_dec(r, "TOTINCL").to_string(2);
  v.user = trim(r.get("USERNAME").str());
  v.workstation = trim(r.get("WSTATION").str());
  Table& parties = c.table(v.type == DocType::purchase_invoice ? "SUPPLIER" : "CUSTOMER");
  if (auto p = parties.seek("ID", Value::integer(v.party), xbase::SeekMode::exact)) {
    auto pr = parties.read(*p);
    v.party_code = trim(pr.get("CODE").str());
    v.party_name = trim(pr.get("NAME").str());
  }
  return v;
}

int32_t party_id(Company& c, DocType type, const std::string& code) {
  const char* table = type == DocType::purchase_invoice ? "SUPPLIER" : "CUSTOMER";
  Table& t = c.table(table);
  auto r = t.seek("CODE", Value::text(upper(code)), xbase::SeekMode::exact);
  if (!r) throw UserError(fmt::format("no {} with code {}", type == DocType::purchase_invoice ? "supplier" : "customer", code));
  return int32_t(t.read(*r).get("ID").as_integer());
}

// Appends a draft inside `w` (multi-user numbering: with its number reserved, unless the
// caller took one already).
int32_t new_draft(Work& w, DocType type, int32_t party, xbase::Date date, int32_t source,
                  int64_t number = 0) {
  if (!number && domain::numbered_gap_free(type) && multiuser(w.c)) {
    NumberTake nt = take_number(w.c, domain::doc_type_code(type), date.year, true);
    nt.write(w.c);
    number = nt.number;
  }
  Table& d = w.t("DOC");
  uint32_t rec = d.append(std::vector<Value>{
      Value::empty(), Value::text(domain::doc_type_code(type)), Value::integer(date.year),
      Value::integer(number), Value::text("D"), Value::integer(party), Value::date(date), Value::empty(),
      Value::text(""), Value::integer(source), Value::integer(0), Value::integer(0), Value::integer(0),
      Value::text(w.c.who().user), Value::text(w.c.who().workstation)});
  return int32_t(d.read(rec).get("ID").as_integer());
}

// A finalization in two steps, so that every workstation takes its locks in one order before
// it changes anything (record locks first: document, numbering, articles by record, party;
// then the changes, whose header and index locks are held until the commit). Otherwise two
// finalizations could each hold what the other waits for.
struct Plan {
  int64_t number = 0;
  NumberTake numbering;                 // written first, when the number was taken here
  int dir = 0;                          // stock direction
  std::map<uint32_t, Decimal> moves;    // article record -> quantity
  std::map<uint32_t, int32_t> ids;      // article record -> article id
  std::optional<uint32_t> party_rec;
  int sign = 0;                         // balance: +1 invoice, -1 credit note
  const char* party_table = "CUSTOMER";
};

Plan plan_finalize(Work& w, DocType type, int year, int32_t party, int32_t source, int64_t number,
                   const std::vector<uint32_t>& lines, std::optional<NumberTake> taken = std::nullopt) {
  Company& c = w.c;
  Plan p;
  if (taken) {
    p.numbering = *taken;
    p.number = taken->number;
  } else if (number) {
    p.number = number;
  } else {
    p.numbering = take_number(c, domain::doc_type_code(type), year, false);
    p.number = p.numbering.number;
  }
  bool from_delivery = false;
  Table& d = w.t("DOC");
  if (source)
    if (auto s = d.seek("ID", Value::integer(source), xbase::SeekMode::exact))
      from_delivery = trim(d.read(*s).get("TYPE").str()) == domain::doc_type_code(DocType::delivery_note);
  // An invoice made from a delivery note does not move the stock again.
  p.dir = domain::stock_direction(type, from_delivery);
  if (p.dir) {
    Table& art = w.t("ARTICLE");
    for (uint32_t lr : lines) {
      auto l = c.table("DOCLINE").read(lr);
      int32_t a = int32_t(l.get("ARTICLE").as_integer());
      if (!a) continue;
      auto ar = art.seek("ID", Value::integer(a), xbase::SeekMode::exact);
      if (!ar || !art.read(*ar).get("STOCKED").as_logical()) continue;
      p.moves[*ar] += field_dec(l, "QTY");
      p.ids[*ar] = a;
    }
    for (const auto& m : p.moves) art.lock_record(m.first);
  }
  p.sign = type == DocType::invoice || type == DocType::purchase_invoice ? 1 : type == DocType::credit_note ? -1 : 0;
  p.party_table = type == DocType::purchase_invoice ? "SUPPLIER" : "CUSTOMER";
  if (p.sign) {
    Table& pt = w.t(p.party_table);
    p.party_rec = pt.seek("ID", Value::integer(party), xbase::SeekMode::exact);
    if (p.party_rec) pt.lock_record(*p.party_rec);
  }
  return p;
}

// The changes of a finalization: number, reference, totals, stock and its moves, balance,
// audit.
void apply_finalize(Work& w, uint32_t rec, Plan& p) {
  Company& c = w.c;
  p.numbering.write(c);  // (tables written in one order: NUMBERS, DOC, DOCLINE, ARTICLE, ...)
  Table& d = w.t("DOC");
  DocView v = view_of(c, rec);
  const std::string type = domain::doc_type_code(v.type);
  std::string ref;
  if (v.type == DocType::invoice)
    ref = domain::ogm_from_number(uint64_t(v.year) * 1000000u + uint64_t(p.number % 1000000));
  std::vector<std::pair<size_t, Value>> ch = {{d.field_index_or_throw("NUMBER"), Value::integer(p.number)},
                                              {d.field_index_or_throw("STATUS"), Value::text("F")},
                                              {d.field_index_or_throw("REF"), Value::text(ref)}};
  d.update(rec, ch);
  store_totals(c, rec, v.id);
  Table& art = w.t("ARTICLE");
  for (const auto& [ar, qty] : p.moves) {
    Decimal q = p.dir > 0 ? qty : -qty;
    Decimal stock = field_dec(art.read(ar), "STOCK") + q;
    art.update(ar, art.field_index_or_throw("STOCK"), num(stock));
    w.t("STOCKMOV").append(std::vector<Value>{Value::empty(), Value::integer(p.ids.at(ar)), Value::integer(v.id),
                                              num(q), Value::date(today()), Value::text(c.who().user)});
  }
  DocView after = view_of(c, rec);
  if (p.party_rec) {
    Table& pt = w.t(p.party_table);
    Decimal bal = field_dec(pt.read(*p.party_rec), "BALANCE");
    Decimal amount = dec(after.total_incl, "total");
    pt.update(*p.party_rec, pt.field_index_or_throw("BALANCE"), num(p.sign > 0 ? bal + amount : bal - amount));
  }
  audit(w, "FINALIZE", v.id, fmt::format("{} {}/{} total {}", type, v.year, p.number, after.total_incl));
}

}  // namespace

xbase::Date today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int32_t Documents::create(DocType type, const std::string& party_code, std::optional<xbase::Date> date) {
  int32_t party = party_id(c_, type, party_code);
  ensure_numbering(c_, type, date.value_or(today()).year);
  Work w(c_);
  int32_t id = new_draft(w, type, party, date.value_or(today()), 0);
  w.tx.commit();
  return id;
}

void Documents::add_line(int32_t doc, const LineSpec& s) {
  Work w(c_);
  uint32_t rec = doc_record(c_, doc);
  w.t("DOC").lock_record(rec);
  DocView v = view_of(c_, rec);
  if (v.status != DocStatus::draft) throw UserError(fmt::format("document {} is not a draft", doc));
  int32_t article = 0;
  std::string text = s.text, price = s.price, rate = s.vat_rate, cat = s.vat_category;
  if (!s.article.empty()) {
    Table& a = c_.table("ARTICLE");
    auto ar = a.seek("CODE", Value::text(upper(s.article)), xbase::SeekMode::exact);
    if (!ar) throw UserError(fmt::format("no article with code {}", s.article));
    auto r = a.read(*ar);
    article = int32_t(r.get("ID").as_integer());
    if (text.empty()) text = trim(r.get("DESCR").str());
    if (price.empty()) price = decimal_text(r.get("PRICE"));
    if (rate.empty()) rate = decimal_text(r.get("VATRATE"));
    if (cat.empty()) cat = trim(r.get("VATCAT").str());
  }
  if (text.empty()) throw UserError("a line needs an article or a text");
  if (price.empty()) price = "0";
  if (cat.empty()) cat = "S";
  if (rate.empty()) {
    auto rates = domain::vat_rates(c_.setting("country", "BE"));
    rate = cat == "S" && !rates.empty() ? rates.front().to_string() : "0";
  }
  (void)category_from(cat);
  Decimal q = dec(s.quantity, "quantity"), p = dec(price, "price"), di = dec(s.discount, "discount"),
          vr = dec(rate, "VAT rate");
  int lineno = 0;
  for (uint32_t lr : line_records(c_, doc))
    lineno = std::max(lineno, int(c_.table("DOCLINE").read(lr).get("LINENO").as_real()));
  // The document's totals first, then the line (every transaction writes DOC before DOCLINE).
  auto inputs = line_inputs(c_, doc);
  domain::LineInput li;
  li.quantity = q;
  li.unit_price = p;
  li.discount_percent = di;
  li.category = category_from(cat);
  li.vat_rate = vr;
  inputs.push_back(li);
  domain::Totals tot;
  try {
    tot = domain::compute_totals(inputs);
  } catch (const std::invalid_argument& e) {
    throw UserError(e.what());
  }
  write_doc_totals(c_, rec, tot);
  w.t("DOCLINE").append(std::vector<Value>{Value::integer(doc), Value::integer(lineno + 1), Value::integer(article),
                                           Value::text(text.substr(0, 60)), num(q), num(p), num(di), Value::text(cat),
                                           num(vr), num(tot.line_net.back())});
  w.tx.commit();
}

DocView Documents::finalize(int32_t doc) {
  uint32_t rec = doc_record(c_, doc);
  DocView v = view_of(c_, rec);
  c_.set_busy(fmt::format("finalizing {} {}", domain::doc_type_code(v.type), v.year));
  struct Clear {
    Company& c;
    ~Clear() {
      try {
        c.set_busy("");
      } catch (...) {
      }
    }
  } clear{c_};
  ensure_numbering(c_, v.type, v.year);
  Work w(c_);
  w.t("DOC").lock_record(rec);
  v = view_of(c_, rec);  // as it is now that it is ours
  if (v.status != DocStatus::draft)
    throw UserError(fmt::format("document {} is {} already", v.id, v.status == DocStatus::final ? "final" : "cancelled"));
  auto lines = line_records(c_, v.id);
  if (lines.empty()) throw UserError(fmt::format("document {} has no lines", v.id));
  Plan p = plan_finalize(w, v.type, v.year, v.party, v.source, v.number, lines);
  apply_finalize(w, rec, p);
  w.tx.commit();
  return view_of(c_, rec);
}

int32_t Documents::convert(int32_t doc, DocType to, bool finalize_now) {
  uint32_t rec = doc_record(c_, doc);
  DocView src = view_of(c_, rec);
  if (!domain::can_convert(src.type, to))
    throw UserError(fmt::format("a {} cannot become a {}", domain::doc_type_code(src.type), domain::doc_type_code(to)));
  if (src.status == DocStatus::cancelled) throw UserError(fmt::format("document {} is cancelled", doc));
  if (to == DocType::credit_note && src.status != DocStatus::final)
    throw UserError("a credit note refers to a finalized invoice");
  if (finalize_now) c_.set_busy(fmt::format("finalizing {} {}", domain::doc_type_code(to), today().year));
  struct Clear {
    Company& c;
    bool on;
    ~Clear() {
      try {
        if (on) c.set_busy("");
      } catch (...) {
      }
    }
  } clear{c_, finalize_now};
  ensure_numbering(c_, to, today().year);
  Work w(c_);
  const auto src_lines = line_records(c_, doc);
  std::optional<Plan> plan;
  if (finalize_now) {
    if (src_lines.empty()) throw UserError(fmt::format("document {} has no lines", doc));
    // Every lock before the first change (see Plan): the number first.
    std::optional<NumberTake> taken;
    if (domain::numbered_gap_free(to) && multiuser(c_))
      taken = take_number(c_, domain::doc_type_code(to), today().year, true);
    plan = plan_finalize(w, to, today().year, src.party, src.id, 0, src_lines, taken);
    plan->numbering.write(c_);  // NUMBERS before DOC
  }
  int32_t id = new_draft(w, to, src.party, today(), src.id, plan ? plan->number : 0);
  Table& lines = w.t("DOCLINE");
  for (uint32_t lr : src_lines) {
    auto l = lines.read(lr);
    std::vector<Value> vals;
    for (size_t i = 0; i < lines.fields().size(); ++i) vals.push_back(l.get(i));
    vals[0] = Value::integer(id);
    lines.append(vals);
  }
  uint32_t nrec = doc_record(c_, id);
  store_totals(c_, nrec, id);
  audit(w, "CONVERT", id, fmt::format("from {} {} ({})", domain::doc_type_code(src.type), src.id,
                                      src.number ? fmt::format("{}/{}", src.year, src.number) : "draft"));
  if (plan) apply_finalize(w, nrec, *plan);
  w.tx.commit();
  return id;
}

void Documents::cancel(int32_t doc) {
  Work w(c_);
  uint32_t rec = doc_record(c_, doc);
  w.t("DOC").lock_record(rec);
  DocView v = view_of(c_, rec);
  if (v.status == DocStatus::final)
    throw UserError(fmt::format("document {} is final; an invoice is undone with a credit note "
                                "(invoicing doc convert {} --to credit-note)",
                                doc, doc));
  if (v.status == DocStatus::cancelled) throw UserError(fmt::format("document {} is cancelled already", doc));
  if (v.number) release_number(c_, domain::doc_type_code(v.type), v.year, v.number).write(c_);
  Table& d = w.t("DOC");
  std::vector<std::pair<size_t, Value>> ch = {{d.field_index_or_throw("STATUS"), Value::text("X")},
                                              {d.field_index_or_throw("NUMBER"), Value::integer(0)}};
  d.update(rec, ch);
  audit(w, "CANCEL", doc, v.number ? fmt::format("number {} released", v.number) : "draft");
  w.tx.commit();
}

DocView Documents::show(int32_t doc) {
  uint32_t rec = doc_record(c_, doc);
  DocView v = view_of(c_, rec);
  Table& a = c_.table("ARTICLE");
  for (uint32_t lr : line_records(c_, doc)) {
    auto l = c_.table("DOCLINE").read(lr);
    DocLine dl;
    dl.lineno = int(l.get("LINENO").as_real());
    dl.article = int32_t(l.get("ARTICLE").as_integer());
    if (dl.article)
      if (auto ar = a.seek("ID", Value::integer(dl.article), xbase::SeekMode::exact))
        dl.article_code = trim(a.read(*ar).get("CODE").str());
    dl.text = trim(l.get("DESCR").str());
    dl.quantity = field_dec(l, "QTY").to_string();
    dl.price = field_dec(l, "PRICE").to_string();
    dl.discount = field_dec(l, "DISC").to_string();
    dl.vat_category = trim(l.get("VATCAT").str());
    dl.vat_rate = field_dec(l, "VATRATE").to_string();
    dl.net = field_dec(l, "NET").to_string(2);
    v.lines.push_back(dl);
  }
  return v;
}

std::vector<DocView> Documents::list(std::optional<DocType> type, int year) {
  std::vector<DocView> out;
  Table& d = c_.table("DOC");
  for (uint32_t r = 1; r <= d.record_count(); ++r) {
    auto rec = d.read(r);
    if (rec.deleted()) continue;
    if (type && trim(rec.get("TYPE").str()) != domain::doc_type_code(*type)) continue;
    if (year && int(rec.get("YEAR").as_real()) != year) continue;
    out.push_back(view_of(c_, r));
  }
  return out;
}

std::vector<std::string> verify_folder(Company& c) {
  std::vector<std::string> problems;
  // Numbers: per type and year, every number 1..NEXT-1 exactly once among the documents that
  // hold one and the FREE list.
  Table& nt = c.table("NUMBERS");
  Table& d = c.table("DOC");
  std::map<std::string, std::map<int64_t, int>> used;
  for (uint32_t r = 1; r <= d.record_count(); ++r) {
    auto rec = d.read(r);
    if (rec.deleted()) continue;
    int64_t n = rec.get("NUMBER").is_empty() ? 0 : int64_t(rec.get("NUMBER").as_real());
    if (n) ++used[number_key(trim(rec.get("TYPE").str()), int(rec.get("YEAR").as_real()))][n];
  }
  for (uint32_t r = 1; r <= nt.record_count(); ++r) {
    auto rec = nt.read(r);
    std::string key = number_key(trim(rec.get("TYPE").str()), int(rec.get("YEAR").as_real()));
    int64_t next = int64_t(rec.get("NEXT").as_real());
    auto& u = used[key];
    for (int64_t f : parse_free(rec.get("FREE").str())) ++u[f];
    for (int64_t n = 1; n < next; ++n) {
      auto it = u.find(n);
      if (it == u.end()) problems.push_back(fmt::format("{}: number {} is missing (a gap)", key, n));
      else if (it->second > 1) problems.push_back(fmt::format("{}: number {} is given {} times", key, n, it->second));
    }
    for (const auto& [n, k] : u)
      if (n >= next) problems.push_back(fmt::format("{}: number {} is beyond the counter ({})", key, n, next));
    used.erase(key);
  }
  for (const auto& [key, u] : used)
    if (!u.empty()) problems.push_back(fmt::format("{}: numbers used without a NUMBERS record", key));
  // Stock: each article's stock is its moves' sum (articles start at 0 and every change is a
  // move; the demo's opening stock is a move too).
  std::map<int64_t, Decimal> moved;
  Table& m = c.table("STOCKMOV");
  for (uint32_t r = 1; r <= m.record_count(); ++r) {
    auto rec = m.read(r);
    moved[rec.get("ARTICLE").as_integer()] += field_dec(rec, "QTY");
  }
  Table& a = c.table("ARTICLE");
  for (uint32_t r = 1; r <= a.record_count(); ++r) {
    auto rec = a.read(r);
    if (!rec.get("STOCKED").as_logical()) continue;
    Decimal stock = field_dec(rec, "STOCK");
    Decimal sum = moved[rec.get("ID").as_integer()];
    if (stock != sum)
      problems.push_back(fmt::format("article {}: stock {} but its moves add up to {}", trim(rec.get("CODE").str()),
                                     stock.to_string(), sum.to_string()));
  }
  for (const auto& def : dictionary()) {
    auto res = xbase::check_table(c.dir() / (def.name + ".DBF"));
    for (const auto& f : res.findings)
      if (f.severity == xbase::Finding::Severity::problem)
        problems.push_back(fmt::format("{}: {}{}", def.name, f.tag.empty() ? "" : "tag " + f.tag + ": ", f.message));
  }
  return problems;
}

}  // namespace invoicing::store

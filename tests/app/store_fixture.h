// What the store tests share: a company on a real data folder (or, when INVOICING_TEST_PG names
// a PostgreSQL server, in a database of its own there) with "today" fixed, a customer and two
// articles, lines as users type them, and short ways to read back stock and rows.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "store/articles.h"
#include <fmt/format.h>

#include "store/clock.h"
#include "store/dates.h"
#include "store/documents.h"
#include "store/parties.h"
#include "store/postgres/pg_connection.h"
#include "licence_test_util.h"
#include "test_util.h"

namespace store_test {

namespace store = invoicing::store;
namespace domain = invoicing::domain;
using domain::DocType;

// Where the company of a test's folder lives: the folder itself, or, when INVOICING_TEST_PG
// names a server (tests/app/postgres/with_postgres.sh), a new database made for that folder
// (the same folder gives the same database). One suite runs on both backends this way; tests
// of the folder backend itself carry the tag [folder] and are left out of the database run.
inline std::filesystem::path company_at(const std::filesystem::path& folder) {
  const char* server = std::getenv("INVOICING_TEST_PG");
  if (!server || !*server) return folder;
  static std::map<std::string, std::string> made;
  auto it = made.find(folder.string());
  if (it != made.end()) return it->second;
  const std::string name = fmt::format("t{}_{}", getpid(), made.size() + 1);
  invoicing::store::postgres::PgConnection admin(server);
  admin.exec("CREATE DATABASE " + name);
  std::string target = server;
  target = target.substr(0, target.rfind('/') + 1) + name;
  made[folder.string()] = target;
  return target;
}

inline bool on_database() {
  const char* server = std::getenv("INVOICING_TEST_PG");
  return server && *server;
}

// The tests' companies have every edition feature (stock, multi-user numbering): a licence
// signed with the test key.
inline store::InitOptions licensed(domain::Edition e = domain::Edition::full) {
  store::InitOptions o;
  o.licence = invoicing::test::test_licence(e);
  return o;
}

inline std::unique_ptr<store::Company> open(const std::filesystem::path& dir, const std::string& user = "anna",
                                            bool seat = true) {
  store::OpenOptions o;
  o.who = {user, "PC-" + user};
  o.take_seat = seat;
  o.lock_wait = std::chrono::milliseconds(2000);
  return store::Company::open(company_at(dir), o);
}

// PEETERS (a Belgian business), LAMP (stocked, 21 %), BROOD (not stocked, 6 %).
inline void base_data(store::Company& c) {
  store::PartyInput p;
  p.code = "PEETERS";
  p.name = "Bakkerij Peeters";
  p.city = "Gent";
  p.vat = "BE0431115213";
  store::Parties(c, store::PartyKind::customer).add(p);
  store::Articles arts(c);
  store::ArticleInput lamp;
  lamp.code = "LAMP";
  lamp.description = "LED-lamp";
  lamp.price = "6.95";
  lamp.vat_rate = "21";
  lamp.opening_stock = "100";
  lamp.min_stock = "10";
  arts.add(lamp);
  store::ArticleInput brood;
  brood.code = "BROOD";
  brood.description = "Brood";
  brood.price = "2.45";
  brood.vat_rate = "6";
  arts.add(brood);
}

inline store::LineSpec art(const std::string& code, const std::string& qty, const std::string& disc = "0") {
  store::LineSpec l;
  l.article = code;
  l.quantity = qty;
  l.discount = disc;
  return l;
}

inline store::LineSpec text_line(const std::string& text, const std::string& qty, const std::string& price,
                                 const std::string& rate) {
  store::LineSpec l;
  l.text = text;
  l.quantity = qty;
  l.price = price;
  l.vat_rate = rate;
  return l;
}

inline store::FinalizeOptions fin(bool redate = false) {
  store::FinalizeOptions o;
  o.finalize = true;
  o.redate = redate;
  return o;
}

inline store::FinalizeOptions redate() {
  store::FinalizeOptions o;
  o.redate = true;
  return o;
}

inline std::string stock_of(store::Company& c, const std::string& code) {
  return store::Articles(c).get(code).stock.to_string();
}

inline size_t rows(store::Company& c, store::Tbl t) {
  size_t n = 0;
  c.storage().scan(t, [&](const store::Row&) { return ++n, true; });
  return n;
}

inline xbase::Date day(int y, int m, int d) { return {y, m, d}; }

// A licensed company on a fresh folder with base_data(), "today" fixed at 2026-03-10 for the
// object's life: what the document-flow, VAT and correction suites start from.
struct BaseCompany {
  xbase::test::TempDir dir;
  store::FixedToday today{day(2026, 3, 10)};
  std::unique_ptr<store::Company> c;
  BaseCompany() {
    store::Company::init(company_at(dir.path()), licensed());
    c = open(dir.path());
    base_data(*c);
  }
};

// Two views of one document agree in everything show() gives (the document as stored, its
// party, labels, lines with their articles, what was made from it, its payment state).
inline void check_same_view(const store::DocView& a, const store::DocView& b) {
  const auto& x = a.doc;
  const auto& y = b.doc;
  CHECK(x.id == y.id);
  CHECK(x.row == y.row);
  CHECK(x.type == y.type);
  CHECK(x.status == y.status);
  CHECK(x.year == y.year);
  CHECK(x.number == y.number);
  CHECK(x.party == y.party);
  CHECK(xbase::julian_day(x.date) == xbase::julian_day(y.date));
  CHECK(x.due_date.has_value() == y.due_date.has_value());
  if (x.due_date && y.due_date) CHECK(xbase::julian_day(*x.due_date) == xbase::julian_day(*y.due_date));
  CHECK(x.ogm == y.ogm);
  CHECK(x.source == y.source);
  CHECK(x.total_excl.to_string() == y.total_excl.to_string());
  CHECK(x.total_vat.to_string() == y.total_vat.to_string());
  CHECK(x.total_incl.to_string() == y.total_incl.to_string());
  CHECK(x.open.to_string() == y.open.to_string());
  CHECK(x.issued_to.name == y.issued_to.name);
  CHECK(x.issued_to.street == y.issued_to.street);
  CHECK(x.issued_to.vat == y.issued_to.vat);
  CHECK(a.label == b.label);
  CHECK(a.party_code == b.party_code);
  CHECK(a.party_name == b.party_name);
  CHECK(a.party.id == b.party.id);
  CHECK(a.source_label == b.source_label);
  REQUIRE(a.lines.size() == b.lines.size());
  for (size_t i = 0; i < a.lines.size(); ++i) {
    const auto& l = a.lines[i].line;
    const auto& m = b.lines[i].line;
    CHECK(l.row == m.row);
    CHECK(l.lineno == m.lineno);
    CHECK(l.article == m.article);
    CHECK(l.description == m.description);
    CHECK(l.quantity.to_string() == m.quantity.to_string());
    CHECK(l.price.to_string() == m.price.to_string());
    CHECK(l.discount.to_string() == m.discount.to_string());
    CHECK(l.vat_category == m.vat_category);
    CHECK(l.vat_rate.to_string() == m.vat_rate.to_string());
    CHECK(l.net.to_string() == m.net.to_string());
    CHECK(l.vat_rule == m.vat_rule);
    CHECK(l.kind == m.kind);
    CHECK(l.domestic_rate.to_string() == m.domestic_rate.to_string());
    CHECK(l.vat_override == m.vat_override);
    CHECK(l.exemption_reason == m.exemption_reason);
    CHECK(l.text == m.text);
    CHECK(a.lines[i].article_code == b.lines[i].article_code);
    REQUIRE(a.lines[i].article.has_value() == b.lines[i].article.has_value());
    if (a.lines[i].article) {
      CHECK(a.lines[i].article->code == b.lines[i].article->code);
      CHECK(a.lines[i].article->stock.to_string() == b.lines[i].article->stock.to_string());
      CHECK(a.lines[i].article->price.to_string() == b.lines[i].article->price.to_string());
    }
  }
  REQUIRE(a.made_from_it.size() == b.made_from_it.size());
  for (size_t i = 0; i < a.made_from_it.size(); ++i) {
    CHECK(a.made_from_it[i].id == b.made_from_it[i].id);
    CHECK(a.made_from_it[i].label == b.made_from_it[i].label);
  }
  REQUIRE(a.payment.has_value() == b.payment.has_value());
  if (a.payment && b.payment) {
    CHECK(a.payment->status == b.payment->status);
    CHECK(a.payment->open.to_string() == b.payment->open.to_string());
    CHECK(a.payment->total.to_string() == b.payment->total.to_string());
    CHECK(a.payment->days_overdue == b.payment->days_overdue);
  }
}

inline store::FinalizeOptions shown() {
  store::FinalizeOptions o;
  o.shown = true;
  return o;
}

// A final invoice for `party` with these lines, dated `date`.
inline store::DocView invoice(store::Documents& docs, const std::string& party, std::vector<store::LineSpec> lines,
                              std::optional<xbase::Date> date = std::nullopt) {
  int32_t id = docs.create(DocType::invoice, party, date);
  for (const auto& l : lines) docs.add_line(id, l);
  return docs.finalize(id);
}

}  // namespace store_test

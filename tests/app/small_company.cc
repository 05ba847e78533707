#include "small_company.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "store/company.h"
#include "store/parties.h"

namespace invoicing::test {

using xbase::test::RunResult;
using xbase::test::shell_quote;

SmallCompany::SmallCompany() : data_(dir_ / "firma") {
  REQUIRE(run({"init", data_.string(), "--company", "Atelier Lumière BV", "--vat", "BE0477472701"}).rc == 0);
  REQUIRE(run({"company", "set", "--street", "Rue de l'Étang 3", "--postcode", "1000", "--city", "Bruxelles",
               "--enterprise-no", "0477.472.701", "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB"})
              .rc == 0);
  REQUIRE(run({"customer", "add", "--code", "DUPONT", "--name", "Boulangerie Dupont", "--street", "Rue Haute 4",
               "--zip", "4000", "--city", "Liège", "--vat", "BE0414445663", "--lang", "fr"})
              .rc == 0);
  REQUIRE(run({"customer", "add", "--code", "BAKKER", "--name", "Bakker Amsterdam BV", "--street", "Damrak 1",
               "--zip", "1012 LG", "--city", "Amsterdam", "--country", "NL", "--vat", "NL004495445B01", "--lang", "nl"})
              .rc == 0);
  REQUIRE(run({"article", "add", "--code", "LAMP", "--descr", "Lampe LED", "--price", "6.95", "--vat-rate", "21"}).rc == 0);
  REQUIRE(run({"article", "add", "--code", "VERZEK", "--descr", "Verzekering", "--price", "40", "--vat-rate", "0",
               "--vat-cat", "E"})
              .rc == 0);
}

RunResult SmallCompany::run(std::vector<std::string> args) const {
  args.push_back("--data");
  args.push_back(data_.string());
  return xbase::test::run_program(INVOICING_TOOL, args, dir_.path(),
                                  "XDG_CONFIG_HOME=" + shell_quote((dir_ / "config").string()));
}

int json_id(const std::string& out) { return nlohmann::json::parse(out)["id"].get<int>(); }

int SmallCompany::invoice(const std::string& customer, const std::string& article, const std::string& qty) const {
  auto made = run({"doc", "new", "--type", "invoice", "--party", customer, "--json"});
  REQUIRE(made.rc == 0);
  const int id = json_id(made.out);
  REQUIRE(run({"doc", "add-line", std::to_string(id), "--article", article, "--qty", qty}).rc == 0);
  auto fin = run({"doc", "finalize", std::to_string(id)});
  INFO(fin.err);
  REQUIRE(fin.rc == 0);
  return id;
}

std::string SmallCompany::label(int id) const {
  auto r = run({"doc", "show", std::to_string(id), "--json"});
  REQUIRE(r.rc == 0);
  return nlohmann::json::parse(r.out)["label"].get<std::string>();
}

void SmallCompany::corrupt_customer(const std::string& code, std::string_view field, const std::string& value) const {
  store::OpenOptions o;
  o.who = {"test", "TEST"};
  auto c = store::Company::open(data_, o);
  const store::Party p = store::Parties(*c, store::PartyKind::customer).get(code);
  store::Action a(c->storage());
  c->storage().lock(store::Tbl::customer, p.row, std::chrono::seconds(5));
  c->storage().update(store::Tbl::customer, p.row, store::Row().text(field, value));
  a.commit();
}

void SmallCompany::corrupt_line(int doc, int line_no, std::string_view field, const std::string& value) const {
  store::OpenOptions o;
  o.who = {"test", "TEST"};
  auto c = store::Company::open(data_, o);
  store::RowId row = 0;
  c->storage().range(store::Tbl::docline, "DOC", {xbase::Value::integer(doc)}, [&](const store::Row& r) {
    if (r.integer("LINENO") == line_no) row = r.id;
    return row == 0;
  });
  REQUIRE(row != 0);
  store::Action a(c->storage());
  c->storage().lock(store::Tbl::docline, row, std::chrono::seconds(5));
  c->storage().update(store::Tbl::docline, row, store::Row().text(field, value));
  a.commit();
}

}  // namespace invoicing::test

// invoicing customer|supplier add|edit|list.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "store/parties.h"

namespace invoicing::cli {

namespace {

std::optional<std::string> opt(const Args& a, const std::string& name) {
  if (!a.options.count(name)) return std::nullopt;
  return a.get(name);
}

store::PartyInput input_of(const Args& a) {
  store::PartyInput in;
  in.code = opt(a, "code");
  in.name = opt(a, "name");
  in.street = opt(a, "street");
  in.zip = opt(a, "zip");
  in.city = opt(a, "city");
  in.country = opt(a, "country");
  in.vat = opt(a, "vat");
  in.enterprise_no = opt(a, "enterprise-no");
  in.email = opt(a, "email");
  in.phone = opt(a, "phone");
  in.iban = opt(a, "iban");
  in.bic = opt(a, "bic");
  in.lang = opt(a, "lang");
  in.note = opt(a, "note");
  in.terms = opt(a, "terms");
  if (a.has("private")) in.business = false;
  if (a.has("business")) in.business = true;
  if (a.has("renovation-attestation")) in.renovation = true;
  if (a.has("contractor")) in.contractor = true;
  if (a.has("no-contractor")) in.contractor = false;
  if (a.has("no-renovation-attestation")) in.renovation = false;
  return in;
}

std::string party_json(const store::Party& p) {
  return fmt::format(
      "{{\"id\":{},\"code\":{},\"name\":{},\"street\":{},\"zip\":{},\"city\":{},\"country\":{},\"vat\":{},"
      "\"enterprise_no\":{},\"email\":{},\"phone\":{},\"iban\":{},\"bic\":{},\"terms\":{},\"lang\":{},"
      "\"terms_end_of_month\":{},\"business\":{},\"contractor\":{},\"renovation_attestation\":{},\"archived\":{}}}",
      p.id, json_string(p.code), json_string(p.name), json_string(p.street), json_string(p.zip), json_string(p.city),
      json_string(p.country), json_string(p.vat), json_string(p.enterprise_no), json_string(p.email),
      json_string(p.phone), json_string(p.iban), json_string(p.bic), p.terms, json_string(p.lang),
      p.terms_eom ? "true" : "false", p.business ? "true" : "false", p.contractor ? "true" : "false",
      p.renovation ? "true" : "false", p.archived ? "true" : "false");
}

}  // namespace

int cmd_party(int argc, char** argv, bool supplier) {
  const char* what = supplier ? "supplier" : "customer";
  const std::string usage = fmt::format(
      "usage: invoicing {0} add --code C --name N [...] | {0} edit --code C [...] | {0} list [--search TEXT] [--archived]\n"
      "       invoicing {0} delete --code C | {0} archive --code C | {0} unarchive --code C", what);
  if (argc < 3) throw UsageError(usage);
  std::string sub = argv[2];
  Args a = parse(argc, argv, 3,
                 {"code", "name", "street", "zip", "city", "country", "vat", "enterprise-no", "email", "phone", "iban",
                  "bic", "terms", "lang", "note", "search"},
                 {"private", "business", "renovation-attestation", "contractor", "archived", "no-contractor",
                  "no-renovation-attestation"});
  if (!a.positional.empty()) throw UsageError(fmt::format("{}\n{}", unexpected(a.positional[0]), usage));
  static const std::set<std::string> fields = {"code",  "name", "street", "zip",  "city",  "country",
                                               "vat",   "enterprise-no", "email", "phone", "iban", "bic",
                                               "terms", "lang", "note", "private", "business",
                                               "renovation-attestation", "contractor", "no-contractor",
                                               "no-renovation-attestation"};
  if (sub == "add" || sub == "edit") only_options(a, std::string(what) + " " + sub, fields);
  else if (sub == "list") only_options(a, std::string(what) + " list", {"search", "archived"});
  else if (sub == "delete" || sub == "archive" || sub == "unarchive") only_options(a, std::string(what) + " " + sub, {"code"});
  else throw UsageError(fmt::format("unknown subcommand \"{}\"\n{}", sub, usage));
  auto c = open_company(a);
  store::Parties parties(*c, supplier ? store::PartyKind::supplier : store::PartyKind::customer);
  if (sub == "list") {
    store::PartyFilter f;
    f.search = a.get("search");
    f.archived = a.has("archived");
    auto list = parties.list(f);
    if (a.has("json")) {
      std::cout << "[";
      for (size_t i = 0; i < list.size(); ++i) std::cout << (i ? "," : "") << party_json(list[i]);
      std::cout << "]\n";
    } else {
      for (const auto& p : list)
        std::cout << fmt::format("{:<10} {:<40} {:<20} {:<16}\n", p.code, p.name, p.city, p.vat);
    }
    return 0;
  }
  if (sub == "add") {
    auto p = parties.add(input_of(a));
    if (a.has("json")) std::cout << party_json(p) << "\n";
    else std::cout << fmt::format("{} {} added\n", what, p.code);
    return 0;
  }
  if (sub == "edit") {
    if (a.get("code").empty()) throw UsageError(fmt::format("usage: invoicing {} edit --code C [...]", what));
    store::PartyInput in = input_of(a);
    in.code.reset();  // the code names the party; it is not changed here
    auto p = parties.edit(a.get("code"), in);
    if (a.has("json")) std::cout << party_json(p) << "\n";
    else std::cout << fmt::format("{} {} changed\n", what, p.code);
    return 0;
  }
  if (sub == "delete" || sub == "archive" || sub == "unarchive") {
    if (a.get("code").empty()) throw UsageError(fmt::format("usage: invoicing {} {} --code C", what, sub));
    if (sub == "delete") {
      parties.remove(a.get("code"));
      std::cout << fmt::format("{} {} deleted\n", what, a.get("code"));
      return 0;
    }
    auto p = parties.set_archived(a.get("code"), sub == "archive");
    if (a.has("json")) std::cout << party_json(p) << "\n";
    else std::cout << fmt::format("{} {} {}\n", what, p.code, sub == "archive" ? "archived" : "in use again");
    return 0;
  }
  throw UsageError(usage);
}

}  // namespace invoicing::cli

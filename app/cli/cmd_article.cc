// invoicing article add|edit|list|moves|count, and invoicing stock.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "store/articles.h"

namespace invoicing::cli {

namespace {

std::optional<std::string> opt(const Args& a, const std::string& name) {
  if (!a.options.count(name)) return std::nullopt;
  return a.get(name);
}

store::ArticleInput input_of(const Args& a) {
  store::ArticleInput in;
  in.code = opt(a, "code");
  in.description = opt(a, "descr");
  in.unit = opt(a, "unit");
  in.price = opt(a, "price");
  in.vat_rate = opt(a, "vat-rate");
  if (auto c = opt(a, "vat-cat")) {
    for (auto& ch : *c) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    in.vat_category = c;
  }
  in.kind = opt(a, "kind");
  in.min_stock = opt(a, "min");
  in.note = opt(a, "note");
  in.opening_stock = opt(a, "stock");
  if (a.has("stocked")) in.stocked = true;
  if (a.has("construction")) in.construction = true;
  if (a.has("no-construction")) in.construction = false;
  return in;
}

std::string article_json(const store::Article& r) {
  return fmt::format(
      "{{\"id\":{},\"code\":{},\"description\":{},\"unit\":{},\"price\":{},\"vat_category\":{},\"vat_rate\":{},"
      "\"kind\":{},\"construction\":{},\"stocked\":{},\"stock\":{},\"minimum\":{},\"below_minimum\":{},\"archived\":{}}}",
      r.id, json_string(r.code), json_string(r.description), json_string(r.unit), json_decimal(r.price),
      json_string(r.vat_category), json_decimal(r.vat_rate), json_string(r.kind), r.construction ? "true" : "false",
      r.stocked ? "true" : "false", json_decimal(r.stock), json_decimal(r.min_stock),
      r.stocked && r.stock < r.min_stock ? "true" : "false", r.archived ? "true" : "false");
}

}  // namespace

int cmd_article(int argc, char** argv) {
  const char* usage =
      "usage: invoicing article add --code C --descr D --price P [...] | article edit --code C [...]\n"
      "       invoicing article list [--search TEXT] [--archived] | article moves --code C\n"
      "       invoicing article count --code C --counted Q [--reason TEXT]\n"
      "       invoicing article delete --code C | article archive --code C | article unarchive --code C";
  if (argc < 3) throw UsageError(usage);
  std::string sub = argv[2];
  Args a = parse(argc, argv, 3,
                 {"code", "descr", "price", "vat-rate", "vat-cat", "unit", "stock", "min", "kind", "note", "search",
                  "counted", "reason"},
                 {"stocked", "construction", "no-construction", "archived"});
  if (!a.positional.empty()) throw UsageError(fmt::format("{}\n{}", unexpected(a.positional[0]), usage));
  static const std::map<std::string, std::set<std::string>> options_of = {
      {"add", {"code", "descr", "price", "vat-rate", "vat-cat", "unit", "stock", "min", "kind", "note", "stocked",
               "construction", "no-construction"}},
      {"edit", {"code", "descr", "price", "vat-rate", "vat-cat", "unit", "stock", "min", "kind", "note", "stocked",
                "construction", "no-construction"}},
      {"list", {"search", "archived"}},
      {"count", {"code", "counted", "reason"}},
      {"moves", {"code"}},
      {"delete", {"code"}},
      {"archive", {"code"}},
      {"unarchive", {"code"}}};
  auto known = options_of.find(sub);
  if (known == options_of.end()) throw UsageError(fmt::format("unknown subcommand \"{}\"\n{}", sub, usage));
  only_options(a, "article " + sub, known->second);
  auto c = open_company(a);
  store::Articles arts(*c);
  const bool json = a.has("json");
  if (sub == "list") {
    store::ArticleFilter f;
    f.search = a.get("search");
    f.archived = a.has("archived");
    auto list = arts.list(f);
    if (json) {
      std::cout << "[";
      for (size_t i = 0; i < list.size(); ++i) std::cout << (i ? "," : "") << article_json(list[i]);
      std::cout << "]\n";
    } else {
      for (const auto& r : list)
        std::cout << fmt::format("{:<12} {:<40} {:>12} {:>6}% {:>12}\n", r.code, r.description, r.price.to_string(),
                                 r.vat_rate.to_string(), r.stocked ? r.stock.to_string() : "-");
    }
    return 0;
  }
  if (sub == "add") {
    auto r = arts.add(input_of(a));
    if (json) std::cout << article_json(r) << "\n";
    else std::cout << "article " << r.code << " added\n";
    return 0;
  }
  if (sub == "edit") {
    if (a.get("code").empty()) throw UsageError("usage: invoicing article edit --code C [--descr D] [--price P] ...");
    store::ArticleInput in = input_of(a);
    in.code.reset();
    auto r = arts.edit(a.get("code"), in);
    if (json) std::cout << article_json(r) << "\n";
    else std::cout << "article " << r.code << " changed\n";
    return 0;
  }
  if (sub == "count") {
    if (a.get("code").empty() || a.get("counted").empty())
      throw UsageError("usage: invoicing article count --code C --counted Q [--reason TEXT]");
    auto r = arts.correct_stock(a.get("code"), a.get("counted"), a.get("reason", "inventory"));
    if (json) std::cout << article_json(r) << "\n";
    else std::cout << fmt::format("article {}: stock {}\n", r.code, r.stock.to_string());
    return 0;
  }
  if (sub == "moves") {
    if (a.get("code").empty()) throw UsageError("usage: invoicing article moves --code C");
    auto moves = arts.moves(a.get("code"));
    if (json) std::cout << "[";
    for (size_t i = 0; i < moves.size(); ++i) {
      const auto& m = moves[i];
      if (json)
        std::cout << fmt::format("{}{{\"date\":{},\"quantity\":{},\"doc\":{},\"reason\":{},\"user\":{}}}", i ? "," : "",
                                 json_string(date_text(m.date)), json_decimal(m.quantity), m.doc,
                                 json_string(m.reason), json_string(m.user));
      else
        std::cout << fmt::format("{:<10} {:>12}  {:<30} {}\n", date_text(m.date), m.quantity.to_string(), m.reason, m.user);
    }
    if (json) std::cout << "]\n";
    return 0;
  }
  if (sub == "delete" || sub == "archive" || sub == "unarchive") {
    if (a.get("code").empty()) throw UsageError(fmt::format("usage: invoicing article {} --code C", sub));
    if (sub == "delete") {
      arts.remove(a.get("code"));
      std::cout << fmt::format("article {} deleted\n", a.get("code"));
      return 0;
    }
    auto r = arts.set_archived(a.get("code"), sub == "archive");
    if (json) std::cout << article_json(r) << "\n";
    else std::cout << fmt::format("article {} {}\n", r.code, sub == "archive" ? "archived" : "in use again");
    return 0;
  }
  throw UsageError(usage);
}

int cmd_stock(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {"below-minimum"});
  if (!a.positional.empty()) throw UsageError("usage: invoicing stock [--below-minimum]");
  auto c = open_company(a);
  store::Articles arts(*c);
  store::ArticleFilter f;
  f.below_minimum = a.has("below-minimum");
  const auto ordered = arts.on_order();
  bool json = a.has("json"), first = true;
  if (json) std::cout << "[";
  for (const auto& r : arts.list(f)) {
    if (!r.stocked) continue;
    bool below = r.stock < r.min_stock;
    auto it = ordered.find(r.id);
    const domain::Decimal on_order = it == ordered.end() ? domain::Decimal() : it->second;
    // To order: up to the minimum, less what is on order already.
    domain::Decimal reorder = r.min_stock - r.stock - on_order;
    if (reorder.sign() < 0) reorder = domain::Decimal();
    if (json)
      std::cout << fmt::format("{}{{\"code\":{},\"stock\":{},\"minimum\":{},\"below_minimum\":{},\"on_order\":{},"
                               "\"to_order\":{}}}",
                               first ? "" : ",", json_string(r.code), json_decimal(r.stock), json_decimal(r.min_stock),
                               below ? "true" : "false", json_decimal(on_order), json_decimal(reorder));
    else
      std::cout << fmt::format("{:<12} {:<40} {:>12} {:>10} {:>10}{}\n", r.code, r.description, r.stock.to_string(),
                               r.min_stock.to_string(), on_order.is_zero() ? "" : on_order.to_string(),
                               below ? fmt::format("  below minimum, order {}", reorder.to_string()) : "");
    first = false;
  }
  if (json) std::cout << "]\n";
  return 0;
}

}  // namespace invoicing::cli

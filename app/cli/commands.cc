// invoicing init/use/customer/supplier/article/doc/stock/numbering/seats/verify.
#include <fmt/format.h>

#include <filesystem>
#include <unistd.h>

#include <iostream>

#include "cli.h"
#include "domain/money.h"
#include "domain/vat_number.h"
#include "store/documents.h"
#include "store/text.h"
#include "xbase/cursor.h"
#include "xbase/transaction.h"

namespace fs = std::filesystem;
using xbase::Value;
using invoicing::domain::DocType;

namespace invoicing::cli {

namespace {

using store::trim;
using store::upper;

DocType parse_type(const std::string& s) {
  static const std::map<std::string, DocType> names = {
      {"quote", DocType::quote}, {"order", DocType::order}, {"delivery-note", DocType::delivery_note},
      {"invoice", DocType::invoice}, {"credit-note", DocType::credit_note},
      {"purchase-invoice", DocType::purchase_invoice}};
  auto it = names.find(s);
  if (it != names.end()) return it->second;
  if (auto t = domain::doc_type_from_code(upper(s))) return *t;
  throw UsageError(fmt::format("unknown document type \"{}\" (quote, order, delivery-note, invoice, "
                               "credit-note, purchase-invoice)",
                               s));
}

const char* type_name(DocType t) {
  switch (t) {
    case DocType::quote: return "quote";
    case DocType::order: return "order";
    case DocType::delivery_note: return "delivery-note";
    case DocType::invoice: return "invoice";
    case DocType::credit_note: return "credit-note";
    case DocType::purchase_invoice: return "purchase-invoice";
  }
  return "?";
}

const char* status_name(domain::DocStatus s) {
  return s == domain::DocStatus::final ? "final" : s == domain::DocStatus::cancelled ? "cancelled" : "draft";
}

std::string number_text(const store::DocView& v) {
  return v.number ? fmt::format("{} {}/{:04}", domain::doc_type_code(v.type), v.year, v.number)
                  : fmt::format("{} (no number)", domain::doc_type_code(v.type));
}

std::string doc_json(const store::DocView& v, bool lines) {
  std::string s = fmt::format(
      "{{\"id\":{},\"type\":{},\"fiscal_year\":{},\"number\":{},\"status\":{},\"party\":{},\"party_name\":{},"
      "\"date\":\"{:04}-{:02}-{:02}\",\"reference\":{},\"source\":{},\"total_excl_vat\":{},\"total_vat\":{},"
      "\"total_incl_vat\":{},\"user\":{},\"workstation\":{}",
      v.id, json_string(type_name(v.type)), v.year, v.number ? std::to_string(v.number) : "null",
      json_string(status_name(v.status)), json_string(v.party_code), json_string(v.party_name), v.date.year,
      v.date.month, v.date.day, json_string(v.reference), v.source ? std::to_string(v.source) : "null",
      json_string(v.total_excl), json_string(v.total_vat), json_string(v.total_incl), json_string(v.user),
      json_string(v.workstation));
  if (lines) {
    s += ",\"lines\":[";
    for (size_t i = 0; i < v.lines.size(); ++i) {
      const auto& l = v.lines[i];
      s += fmt::format("{}{{\"line\":{},\"article\":{},\"text\":{},\"quantity\":{},\"price\":{},\"discount\":{},"
                       "\"vat_category\":{},\"vat_rate\":{},\"net\":{}}}",
                       i ? "," : "", l.lineno, json_string(l.article_code), json_string(l.text), json_string(l.quantity),
                       json_string(l.price), json_string(l.discount), json_string(l.vat_category),
                       json_string(l.vat_rate), json_string(l.net));
    }
    s += "]";
  }
  return s + "}";
}

void print_doc(const store::DocView& v) {
  std::cout << fmt::format("{} [{}] id {}  {}  {} {}  {:04}-{:02}-{:02}\n", number_text(v), status_name(v.status), v.id,
                           type_name(v.type), v.party_code, v.party_name, v.date.year, v.date.month, v.date.day);
  if (!v.reference.empty()) std::cout << "  payment reference " << v.reference << "\n";
  if (v.source) std::cout << "  made from document " << v.source << "\n";
  for (const auto& l : v.lines)
    std::cout << fmt::format("  {:>3} {:<10} {:<34} {:>9} x {:>10}  -{:>5}%  {:>2} {:>5}%  {:>12}\n", l.lineno,
                             l.article_code, l.text.substr(0, 34), l.quantity, l.price, l.discount, l.vat_category,
                             l.vat_rate, l.net);
  std::cout << fmt::format("  total excl. VAT {:>12}   VAT {:>12}   total {:>12}\n", v.total_excl, v.total_vat,
                           v.total_incl);
}

}  // namespace

int cmd_use(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  if (a.positional.size() != 1) throw UsageError("usage: invoicing use DIR [--user NAME]");
  std::string dir = fs::absolute(a.positional[0]).lexically_normal().string();
  if (!store::folder_schema_version(dir)) throw store::UserError(dir + " is not a company data folder");
  set_local_setting("data", dir);
  if (a.options.count("user")) set_local_setting("user", a.get("user"), dir);
  std::cout << "this workstation now uses " << dir << " (" << local_settings_path() << ")\n";
  return 0;
}

int cmd_init(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"company", "vat", "edition", "schema", "seed"}, {"demo"});
  if (a.positional.size() != 1)
    throw UsageError("usage: invoicing init DIR [--company NAME] [--vat BE0123456749] [--edition free|basic|pro|full] [--demo]");
  store::InitOptions o;
  o.company = a.get("company", a.has("demo") ? "Demo Bvba / Démo Sprl" : "My company");
  std::string vat = a.get("vat", a.has("demo") ? "BE0477472701" : "");
  if (!vat.empty()) {
    auto chk = domain::check_vat_number(vat);
    if (!chk.valid) throw store::UserError(fmt::format("VAT number {}: {}", vat, chk.reason));
    vat = chk.normalized;
  }
  o.vat = vat;
  if (a.options.count("edition")) {
    auto e = store::edition_from_name(a.get("edition"));
    if (!e) throw UsageError("--edition must be free, basic, pro or full");
    o.edition = *e;
  } else if (a.has("demo")) {
    o.edition = store::Edition::pro;
  }
  o.schema_version = a.get_int("schema", store::kSchemaVersion);
  if (o.schema_version < 1 || o.schema_version > store::kSchemaVersion)
    throw UsageError(fmt::format("--schema must be 1..{}", store::kSchemaVersion));
  const std::string dir = a.positional[0];
  store::Company::init(dir, o);
  if (a.has("demo")) {
    store::OpenOptions oo;
    oo.who = identity(a);
    auto c = store::Company::open(dir, oo);
    fill_demo(*c, unsigned(a.get_int("seed", 2026)));
  }
  std::cout << fmt::format("created the data folder {} ({} edition, schema version {}){}\n", dir,
                           store::edition_name(o.edition), o.schema_version, a.has("demo") ? " with the demo company" : "");
  if (local_setting("data").empty()) set_local_setting("data", fs::absolute(dir).lexically_normal().string());
  return 0;
}

int cmd_party(int argc, char** argv, bool supplier) {
  const char* table = supplier ? "SUPPLIER" : "CUSTOMER";
  const char* what = supplier ? "supplier" : "customer";
  if (argc < 3) throw UsageError(fmt::format("usage: invoicing {} add|edit|list ...", what));
  std::string sub = argv[2];
  Args a = parse(argc, argv, 3,
                 {"code", "name", "street", "zip", "city", "country", "vat", "email", "terms", "lang"}, {});
  auto c = open_company(a);
  auto& t = c->table(table);
  if (sub == "list") {
    bool json = a.has("json");
    if (json) std::cout << "[";
    bool first = true;
    xbase::Cursor by_code(t, "CODE");
    for (bool ok = by_code.go_top(); ok; ok = by_code.skip()) {
      auto r = by_code.read();
      if (r.deleted()) continue;
      if (json) {
        std::cout << fmt::format("{}{{\"id\":{},\"code\":{},\"name\":{},\"city\":{},\"country\":{},\"vat\":{},\"balance\":{}}}",
                                 first ? "" : ",", r.get("ID").as_integer(), json_string(trim(r.get("CODE").str())),
                                 json_string(trim(r.get("NAME").str())), json_string(trim(r.get("CITY").str())),
                                 json_string(trim(r.get("COUNTRY").str())), json_string(trim(r.get("VAT").str())),
                                 json_string(store::decimal_text(r.get("BALANCE"))));
      } else {
        std::cout << fmt::format("{:<10} {:<40} {:<20} {:<16} {:>12}\n", trim(r.get("CODE").str()),
                                 trim(r.get("NAME").str()), trim(r.get("CITY").str()), trim(r.get("VAT").str()),
                                 store::decimal_text(r.get("BALANCE")));
      }
      first = false;
    }
    if (json) std::cout << "]\n";
    return 0;
  }
  if (sub != "add" && sub != "edit") throw UsageError(fmt::format("usage: invoicing {} add|edit|list ...", what));
  std::string code = a.get("code");
  if (code.empty()) throw UsageError("--code is required");
  std::string vat = a.get("vat");
  if (!vat.empty()) {
    auto chk = domain::check_vat_number(vat);
    if (!chk.valid) throw store::UserError(fmt::format("VAT number {}: {}", vat, chk.reason));
    vat = chk.normalized;
  }
  auto existing = t.seek("CODE", Value::text(upper(code)), xbase::SeekMode::exact);
  xbase::Transaction tx{&t};
  if (sub == "add") {
    if (existing) throw store::UserError(fmt::format("a {} with code {} exists already", what, code));
    if (a.get("name").empty()) throw UsageError("--name is required");
    t.append(std::vector<Value>{Value::empty(), Value::text(code), Value::text(a.get("name")), Value::text(a.get("street")),
                                Value::text(a.get("zip")), Value::text(a.get("city")),
                                Value::text(upper(a.get("country", vat.size() >= 2 ? vat.substr(0, 2) : "BE"))),
                                Value::text(vat), Value::text(a.get("email")), Value::integer(a.get_int("terms", 30)),
                                Value::text(a.get("lang", "nl")), Value::integer(0)});
  } else {
    if (!existing) throw store::UserError(fmt::format("no {} with code {}", what, code));
    std::vector<std::pair<size_t, Value>> ch;
    for (const char* f : {"name", "street", "zip", "city", "email", "lang"})
      if (a.options.count(f)) ch.push_back({t.field_index_or_throw(upper(f)), Value::text(a.get(f))});
    if (a.options.count("country")) ch.push_back({t.field_index_or_throw("COUNTRY"), Value::text(upper(a.get("country")))});
    if (!vat.empty()) ch.push_back({t.field_index_or_throw("VAT"), Value::text(vat)});
    if (a.options.count("terms")) ch.push_back({t.field_index_or_throw("TERMS"), Value::integer(a.get_int("terms", 30))});
    t.update(*existing, ch);
  }
  tx.commit();
  std::cout << fmt::format("{} {} {}\n", what, code, sub == "add" ? "added" : "changed");
  return 0;
}

int cmd_article(int argc, char** argv) {
  if (argc < 3) throw UsageError("usage: invoicing article add|edit|list ...");
  std::string sub = argv[2];
  Args a = parse(argc, argv, 3, {"code", "descr", "price", "vat-rate", "vat-cat", "unit", "stock", "min"}, {"stocked"});
  auto c = open_company(a);
  auto& t = c->table("ARTICLE");
  if (sub == "list") {
    bool json = a.has("json");
    if (json) std::cout << "[";
    bool first = true;
    xbase::Cursor by_code(t, "CODE");
    for (bool ok = by_code.go_top(); ok; ok = by_code.skip()) {
      auto r = by_code.read();
      if (r.deleted()) continue;
      if (json)
        std::cout << fmt::format("{}{{\"code\":{},\"description\":{},\"price\":{},\"vat_rate\":{},\"stocked\":{},\"stock\":{}}}",
                                 first ? "" : ",", json_string(trim(r.get("CODE").str())),
                                 json_string(trim(r.get("DESCR").str())), json_string(store::decimal_text(r.get("PRICE"))),
                                 json_string(store::decimal_text(r.get("VATRATE"))),
                                 r.get("STOCKED").as_logical() ? "true" : "false",
                                 json_string(store::decimal_text(r.get("STOCK"))));
      else
        std::cout << fmt::format("{:<12} {:<40} {:>12} {:>6}% {:>12}\n", trim(r.get("CODE").str()),
                                 trim(r.get("DESCR").str()), store::decimal_text(r.get("PRICE")),
                                 store::decimal_text(r.get("VATRATE")),
                                 r.get("STOCKED").as_logical() ? store::decimal_text(r.get("STOCK")) : "-");
      first = false;
    }
    if (json) std::cout << "]\n";
    return 0;
  }
  if (sub == "edit") {
    std::string code = a.get("code");
    if (code.empty()) throw UsageError("usage: invoicing article edit --code C [--descr D] [--price P] [--vat-rate R] [--vat-cat C] [--unit U] [--min Q]");
    auto r = t.seek("CODE", Value::text(upper(code)), xbase::SeekMode::exact);
    if (!r) throw store::UserError(fmt::format("no article with code {}", code));
    std::vector<std::pair<size_t, Value>> ch;
    for (const auto& [opt, field] : std::vector<std::pair<std::string, std::string>>{{"descr", "DESCR"}, {"unit", "UNIT"}, {"vat-cat", "VATCAT"}})
      if (a.options.count(opt)) ch.push_back({t.field_index_or_throw(field), Value::text(opt == "vat-cat" ? upper(a.get(opt)) : a.get(opt))});
    for (const auto& [opt, field] : std::vector<std::pair<std::string, std::string>>{{"price", "PRICE"}, {"vat-rate", "VATRATE"}, {"min", "MINSTOCK"}})
      if (a.options.count(opt)) {
        auto d = domain::Decimal::parse(a.get(opt));
        if (!d) throw UsageError(fmt::format("--{} is a decimal number", opt));
        ch.push_back({t.field_index_or_throw(field), Value::number(d->to_string())});
      }
    // Stock changes only through documents (and their moves), never by editing the article.
    if (a.options.count("stock")) throw UsageError("stock changes through documents (delivery notes, invoices, credit notes, purchase invoices)");
    xbase::Transaction tx{&t};
    t.update(*r, ch);
    tx.commit();
    std::cout << "article " << code << " changed\n";
    return 0;
  }
  if (sub != "add") throw UsageError("usage: invoicing article add|edit|list ...");
  std::string code = a.get("code");
  if (code.empty() || a.get("descr").empty()) throw UsageError("--code and --descr are required");
  auto price = domain::Decimal::parse(a.get("price", "0"));
  auto rate = domain::Decimal::parse(a.get("vat-rate", "21"));
  auto stock = domain::Decimal::parse(a.get("stock", "0"));
  auto min = domain::Decimal::parse(a.get("min", "0"));
  if (!price || !rate || !stock || !min) throw UsageError("--price, --vat-rate, --stock and --min are decimal numbers");
  if (t.seek("CODE", Value::text(upper(code)), xbase::SeekMode::exact))
    throw store::UserError(fmt::format("an article with code {} exists already", code));
  bool stocked = a.has("stocked") || a.options.count("stock");
  auto& moves = c->table("STOCKMOV");
  xbase::Transaction tx{&t, &moves};
  uint32_t r = t.append(std::vector<Value>{Value::empty(), Value::text(code), Value::text(a.get("descr")),
                                           Value::text(a.get("unit", "pc")), Value::number(price->to_string()),
                                           Value::text(a.get("vat-cat", "S")), Value::number(rate->to_string()),
                                           Value::logical(stocked), Value::number(stock->to_string()),
                                           Value::number(min->to_string())});
  // Opening stock is a move too, so that the stock is always the sum of the moves.
  if (!stock->is_zero())
    moves.append(std::vector<Value>{Value::empty(), t.read(r).get("ID"), Value::integer(0),
                                    Value::number(stock->to_string()), Value::date(store::today()),
                                    Value::text(c->who().user)});
  tx.commit();
  std::cout << "article " << code << " added\n";
  return 0;
}

int cmd_doc(int argc, char** argv) {
  if (argc < 3) throw UsageError("usage: invoicing doc new|add-line|finalize|convert|cancel|show|list ...");
  std::string sub = argv[2];
  Args a = parse(argc, argv, 3,
                 {"type", "party", "date", "article", "text", "qty", "price", "disc", "vat-rate", "vat-cat", "to", "year"},
                 {"finalize"});
  auto c = open_company(a);
  store::Documents docs(*c);
  auto id_arg = [&]() {
    if (a.positional.size() != 1) throw UsageError(fmt::format("usage: invoicing doc {} ID", sub));
    try {
      return int32_t(std::stol(a.positional[0]));
    } catch (const std::exception&) {
      throw UsageError("a document is named by its id (a number)");
    }
  };
  const bool json = a.has("json");
  if (sub == "new") {
    if (a.get("type").empty() || a.get("party").empty()) throw UsageError("usage: invoicing doc new --type TYPE --party CODE [--date YYYY-MM-DD]");
    std::optional<xbase::Date> date;
    if (a.options.count("date")) {
      int y = 0, m = 0, d = 0;
      if (std::sscanf(a.get("date").c_str(), "%d-%d-%d", &y, &m, &d) != 3 || !xbase::valid_date({y, m, d}))
        throw UsageError("--date is YYYY-MM-DD");
      date = xbase::Date{y, m, d};
    }
    int32_t id = docs.create(parse_type(a.get("type")), a.get("party"), date);
    if (json) std::cout << doc_json(docs.show(id), false) << "\n";
    else std::cout << "created " << number_text(docs.show(id)) << " as document " << id << "\n";
    return 0;
  }
  if (sub == "add-line") {
    store::LineSpec l;
    l.article = a.get("article");
    l.text = a.get("text");
    l.quantity = a.get("qty", "1");
    l.price = a.get("price");
    l.discount = a.get("disc", "0");
    l.vat_rate = a.get("vat-rate");
    l.vat_category = upper(a.get("vat-cat"));
    docs.add_line(id_arg(), l);
    auto v = docs.show(id_arg());
    if (json) std::cout << doc_json(v, true) << "\n";
    else print_doc(v);
    return 0;
  }
  // On a terminal, a numbering held too long by another workstation is the user's call: wait
  // again or give up (elsewhere the error stands).
  auto patiently = [&](auto&& fn) {
    for (;;) {
      try {
        return fn();
      } catch (const store::NumberingBusy& e) {
        if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) throw;
        std::cerr << e.what() << "\nkeep waiting? [Y/n] " << std::flush;
        std::string answer;
        if (!std::getline(std::cin, answer) || (!answer.empty() && (answer[0] == 'n' || answer[0] == 'N'))) throw;
      }
    }
  };
  if (sub == "finalize") {
    auto v = patiently([&] { return docs.finalize(id_arg()); });
    if (json) std::cout << doc_json(v, false) << "\n";
    else std::cout << "finalized " << number_text(v) << ", total " << v.total_incl << "\n";
    return 0;
  }
  if (sub == "convert") {
    if (a.get("to").empty()) throw UsageError("usage: invoicing doc convert ID --to TYPE [--finalize]");
    int32_t id = patiently([&] { return docs.convert(id_arg(), parse_type(a.get("to")), a.has("finalize")); });
    auto v = docs.show(id);
    if (json) std::cout << doc_json(v, false) << "\n";
    else std::cout << "made " << number_text(v) << " (document " << id << ") from document " << id_arg() << "\n";
    return 0;
  }
  if (sub == "cancel") {
    docs.cancel(id_arg());
    std::cout << "cancelled document " << id_arg() << "\n";
    return 0;
  }
  if (sub == "show") {
    auto v = docs.show(id_arg());
    if (json) std::cout << doc_json(v, true) << "\n";
    else print_doc(v);
    return 0;
  }
  if (sub == "list") {
    std::optional<DocType> type;
    if (a.options.count("type")) type = parse_type(a.get("type"));
    auto list = docs.list(type, a.get_int("year", 0));
    if (json) {
      std::cout << "[";
      for (size_t i = 0; i < list.size(); ++i) std::cout << (i ? "," : "") << doc_json(list[i], false);
      std::cout << "]\n";
    } else {
      for (const auto& v : list)
        std::cout << fmt::format("{:>6}  {:<18} {:<9} {:<10} {:<30} {:>12}\n", v.id, number_text(v),
                                 status_name(v.status), v.party_code, v.party_name.substr(0, 30), v.total_incl);
    }
    return 0;
  }
  throw UsageError("usage: invoicing doc new|add-line|finalize|convert|cancel|show|list ...");
}

int cmd_stock(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  auto c = open_company(a);
  auto& t = c->table("ARTICLE");
  bool json = a.has("json"), first = true;
  if (json) std::cout << "[";
  for (uint32_t r = 1; r <= t.record_count(); ++r) {
    auto rec = t.read(r);
    if (rec.deleted() || !rec.get("STOCKED").as_logical()) continue;
    auto stock = *domain::Decimal::parse(store::decimal_text(rec.get("STOCK")));
    auto min = *domain::Decimal::parse(store::decimal_text(rec.get("MINSTOCK")));
    if (json)
      std::cout << fmt::format("{}{{\"code\":{},\"stock\":{},\"minimum\":{},\"below_minimum\":{}}}", first ? "" : ",",
                               json_string(trim(rec.get("CODE").str())), json_string(stock.to_string()),
                               json_string(min.to_string()), stock < min ? "true" : "false");
    else
      std::cout << fmt::format("{:<12} {:<40} {:>12} {:>10}{}\n", trim(rec.get("CODE").str()), trim(rec.get("DESCR").str()),
                               stock.to_string(), min.to_string(), stock < min ? "  below minimum" : "");
    first = false;
  }
  if (json) std::cout << "]\n";
  return 0;
}

int cmd_numbering(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"wait"}, {});
  auto c = open_company(a);
  if (!a.positional.empty() && a.positional[0] == "mode") {
    if (a.positional.size() != 2 || (a.positional[1] != "serialized" && a.positional[1] != "multiuser"))
      throw UsageError("usage: invoicing numbering mode serialized|multiuser [--wait SECONDS]");
    c->set_setting("numbering", a.positional[1]);
    if (a.options.count("wait")) c->set_setting("numbering_wait", std::to_string(a.get_int("wait", 60)));
    std::cout << "numbering: " << a.positional[1] << "\n";
    return 0;
  }
  auto& t = c->table("NUMBERS");
  bool json = a.has("json");
  if (json) std::cout << fmt::format("{{\"mode\":{},\"wait_s\":{},\"counters\":[", json_string(c->setting("numbering", "serialized")),
                                     c->setting("numbering_wait", "60"));
  else std::cout << "numbering: " << c->setting("numbering", "serialized") << " (waits up to " << c->setting("numbering_wait", "60") << " s)\n";
  for (uint32_t r = 1; r <= t.record_count(); ++r) {
    auto rec = t.read(r);
    std::string type = trim(rec.get("TYPE").str()), free = trim(rec.get("FREE").str());
    int year = int(rec.get("YEAR").as_real()), next = int(rec.get("NEXT").as_real());
    if (json)
      std::cout << fmt::format("{}{{\"type\":{},\"fiscal_year\":{},\"next\":{},\"free\":{}}}", r > 1 ? "," : "",
                               json_string(type), year, next, json_string(free));
    else
      std::cout << fmt::format("  {} {}: next {}{}\n", type, year, next, free.empty() ? "" : ", to hand out again: " + free);
  }
  if (json) std::cout << "]}\n";
  return 0;
}

int cmd_seats(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  auto c = open_company(a, false);
  auto holders = c->seat_holders();
  if (a.has("json")) {
    std::cout << fmt::format("{{\"edition\":{},\"seats\":{},\"in_use\":[", json_string(store::edition_name(c->edition())),
                             store::seat_count(c->edition()));
    for (size_t i = 0; i < holders.size(); ++i) std::cout << (i ? "," : "") << json_string(holders[i]);
    std::cout << "]}\n";
    return 0;
  }
  std::cout << fmt::format("{} edition: {} seat{}, {} in use\n", store::edition_name(c->edition()),
                           store::seat_count(c->edition()), store::seat_count(c->edition()) == 1 ? "" : "s", holders.size());
  for (const auto& h : holders) std::cout << "  " << h << "\n";
  return 0;
}

int cmd_verify(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  auto c = open_company(a, false);
  auto problems = store::verify_folder(*c);
  for (const auto& p : problems) std::cout << "problem: " << p << "\n";
  std::cout << (problems.empty() ? "ok: numbers gap-free, stock equals its moves, every table and tag checks\n"
                                 : fmt::format("{} problems\n", problems.size()));
  return problems.empty() ? 0 : 1;
}

}  // namespace invoicing::cli

// invoicing doc new|add-line|finalize|convert|cancel|show|list.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>

#include "cli.h"
#include "store/documents.h"

using invoicing::domain::DocType;

namespace invoicing::cli {

namespace {

DocType parse_type(const std::string& s) {
  static const std::map<std::string, DocType> names = {
      {"quote", DocType::quote}, {"order", DocType::order}, {"delivery-note", DocType::delivery_note},
      {"invoice", DocType::invoice}, {"credit-note", DocType::credit_note},
      {"purchase-invoice", DocType::purchase_invoice}};
  auto it = names.find(s);
  if (it != names.end()) return it->second;
  std::string u = s;
  for (auto& c : u) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (auto t = domain::doc_type_from_code(u)) return *t;
  throw UsageError(fmt::format("unknown document type \"{}\" (quote, order, delivery-note, invoice, credit-note, "
                               "purchase-invoice)",
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

std::string doc_json(const store::DocView& v, bool lines) {
  const auto& d = v.doc;
  std::string s = fmt::format(
      "{{\"id\":{},\"type\":{},\"fiscal_year\":{},\"number\":{},\"label\":{},\"status\":{},\"party\":{},"
      "\"party_name\":{},\"date\":{},\"due_date\":{},\"reference\":{},\"customer_reference\":{},\"source\":{},"
      "\"source_label\":{},\"total_excl_vat\":{},\"total_vat\":{},\"total_incl_vat\":{},\"user\":{},\"workstation\":{}",
      d.id, json_string(type_name(d.type)), d.year, d.number ? std::to_string(d.number) : "null", json_string(v.label),
      json_string(status_name(d.status)), json_string(v.party_code), json_string(v.party_name),
      json_string(date_text(d.date)), d.due_date ? json_string(date_text(d.due_date)) : "null", json_string(d.ogm),
      json_string(d.customer_ref), d.source ? std::to_string(d.source) : "null", json_string(v.source_label),
      json_decimal(d.total_excl, 2), json_decimal(d.total_vat, 2), json_decimal(d.total_incl, 2), json_string(d.user),
      json_string(d.workstation));
  if (lines) {
    s += ",\"lines\":[";
    for (size_t i = 0; i < v.lines.size(); ++i) {
      const auto& l = v.lines[i].line;
      s += fmt::format(
          "{}{{\"line\":{},\"article\":{},\"text\":{},\"quantity\":{},\"price\":{},\"discount\":{},"
          "\"vat_category\":{},\"vat_rate\":{},\"net\":{}}}",
          i ? "," : "", l.lineno, json_string(v.lines[i].article_code), json_string(l.description),
          json_decimal(l.quantity), json_decimal(l.price), json_decimal(l.discount), json_string(l.vat_category),
          json_decimal(l.vat_rate), json_decimal(l.net, 2));
    }
    s += "]";
  }
  return s + "}";
}

void print_doc(const store::DocView& v) {
  const auto& d = v.doc;
  std::cout << fmt::format("{} [{}] id {}  {}  {} {}  {}\n", v.label, status_name(d.status), d.id, type_name(d.type),
                           v.party_code, v.party_name, date_text(d.date));
  if (d.due_date) std::cout << "  due " << date_text(d.due_date) << "\n";
  if (!d.ogm.empty()) std::cout << "  payment reference " << d.ogm << "\n";
  if (!v.source_label.empty()) std::cout << "  made from " << v.source_label << "\n";
  for (const auto& lv : v.lines) {
    const auto& l = lv.line;
    std::cout << fmt::format("  {:>3} {:<10} {:<34} {:>9} x {:>10}  -{:>5}%  {:>2} {:>5}%  {:>12}\n", l.lineno,
                             lv.article_code, l.description.substr(0, 34), l.quantity.to_string(), l.price.to_string(),
                             l.discount.to_string(), l.vat_category, l.vat_rate.to_string(), l.net.to_string(2));
  }
  std::cout << fmt::format("  total excl. VAT {:>12}   VAT {:>12}   total {:>12}\n", d.total_excl.to_string(2),
                           d.total_vat.to_string(2), d.total_incl.to_string(2));
}

std::optional<xbase::Date> parse_date(const Args& a, const std::string& name) {
  if (!a.options.count(name)) return std::nullopt;
  const std::string s = a.get(name);
  xbase::Date d;
  char end = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &end) != 3 || s.size() != 10 ||
      !xbase::valid_date(d))
    throw UsageError(fmt::format("--{} \"{}\" is not a date (YYYY-MM-DD)", name, s));
  return d;
}

}  // namespace

int cmd_doc(int argc, char** argv) {
  const char* usage = "usage: invoicing doc new|add-line|finalize|convert|cancel|show|list|pdf|ubl ...";
  if (argc < 3) throw UsageError(usage);
  std::string sub = argv[2];
  if (sub == "pdf" || sub == "ubl") return cmd_doc_output(argc, argv);
  Args a = parse(argc, argv, 3,
                 {"type", "party", "date", "article", "text", "qty", "price", "disc", "vat-rate", "vat-cat", "to", "year"},
                 {"finalize"});
  auto id_arg = [&]() {
    if (a.positional.size() != 1) throw UsageError(fmt::format("usage: invoicing doc {} ID", sub));
    const std::string& s = a.positional[0];
    size_t used = 0;
    long v = 0;
    try {
      v = std::stol(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || v <= 0 || v > INT32_MAX)
      throw UsageError(fmt::format("\"{}\" is not a document id (a whole number)", s));
    return int32_t(v);
  };
  if (sub == "new" || sub == "list") {
    if (!a.positional.empty()) throw UsageError(fmt::format("unexpected \"{}\" ({})", a.positional[0], usage));
  }
  auto c = open_company(a);
  store::Documents docs(*c);
  const bool json = a.has("json");
  if (sub == "new") {
    if (a.get("type").empty() || a.get("party").empty())
      throw UsageError("usage: invoicing doc new --type TYPE --party CODE [--date YYYY-MM-DD]");
    int32_t id = docs.create(parse_type(a.get("type")), a.get("party"), parse_date(a, "date"));
    auto v = docs.show(id);
    if (json) std::cout << doc_json(v, false) << "\n";
    else std::cout << "created " << v.label << " as document " << id << "\n";
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
    l.vat_category = a.get("vat-cat");
    for (auto& ch : l.vat_category) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    const int32_t id = id_arg();
    docs.add_line(id, l);
    auto v = docs.show(id);
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
    const int32_t id = id_arg();
    auto v = patiently([&] { return docs.finalize(id); });
    if (json) std::cout << doc_json(v, false) << "\n";
    else std::cout << "finalized " << v.label << ", total " << v.doc.total_incl.to_string(2) << "\n";
    return write_finalized_pdf(*c, id, json) ? 0 : 1;
  }
  if (sub == "convert") {
    if (a.get("to").empty()) throw UsageError("usage: invoicing doc convert ID --to TYPE [--finalize]");
    const int32_t from = id_arg();
    int32_t id = patiently([&] { return docs.convert(from, parse_type(a.get("to")), a.has("finalize")); });
    auto v = docs.show(id);
    if (json) std::cout << doc_json(v, false) << "\n";
    else std::cout << "made " << v.label << " (document " << id << ") from " << v.source_label << "\n";
    return !a.has("finalize") || write_finalized_pdf(*c, id, json) ? 0 : 1;
  }
  if (sub == "cancel") {
    const int32_t id = id_arg();
    docs.cancel(id);
    std::cout << "cancelled document " << id << "\n";
    return 0;
  }
  if (sub == "show") {
    auto v = docs.show(id_arg());
    if (json) std::cout << doc_json(v, true) << "\n";
    else print_doc(v);
    return 0;
  }
  if (sub == "list") {
    store::DocFilter f;
    if (a.options.count("type")) f.type = parse_type(a.get("type"));
    f.year = a.get_int("year", 0);
    auto list = docs.list(f);
    if (json) {
      std::cout << "[";
      for (size_t i = 0; i < list.size(); ++i) std::cout << (i ? "," : "") << doc_json(list[i], false);
      std::cout << "]\n";
    } else {
      for (const auto& v : list)
        std::cout << fmt::format("{:>6}  {:<18} {:<10} {:<9} {:<10} {:<30} {:>12}\n", v.doc.id, v.label,
                                 date_text(v.doc.date), status_name(v.doc.status), v.party_code,
                                 v.party_name.substr(0, 30), v.doc.total_incl.to_string(2));
    }
    return 0;
  }
  throw UsageError(usage);
}

}  // namespace invoicing::cli

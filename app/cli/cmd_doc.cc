// invoicing doc new|add-line|edit-line|remove-line|set|delete|finalize|convert|credit|cancel|
// withdraw|show|list.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "cli.h"
#include "doc_print.h"
#include "domain/document_flow.h"
#include "store/documents.h"
#include "store/settings.h"

using invoicing::domain::DocType;

namespace invoicing::cli {

namespace {

const char* kDocUsage = R"(usage: invoicing doc COMMAND ...
  new --type TYPE --party CODE [--date YYYY-MM-DD]
  add-line ID [--article CODE] [--text T] [--qty Q] [--price P] [--disc PCT] [--vat-rate R]
              [--vat-cat S|Z|E|AE|K|G [--vat-reason TEXT]] [--kind G|S]
  edit-line ID LINE [the same options; --article "" makes it a free-text line, --vat-cat auto drops an override]
  remove-line ID LINE
  set ID [--party CODE] [--date YYYY-MM-DD] [--ref CUSTOMER-REF] [--note TEXT]
  delete ID | cancel ID | withdraw ID
  finalize ID [--redate]
  convert ID --to TYPE [--finalize] [--date D] [--redate]
  credit INVOICE-ID [--lines 1,3 | --line N --qty Q | --amount A [--line N]] [--finalize] [--date D] [--redate]
  pdf ID [--out FILE|-] [--lang nl|fr|en] | ubl ID [--out FILE|-]
  show ID [--lang nl|fr|en] | list [--type T] [--status S] [--customer C] [--year Y] [--from D] [--to D]
       [--number-from N] [--number-to N] [--open] [--overdue]
TYPE: quote, order, delivery-note, invoice, credit-note, purchase-invoice)";

std::optional<std::string> opt(const Args& a, const std::string& name) {
  if (!a.options.count(name)) return std::nullopt;
  return a.get(name);
}

std::string upper(std::string s) {
  for (auto& ch : s) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

domain::DocStatus parse_status(const std::string& s) {
  for (auto st : {domain::DocStatus::draft, domain::DocStatus::final, domain::DocStatus::cancelled,
                  domain::DocStatus::withdrawn})
    if (s == domain::doc_status_name(st)) return st;
  throw UsageError(fmt::format("--status is draft, final, cancelled or withdrawn, not \"{}\"", s));
}

std::vector<int> line_list(const std::string& s) {
  std::vector<int> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    out.push_back(int(id_of(s.substr(i, j - i), "a line number")));
    i = j + 1;
  }
  return out;
}

// On a terminal, a numbering held too long by another workstation is the user's call: wait
// again or give up (elsewhere the error stands).
template <class Fn>
auto patiently(Fn&& fn) {
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
}

}  // namespace

int cmd_doc(int argc, char** argv) {
  if (argc < 3) throw UsageError(kDocUsage);
  const std::string sub = argv[2];
  if (sub == "pdf" || sub == "ubl") return cmd_doc_output(argc, argv);
  Args a = parse(argc, argv, 3,
                 {"type", "party", "date", "article", "text", "qty", "price", "disc", "vat-rate", "vat-cat",
                  "vat-reason", "kind", "to", "year", "status", "customer", "from", "number-from", "number-to",
                  "lines", "line", "amount", "ref", "note", "lang"},
                 {"finalize", "redate", "open", "overdue"});
  const size_t want = sub == "new" || sub == "list" ? 0 : sub == "edit-line" || sub == "remove-line" ? 2 : 1;
  // The options each subcommand takes: the parse above accepts the union of them all.
  static const std::set<std::string> line_options = {"article", "text", "qty",     "price",      "disc",
                                                     "vat-rate", "vat-cat", "vat-reason", "kind"};
  static const std::map<std::string, std::set<std::string>> options_of = {
      {"new", {"type", "party", "date"}},
      {"add-line", line_options},
      {"edit-line", line_options},
      {"remove-line", {}},
      {"set", {"party", "date", "ref", "note"}},
      {"delete", {}},
      {"cancel", {}},
      {"withdraw", {}},
      {"finalize", {"redate", "date"}},
      {"convert", {"to", "finalize", "date", "redate"}},
      {"credit", {"lines", "line", "qty", "amount", "finalize", "date", "redate"}},
      {"show", {"lang"}},
      {"list", {"type", "status", "customer", "party", "year", "from", "to", "number-from", "number-to", "open",
                "overdue"}}};
  auto known = options_of.find(sub);
  if (known == options_of.end())
    throw UsageError(fmt::format("unknown subcommand \"{}\"\n{}", sub, kDocUsage));
  if (a.positional.size() != want)
    throw UsageError(a.positional.size() > want ? fmt::format("{}\n{}", unexpected(a.positional[want]), kDocUsage)
                                                : std::string(kDocUsage));
  only_options(a, "doc " + sub, known->second);
  auto id = [&] { return id_of(a.positional[0], "a document id"); };
  auto c = open_company(a);
  store::Documents docs(*c);
  const bool json = a.has("json");
  auto out = [&](const store::DocView& v, const std::string& said) {
    if (json) {
      std::cout << doc_json(v, !v.lines.empty()) << "\n";
    } else {
      print_warnings(v);
      std::cout << said << "\n";
    }
    return 0;
  };
  store::FinalizeOptions fo;
  fo.finalize = a.has("finalize");
  fo.redate = a.has("redate");
  fo.date = date_option(a, "date");
  // An action that ends the command (no PDF written after it): its commit leaves its locks to
  // the closes of the files, which drop them in the same call (Storage::leave_locks_to_close),
  // and the company is closed before anything is printed, so no colleague waits on this
  // program's output.
  auto ends_command = [&](bool finalizes) {
    const bool last = !(finalizes && finalized_pdf_due(*c));
    if (last) c->storage().leave_locks_to_close();
    return last;
  };

  if (sub == "new") {
    if (a.get("type").empty() || a.get("party").empty())
      throw UsageError("usage: invoicing doc new --type TYPE --party CODE [--date YYYY-MM-DD]");
    int32_t doc = docs.create(parse_doc_type(a.get("type")), a.get("party"), fo.date);
    auto v = docs.show(doc);
    return out(v, fmt::format("created {}", v.label));
  }
  if (sub == "add-line" || sub == "edit-line") {
    store::LineChange ch;
    ch.article = opt(a, "article");
    ch.text = opt(a, "text");
    ch.quantity = opt(a, "qty");
    ch.price = opt(a, "price");
    ch.discount = opt(a, "disc");
    ch.vat_rate = opt(a, "vat-rate");
    if (auto cat = opt(a, "vat-cat")) ch.vat_category = *cat == "auto" ? *cat : upper(*cat);
    ch.vat_reason = opt(a, "vat-reason");
    if (auto k = opt(a, "kind")) ch.kind = upper(*k);
    store::DocView v;
    if (sub == "add-line") {
      store::LineSpec l;
      l.article = ch.article.value_or("");
      l.text = ch.text.value_or("");
      l.quantity = ch.quantity.value_or("1");
      l.price = ch.price.value_or("");
      l.discount = ch.discount.value_or("0");
      l.vat_rate = ch.vat_rate.value_or("");
      l.vat_category = ch.vat_category.value_or("");
      l.vat_reason = ch.vat_reason.value_or("");
      l.kind = ch.kind.value_or("");
      v = docs.add_line(id(), l);
    } else {
      v = docs.edit_line(id(), int(id_of(a.positional[1], "a line number")), ch);
    }
    if (json) return out(v, "");
    print_warnings(v);
    print_document(v, store::read_company_profile(*c), "en");
    return 0;
  }
  if (sub == "remove-line") {
    auto v = docs.remove_line(id(), int(id_of(a.positional[1], "a line number")));
    if (json) return out(v, "");
    print_document(v, store::read_company_profile(*c), "en");
    return 0;
  }
  if (sub == "set") {
    store::DraftChange ch;
    ch.party = opt(a, "party");
    ch.date = fo.date;
    ch.customer_ref = opt(a, "ref");
    ch.note = opt(a, "note");
    auto v = docs.change(id(), ch);
    return out(v, fmt::format("{} changed", v.label));
  }
  if (sub == "delete") {
    const int32_t doc = id();
    docs.remove(doc);
    std::cout << (json ? fmt::format("{{\"deleted\":{}}}", doc) : fmt::format("deleted document {}", doc)) << "\n";
    return 0;
  }
  if (sub == "cancel") {
    const int32_t doc = id();
    docs.cancel(doc);
    std::cout << (json ? fmt::format("{{\"cancelled\":{}}}", doc) : fmt::format("cancelled document {}", doc)) << "\n";
    return 0;
  }
  if (sub == "withdraw") {
    auto v = docs.withdraw(id());
    return out(v, fmt::format("withdrew {}", v.label));
  }
  if (sub == "finalize") {
    const int32_t doc = id();
    const bool last = ends_command(true);
    auto v = patiently([&] { return docs.finalize(doc, fo); });
    if (last) c.reset();
    out(v, fmt::format("finalized {}, dated {}, total {}", v.label, date_text(v.doc.date), v.doc.total_incl.to_string(2)));
    return last || write_finalized_pdf(*c, v.doc.id, json) ? 0 : 1;
  }
  if (sub == "convert") {
    if (a.get("to").empty()) throw UsageError("usage: invoicing doc convert ID --to TYPE [--finalize] [--date D] [--redate]");
    const int32_t from = id();
    const DocType to = parse_doc_type(a.get("to"));
    const bool last = ends_command(fo.finalize);
    auto v = patiently([&] { return docs.convert(from, to, fo); });
    if (last) c.reset();
    out(v, fmt::format("made {} from {}", v.label, v.source_label));
    return last || write_finalized_pdf(*c, v.doc.id, json) ? 0 : 1;
  }
  if (sub == "credit") {
    store::CreditSpec spec;
    const int given = int(a.options.count("lines")) + int(a.options.count("qty")) + int(a.options.count("amount"));
    if (given > 1) throw UsageError("credit takes one of --lines 1,3 / --line N --qty Q / --amount A [--line N]");
    if (a.options.count("lines")) {
      spec.mode = store::CreditSpec::Mode::lines;
      spec.lines = line_list(a.get("lines"));
    } else if (a.options.count("qty")) {
      if (!a.options.count("line")) throw UsageError("--qty credits part of one line: give --line N too");
      spec.mode = store::CreditSpec::Mode::line_quantity;
      spec.quantity = a.get("qty");
    } else if (a.options.count("amount")) {
      spec.mode = store::CreditSpec::Mode::amount;
      spec.amount = a.get("amount");
    } else if (a.options.count("line")) {
      spec.mode = store::CreditSpec::Mode::lines;
      spec.lines = {int(id_of(a.get("line"), "a line number"))};
    }
    if (a.options.count("line")) spec.line = int(id_of(a.get("line"), "a line number"));
    const int32_t inv = id();
    const bool last = ends_command(fo.finalize);
    auto v = patiently([&] { return docs.credit(inv, spec, fo); });
    if (last) c.reset();
    out(v, fmt::format("made {} for {}, total {}", v.label, v.source_label, v.doc.total_incl.to_string(2)));
    return last || write_finalized_pdf(*c, v.doc.id, json) ? 0 : 1;
  }
  if (sub == "show") {
    const int32_t doc = id();
    const std::string asked = a.options.count("lang") ? store::Documents::its_language(a.get("lang")) : "";
    const auto v = asked.empty() ? docs.show_in_party_language(doc) : docs.show(doc, asked);
    const std::string lang = asked.empty() ? store::Documents::its_language(v.party.lang) : asked;
    if (json) std::cout << doc_json(v, true, lang) << "\n";
    else print_document(v, store::read_company_profile(*c), lang);
    return 0;
  }
  // list
  store::DocFilter f;
  if (a.options.count("type")) f.type = parse_doc_type(a.get("type"));
  if (a.options.count("status")) f.status = parse_status(a.get("status"));
  f.party = a.get("customer", a.get("party"));
  if (a.options.count("year")) f.year = id_of(a.get("year"), "a year");
  f.from = date_option(a, "from");
  f.to = date_option(a, "to");
  if (a.options.count("number-from")) f.number_from = id_of(a.get("number-from"), "a number");
  if (a.options.count("number-to")) f.number_to = id_of(a.get("number-to"), "a number");
  f.open = a.has("open");
  f.overdue = a.has("overdue");
  auto list = docs.list(f);
  if (json) {
    std::cout << "[";
    for (size_t i = 0; i < list.size(); ++i) std::cout << (i ? "," : "") << doc_json(list[i], false);
    std::cout << "]\n";
  } else {
    for (const auto& v : list) print_list_row(v);
  }
  return 0;
}

}  // namespace invoicing::cli

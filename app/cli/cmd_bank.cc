// invoicing bank import FILE [--dry-run]: a CODA or camt.053 statement into payments.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "store/bank_import.h"

namespace invoicing::cli {

namespace {

std::string outcome_json(const store::BankLineOutcome& o) {
  return fmt::format(
      "{{\"where\":{},\"booked\":{},\"amount\":{},\"counterparty\":{},\"invoice\":{},\"customer\":{},\"by\":{},"
      "\"paid\":{},\"on_account\":{},\"why\":{}}}",
      json_string(o.where), json_string(o.booked), json_decimal(o.amount, 2), json_string(o.counterparty),
      json_string(o.invoice), json_string(o.customer), json_string(o.by), json_decimal(o.paid, 2),
      json_decimal(o.surplus, 2), json_string(o.why));
}

}  // namespace

int cmd_bank(int argc, char** argv) {
  const char* usage = "usage: invoicing bank import FILE [--dry-run]   (CODA or camt.053)";
  if (argc < 3 || std::string(argv[2]) != "import") throw UsageError(usage);
  Args a = parse(argc, argv, 3, {}, {"dry-run"});
  if (a.positional.size() != 1) throw UsageError(usage);
  const std::string file = a.positional[0];
  std::ifstream in(path_from_utf8(file), std::ios::binary);
  if (!in) throw store::UserError(fmt::format("cannot read {}", file));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto c = open_company(a);
  auto r = store::import_bank_statement(*c, bytes.str(), file, a.has("dry-run"));
  if (a.has("json")) {
    auto list = [](const std::vector<store::BankLineOutcome>& v) {
      std::string s = "[";
      for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + outcome_json(v[i]);
      return s + "]";
    };
    std::cout << fmt::format(
        "{{\"format\":{},\"statements\":{},\"lines\":{},\"recorded\":{},\"matched\":{},\"unmatched\":{},"
        "\"imported_before\":{}}}\n",
        json_string(r.format), r.statements, r.lines, r.recorded ? "true" : "false", list(r.matched),
        list(r.unmatched), list(r.already));
    return 0;
  }
  std::cout << fmt::format("{}: {} ({} statement{}, {} line{}){}\n", file, r.format, r.statements,
                           r.statements == 1 ? "" : "s", r.lines, r.lines == 1 ? "" : "s",
                           r.recorded ? "" : " - dry run, nothing recorded");
  for (const auto& o : r.matched)
    std::cout << fmt::format("  paid     {:<24} {:>10} {} by {} ({}, {}){}\n", o.invoice, o.paid.to_string(2),
                             o.customer, o.by, o.where, o.booked,
                             o.surplus.sign() > 0 ? fmt::format("; {} on account", o.surplus.to_string(2)) : "");
  for (const auto& o : r.unmatched)
    std::cout << fmt::format("  unmatched {:>10} {:<24} ({}, {}): {}\n", o.amount.to_string(2), o.counterparty, o.where,
                             o.booked, o.why);
  if (!r.already.empty())
    std::cout << fmt::format("  {} line{} imported before: nothing changed for {}\n", r.already.size(),
                             r.already.size() == 1 ? " was" : "s were", r.already.size() == 1 ? "it" : "them");
  std::cout << fmt::format("{} matched, {} unmatched, {} imported before\n", r.matched.size(), r.unmatched.size(),
                           r.already.size());
  return 0;
}

}  // namespace invoicing::cli

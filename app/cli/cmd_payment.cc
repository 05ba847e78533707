// invoicing payment add|list|delete, invoicing open-items, invoicing reminders.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "domain/document_label.h"
#include "store/clock.h"
#include "store/dates.h"
#include "store/payments.h"

namespace invoicing::cli {

namespace {

std::string payment_json(const store::PaymentView& v) {
  const auto& p = v.payment;
  return fmt::format(
      "{{\"id\":{},\"doc\":{},\"doc_label\":{},\"customer\":{},\"date\":{},\"amount\":{},\"method\":{},"
      "\"reference\":{},\"bank_line\":{},\"user\":{}}}",
      p.id, p.doc ? std::to_string(p.doc) : "null", json_string(v.doc_label), json_string(v.party_code),
      json_string(date_text(p.date)), json_decimal(p.amount, 2), json_string(p.method), json_string(p.reference),
      json_string(p.bank_ref), json_string(p.user));
}

std::string ageing_json(const domain::Ageing& a) {
  return fmt::format(
      "{{\"not_due\":{},\"days_1_30\":{},\"days_31_60\":{},\"days_61_90\":{},\"over_90\":{},\"credit\":{},"
      "\"balance\":{}}}",
      json_decimal(a.not_due, 2), json_decimal(a.days_1_30, 2), json_decimal(a.days_31_60, 2),
      json_decimal(a.days_61_90, 2), json_decimal(a.over_90, 2), json_decimal(a.credit, 2),
      json_decimal(a.balance(), 2));
}

void print_ageing(const std::string& who, const domain::Ageing& a) {
  std::cout << fmt::format("  {:<12} not due {:>10}  1-30 {:>10}  31-60 {:>10}  61-90 {:>10}  >90 {:>10}  credit {:>10}  "
                           "balance {:>11}\n",
                           who, a.not_due.to_string(2), a.days_1_30.to_string(2), a.days_31_60.to_string(2),
                           a.days_61_90.to_string(2), a.over_90.to_string(2), a.credit.to_string(2),
                           a.balance().to_string(2));
}

}  // namespace

int cmd_payment(int argc, char** argv) {
  const char* usage =
      "usage: invoicing payment add DOC --amount A [--date YYYY-MM-DD] [--method transfer|cash|card|debit|other] "
      "[--ref TEXT] [--note TEXT]\n"
      "       invoicing payment list [--doc ID]\n"
      "       invoicing payment delete ID";
  if (argc < 3) throw UsageError(usage);
  const std::string sub = argv[2];
  Args a = parse(argc, argv, 3, {"amount", "date", "method", "ref", "note", "doc"}, {});
  if (sub == "add") only_options(a, "payment add", {"amount", "date", "method", "ref", "note"});
  else if (sub == "list") only_options(a, "payment list", {"doc"});
  else if (sub == "delete") only_options(a, "payment delete", {});
  else throw UsageError(fmt::format("unknown subcommand \"{}\"\n{}", sub, usage));
  if (a.positional.size() > (sub == "list" ? 0u : 1u))
    throw UsageError(fmt::format("{}\n{}", unexpected(a.positional[sub == "list" ? 0 : 1]), usage));
  auto c = open_company(a);
  store::Payments payments(*c);
  const bool json = a.has("json");
  if (sub == "add") {
    if (a.positional.size() != 1 || a.get("amount").empty()) throw UsageError(usage);
    store::PaymentInput in;
    in.doc = id_of(a.positional[0], "a document id");
    in.amount = a.get("amount");
    in.date = date_option(a, "date");
    in.method = a.get("method", "transfer");
    in.reference = a.get("ref");
    in.note = a.get("note");
    auto p = payments.add(in);
    auto list = payments.list(p.doc);
    for (const auto& v : list)
      if (v.payment.id == p.id) {
        if (json) std::cout << payment_json(v) << "\n";
        else std::cout << fmt::format("payment {}: {} for {} on {}\n", p.id, p.amount.to_string(2), v.doc_label, date_text(p.date));
      }
    return 0;
  }
  if (sub == "list") {
    if (!a.positional.empty()) throw UsageError(usage);
    std::optional<int32_t> doc;
    if (a.options.count("doc")) doc = id_of(a.get("doc"), "a document id");
    auto list = payments.list(doc);
    if (json) std::cout << "[";
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& v = list[i];
      if (json) std::cout << (i ? "," : "") << payment_json(v);
      else
        std::cout << fmt::format("{:>5}  {:<10} {:>12}  {:<24} {:<10} {:<8} {}\n", v.payment.id, date_text(v.payment.date),
                                 v.payment.amount.to_string(2), v.doc_label.empty() ? "on account" : v.doc_label,
                                 v.party_code, v.payment.method, v.payment.reference);
    }
    if (json) std::cout << "]\n";
    return 0;
  }
  if (sub == "delete") {
    if (a.positional.size() != 1) throw UsageError(usage);
    const int32_t id = id_of(a.positional[0], "a payment id");
    payments.remove(id);
    std::cout << (json ? fmt::format("{{\"deleted\":{}}}", id) : fmt::format("deleted payment {}", id)) << "\n";
    return 0;
  }
  throw UsageError(usage);
}

int cmd_open_items(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"customer", "as-of"}, {});
  if (!a.positional.empty()) throw UsageError("usage: invoicing open-items [--customer CODE] [--as-of YYYY-MM-DD]");
  auto c = open_company(a);
  const xbase::Date as_of = date_option(a, "as-of").value_or(store::today());
  store::Payments payments(*c);
  auto items = payments.open_items(as_of, a.get("customer"));
  auto total = domain::total_ageing(items);
  if (a.has("json")) {
    std::cout << fmt::format("{{\"as_of\":{},\"customers\":[", json_string(date_text(as_of)));
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& ci = items[i];
      std::cout << fmt::format("{}{{\"customer\":{},\"ageing\":{},\"items\":[", i ? "," : "", json_string(ci.customer),
                               ageing_json(ci.ageing));
      for (size_t k = 0; k < ci.items.size(); ++k) {
        const auto& s = ci.items[k];
        std::cout << fmt::format(
            "{}{{\"id\":{},\"label\":{},\"date\":{},\"due\":{},\"total\":{},\"credited\":{},\"paid\":{},\"open\":{},"
            "\"status\":{},\"days_overdue\":{}}}",
            k ? "," : "", s.doc.id, json_string(domain::document_label(s.doc)), json_string(domain::to_iso(s.date)),
            json_string(domain::to_iso(s.due)), json_decimal(s.total, 2), json_decimal(s.credited, 2),
            json_decimal(s.paid, 2), json_decimal(s.open, 2), json_string(domain::invoice_status_name(s.status)),
            s.days_overdue);
      }
      std::cout << "]}";
    }
    std::cout << fmt::format("],\"total\":{}}}\n", ageing_json(total));
    return 0;
  }
  std::cout << "open items as of " << date_text(as_of) << "\n";
  for (const auto& ci : items) {
    std::cout << ci.customer << "\n";
    for (const auto& s : ci.items)
      std::cout << fmt::format("    {:<22} {}  due {}  total {:>10}  open {:>10}  {}{}\n", domain::document_label(s.doc),
                               domain::to_iso(s.date), domain::to_iso(s.due), s.total.to_string(2), s.open.to_string(2),
                               domain::invoice_status_name(s.status),
                               s.days_overdue ? fmt::format(" ({} days)", s.days_overdue) : "");
    print_ageing("", ci.ageing);
  }
  print_ageing("total", total);
  return 0;
}

int cmd_reminders(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"as-of"}, {"record"});
  if (!a.positional.empty()) throw UsageError("usage: invoicing reminders [--as-of YYYY-MM-DD] [--record]");
  auto c = open_company(a);
  const xbase::Date as_of = date_option(a, "as-of").value_or(store::today());
  store::Payments payments(*c);
  auto list = a.has("record") ? payments.record_reminders(as_of) : payments.reminders(as_of);
  if (a.has("json")) {
    std::cout << "[";
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& r = list[i];
      std::cout << fmt::format(
          "{}{{\"customer\":{},\"name\":{},\"invoice\":{},\"label\":{},\"due\":{},\"open\":{},\"level\":{},"
          "\"level_name\":{},\"due_since\":{},\"recorded\":{}}}",
          i ? "," : "", json_string(r.due.customer), json_string(r.party_name), r.due.invoice.doc.id,
          json_string(r.label), json_string(domain::to_iso(r.due.invoice.due)), json_decimal(r.due.invoice.open, 2),
          r.due.level, json_string(domain::reminder_level_name(r.due.level, r.lang)),
          json_string(domain::to_iso(r.due.due_since)), a.has("record") ? "true" : "false");
    }
    std::cout << "]\n";
    return 0;
  }
  std::string customer;
  for (const auto& r : list) {
    if (r.due.customer != customer) {
      customer = r.due.customer;
      std::cout << fmt::format("{} {}\n", r.due.customer, r.party_name);
    }
    std::cout << fmt::format("    {:<22} due {}  open {:>10}  {} (due since {})\n", r.label,
                             domain::to_iso(r.due.invoice.due), r.due.invoice.open.to_string(2),
                             domain::reminder_level_name(r.due.level, r.lang), domain::to_iso(r.due.due_since));
  }
  std::cout << fmt::format("{} reminder{} {}\n", list.size(), list.size() == 1 ? "" : "s",
                           a.has("record") ? "recorded as sent on " + date_text(as_of) : "due as of " + date_text(as_of));
  return 0;
}

}  // namespace invoicing::cli

// invoicing numbering / seats / verify / repair-indexes / migrate: the state of the shared data,
// and moving it between a data folder and a PostgreSQL database.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "store/audit.h"
#include "store/open_amounts.h"
#include "store/documents.h"
#include "store/migration.h"
#include "store/numbering.h"

namespace invoicing::cli {

int cmd_numbering(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"wait"}, {});
  auto c = open_company(a);
  store::Numbering numbering(*c);
  if (!a.positional.empty()) {
    auto mode = a.positional.size() == 2 && a.positional[0] == "mode" ? domain::numbering_mode_from_name(a.positional[1])
                                                                       : std::nullopt;
    if (!mode) throw UsageError("usage: invoicing numbering mode serialized|multiuser [--wait SECONDS]");
    std::optional<int> wait;
    if (a.options.count("wait")) wait = a.get_int("wait", 60);
    numbering.set_mode(*mode, wait);
    std::cout << "numbering: " << domain::numbering_mode_name(*mode) << "\n";
    return 0;
  }
  const std::string mode = domain::numbering_mode_name(numbering.mode());
  const auto wait = numbering.wait().count();
  const auto series = numbering.list();
  if (a.has("json")) {
    std::cout << fmt::format("{{\"mode\":{},\"wait_s\":{},\"counters\":[", json_string(mode), wait);
    for (size_t i = 0; i < series.size(); ++i)
      std::cout << fmt::format("{}{{\"type\":{},\"fiscal_year\":{},\"next\":{},\"free\":{}}}", i ? "," : "",
                               json_string(domain::doc_type_code(series[i].type)), series[i].year,
                               series[i].counter.next, json_string(domain::format_free_list(series[i].counter.free)));
    std::cout << "]}\n";
    return 0;
  }
  std::cout << "numbering: " << mode << " (waits up to " << wait << " s)\n";
  for (const auto& s : series) {
    std::string free = domain::format_free_list(s.counter.free);
    std::cout << fmt::format("  {}: next {}{}\n", store::series_name(s.type, s.year), s.counter.next,
                             free.empty() ? "" : ", to hand out again: " + free);
  }
  return 0;
}

int cmd_seats(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  auto c = open_company(a, false);
  auto holders = c->seat_holders();
  const int n = c->seats();
  auto text = [](const store::SeatHolder& h) {
    return fmt::format("seat {}: {}{}", h.slot, store::describe(h.who), h.busy.empty() ? "" : " (" + h.busy + ")");
  };
  if (a.has("json")) {
    std::cout << fmt::format("{{\"edition\":{},\"seats\":{},\"in_use\":[", json_string(domain::edition_name(c->edition())), n);
    for (size_t i = 0; i < holders.size(); ++i) std::cout << (i ? "," : "") << json_string(text(holders[i]));
    std::cout << "]}\n";
    return 0;
  }
  std::cout << fmt::format("{} edition: {} seat{}, {} in use\n", domain::edition_name(c->edition()), n, n == 1 ? "" : "s",
                           holders.size());
  for (const auto& h : holders) std::cout << "  " << text(h) << "\n";
  return 0;
}

// invoicing audit: who finalized, converted, paid, corrected, restored what, and when.
int cmd_audit(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"doc", "user", "action", "from", "to", "last"}, {"all"});
  if (!a.positional.empty())
    throw UsageError(fmt::format("{}\nusage: invoicing audit [--doc ID] [--user NAME] [--action A] [--from D] [--to D] "
                                 "[--last N | --all]",
                                 unexpected(a.positional[0])));
  store::AuditFilter f;
  if (a.options.count("doc")) f.doc = id_of(a.get("doc"), "a document id");
  f.user = a.get("user");
  f.action = a.get("action");
  f.from = date_option(a, "from");
  f.to = date_option(a, "to");
  if (a.has("all")) f.last = 0;
  else if (a.options.count("last")) f.last = size_t(std::max(1, a.get_int("last", 50)));
  auto c = open_company(a, false);
  const auto entries = store::audit_log(*c, f);
  if (a.has("json")) {
    std::cout << "[";
    for (size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      std::cout << (i ? "," : "")
                << fmt::format("{{\"id\":{},\"when\":{},\"user\":{},\"workstation\":{},\"action\":{},\"doc\":{},\"text\":{}}}",
                               e.id, json_string(e.when), json_string(e.user), json_string(e.workstation),
                               json_string(e.action), e.doc ? std::to_string(e.doc) : "null", json_string(e.text));
    }
    std::cout << "]\n";
    return 0;
  }
  for (const auto& e : entries)
    std::cout << fmt::format("{}  {:<22} {:<10} {}{}\n", e.when, store::describe({e.user, e.workstation}), e.action,
                             e.doc ? fmt::format("[doc {}] ", e.doc) : "", e.text);
  if (entries.empty()) std::cout << "no audit entries\n";
  return 0;
}

int cmd_verify(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {"fix"});
  // --fix: what verify finds and the data itself says how to correct: the open amounts kept
  // on invoices (derived from their payments and credit notes) are computed again, one action.
  const bool fix = a.has("fix");
  auto c = open_company(a, fix);
  if (fix) {
    const size_t fixed = store::refresh_open_amounts(c->storage());
    std::cout << fmt::format("{} stored open amount{} corrected\n", fixed, fixed == 1 ? "" : "s");
  }
  auto problems = store::verify(*c);
  for (const auto& p : problems) std::cout << "problem: " << p << "\n";
  std::cout << (problems.empty()
                    ? "ok: numbers gap-free, stock equals its moves, totals equal their lines, every table and index checks\n"
                    : fmt::format("{} problems\n", problems.size()));
  return problems.empty() ? 0 : 1;
}

int cmd_repair_indexes(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  auto built = store::Company::rebuild_indexes(path_from_utf8(data_dir(a)));
  for (const auto& b : built) std::cout << "rebuilt " << b << "\n";
  std::cout << (built.empty() ? "every index is as the data dictionary declares it\n"
                              : fmt::format("{} indexes rebuilt\n", built.size()));
  return 0;
}

int cmd_migrate(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"to", "from"}, {});
  only_options(a, "migrate", {"to", "from"});
  const bool to_db = a.options.count("to"), from_db = a.options.count("from");
  if (to_db == from_db || !a.options.count("data") || !a.positional.empty())
    throw UsageError("usage: invoicing migrate --data DIR --to postgresql://... | invoicing migrate --from "
                     "postgresql://... --data DIR");
  const std::string db = a.get(to_db ? "to" : "from"), dir = a.get("data");
  if (!store::is_database(db))
    throw UsageError(fmt::format("--{} takes a PostgreSQL target such as postgresql://user@host/dbname, not \"{}\"",
                                 to_db ? "to" : "from", db));
  if (store::is_database(dir)) throw UsageError("--data takes the data folder's path");
  auto rep = to_db ? store::migrate_to_database(path_from_utf8(dir), db, identity(a)) : store::migrate_to_folder(db, path_from_utf8(dir), identity(a));
  for (const auto& [table, n] : rep.records) std::cout << fmt::format("  {:<10} {:>8} records\n", table, n);
  for (const auto& t : rep.totals) std::cout << "  " << t << "\n";
  std::cout << fmt::format("  {:<10} {:>8} files (layouts, import profiles, purchase originals)\n", "files", rep.files);
  std::cout << fmt::format("moved the company from {} to {}; every record and file compared equal{}\n",
                           store::shown_target(path_from_utf8(to_db ? dir : db)), store::shown_target(path_from_utf8(to_db ? db : dir)), to_db ? "; the folder is marked as moved" : "; the database is marked as moved");
  return 0;
}

}  // namespace invoicing::cli

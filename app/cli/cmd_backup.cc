// invoicing backup / restore: a ZIP of the company as of one moment, and getting one back
// (replacing the data, or adding it to the data there is). The work is app/backup's.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "backup/backup.h"
#include "backup/restore.h"
#include "cli.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;

namespace invoicing::cli {

namespace {

// The workstation's backup folder: --to, else the local setting backup_dir (for this data
// folder, else for every one), else a folder in the user's home.
fs::path backup_dir(const Args& a) {
  if (a.options.count("to")) return path_from_utf8(a.get("to"));
  std::string section;
  try {
    section = path_utf8(xbase::absolute_path(path_from_utf8(data_dir(a))));
  } catch (const UsageError&) {
  }
  std::string d = local_setting("backup_dir", section);
  if (d.empty()) d = local_setting("backup_dir");
  if (!d.empty()) return path_from_utf8(d);
#ifdef _WIN32
  // %USERPROFILE% read as wide characters (a user name outside the ANSI codepage).
  const wchar_t* home = _wgetenv(L"USERPROFILE");
  return (home && *home ? fs::path(home) : fs::path(".")) / "xbase-invoicing-backups";
#else
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : ".") / "xbase-invoicing-backups";
#endif
}

int backup_config(const Args& a) {
  if (a.options.count("dir")) change_local_setting("backup_dir", a.get("dir"), "");
  if (a.options.count("keep-daily") || a.options.count("keep-weekly")) {
    auto c = open_company(a, false);
    for (const char* k : {"keep-daily", "keep-weekly"})
      if (a.options.count(k)) {
        int n = a.get_int(k, 0);
        if (n < 0 || n > 1000) throw UsageError(fmt::format("--{} is 0 to 1000", k));
        c->set_setting(k == std::string("keep-daily") ? "backup_keep_daily" : "backup_keep_weekly", std::to_string(n));
      }
  }
  std::cout << "backup folder of this workstation: " << backup_dir(a).string() << "\n";
  try {
    auto c = open_company(a, false);
    std::cout << fmt::format("automatic backups kept: the last {} days, the last {} weeks\n",
                             c->int_setting("backup_keep_daily", 7), c->int_setting("backup_keep_weekly", 4));
  } catch (const UsageError&) {
  }
  return 0;
}

}  // namespace

int cmd_backup(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"to", "dir", "keep-daily", "keep-weekly", "level"}, {"with-pdf", "auto"});
  if (!a.positional.empty()) {
    if (a.positional[0] == "config" && a.positional.size() == 1) {
      only_options(a, "backup config", {"dir", "keep-daily", "keep-weekly"});
      return backup_config(a);
    }
    throw UsageError("usage: invoicing backup [--to DIR] [--with-pdf] [--auto] | backup config [--dir DIR] "
                     "[--keep-daily N] [--keep-weekly N]");
  }
  only_options(a, "backup", {"to", "with-pdf", "auto", "level"});
  auto c = open_company(a, false);
  backup::BackupOptions o;
  o.to = backup_dir(a);
  o.with_pdf = a.has("with-pdf");
  o.automatic = a.has("auto");
  o.compression = a.get_int("level", 1);
  if (o.compression < 1 || o.compression > 9) throw UsageError("--level is 1 (fast) to 9 (small)");
  auto r = backup::make_backup(*c, o);
  if (a.has("json")) {
    std::string removed;
    for (const auto& p : r.removed) removed += (removed.empty() ? "" : ",") + json_string(p.string());
    std::cout << fmt::format("{{\"file\":{},\"bytes\":{},\"files\":{},\"gate_s\":{:.3f},\"total_s\":{:.3f},\"removed\":[{}]}}\n",
                             json_string(r.file.string()), r.bytes, r.manifest.files.size(), r.gate_seconds,
                             r.total_seconds, removed);
    return 0;
  }
  uint64_t records = 0;
  for (const auto& [t, n] : r.manifest.tables) records += n;
  std::cout << fmt::format("backup {} ({} files, {} records, {:.1f} MB) in {:.1f} s; others waited at most {:.2f} s\n",
                           r.file.string(), r.manifest.files.size(), records, double(r.bytes) / 1e6, r.total_seconds,
                           r.gate_seconds);
  for (const auto& p : r.removed) std::cout << "removed the old automatic backup " << p.filename().string() << "\n";
  return 0;
}

int cmd_restore(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"mode"}, {"ignore-faulty", "dry-run"});
  if (a.positional.size() != 1)
    throw UsageError("usage: invoicing restore FILE.zip [--data DIR] [--mode replace|append] [--ignore-faulty] [--dry-run]");
  backup::RestoreOptions o;
  o.zip = path_from_utf8(a.positional[0]);
  o.data = path_from_utf8(data_dir(a));
  const std::string mode = a.get("mode", "replace");
  if (mode != "replace" && mode != "append") throw UsageError("--mode is replace or append");
  o.mode = mode == "replace" ? backup::RestoreMode::replace : backup::RestoreMode::append;
  o.ignore_faulty = a.has("ignore-faulty");
  o.dry_run = a.has("dry-run");
  o.who = identity(a);
  auto r = backup::restore(o);
  const auto& m = r.manifest;
  if (a.has("json")) {
    std::cout << fmt::format("{{\"changed\":{},\"mode\":{},\"made_with\":{},\"schema\":{},\"company\":{},\"skipped\":[",
                             r.changed, json_string(mode), json_string(m.program_version), m.schema_version,
                             json_string(m.company));
    for (size_t i = 0; i < r.skipped.size(); ++i)
      std::cout << fmt::format("{}{{\"table\":{},\"record\":{},\"why\":{}}}", i ? "," : "", json_string(r.skipped[i].table),
                               r.skipped[i].recno, json_string(r.skipped[i].why));
    std::cout << "],\"problems\":[";
    for (size_t i = 0; i < r.verify_problems.size(); ++i) std::cout << (i ? "," : "") << json_string(r.verify_problems[i]);
    std::cout << "],\"notes\":[";
    for (size_t i = 0; i < r.notes.size(); ++i) std::cout << (i ? "," : "") << json_string(r.notes[i]);
    for (size_t i = 0; i < r.merged.notes.size(); ++i) std::cout << (i || !r.notes.empty() ? "," : "") << json_string(r.merged.notes[i]);
    std::cout << "],\"added\":{";
    bool first = true;
    for (const auto& [k, n] : r.merged.added) {
      std::cout << fmt::format("{}{}:{}", first ? "" : ",", json_string(k), n);
      first = false;
    }
    std::cout << "}}\n";
    return 0;
  }
  std::cout << fmt::format("backup of {} made {} by {} on {} with invoicing {} (schema {}, {} edition)\n", m.company,
                           m.created_at, m.user, m.workstation, m.program_version, m.schema_version, m.edition);
  for (const auto& s : r.skipped) std::cout << fmt::format("skipped {} record {}: {}\n", s.table, s.recno, s.why);
  for (const auto& p : r.verify_problems) std::cout << "still to look at: " << p << "\n";
  for (const auto& n : r.notes) std::cout << "note: " << n << "\n";
  for (const auto& n : r.merged.notes) std::cout << "note: " << n << "\n";
  if (o.mode == backup::RestoreMode::append) {
    std::string added, matched;
    for (const auto& [k, n] : r.merged.added) added += fmt::format("{}{} {}", added.empty() ? "" : ", ", n, k);
    for (const auto& [k, n] : r.merged.matched)
      if (n) matched += fmt::format("{}{} {}", matched.empty() ? "" : ", ", n, k);
    std::cout << (r.changed ? "added: " : "would add: ") << added << "\n";
    if (!matched.empty()) std::cout << "already here (matched by code): " << matched << "\n";
  }
  std::cout << (r.changed ? fmt::format("restored into {} ({})\n",
                                        store::is_database(o.data) ? store::shown_target(o.data)
                                                                   : path_utf8(xbase::absolute_path(o.data)),
                                        mode)
                          : fmt::format("dry run: the backup checks; nothing was changed\n"));
  if (!r.skipped.empty()) std::cout << r.skipped.size() << " faulty records were left out\n";
  return 0;
}

}  // namespace invoicing::cli

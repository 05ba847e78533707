// xbase repair T.dbf|DIR... [--dry-run] [--tags-from OTHER.CDX | --tags FILE] [--json]
// xbase pack T.dbf|DIR... [--json]
// Both need exclusive use, copy the original files to a dated backup folder before changing
// anything (xbase-backup/ beside the table), and say what they did. repair: xbase/repair.h.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iostream>

#include "common.h"
#include "json.h"
#include "targets.h"
#include "xbase/repair.h"

namespace fs = std::filesystem;

namespace xbase::tool {

namespace {

// --tags FILE: one tag per line, tab-separated: name, key expression, FOR expression (may be
// empty), flags (U unique, C candidate, D descending); more columns are ignored, so the
// fixtures' tags.txt works as it is. Lines starting with # are comments.
std::vector<TagSpec> read_tags_file(const std::string& path) {
  std::ifstream in(xbase::path_from_utf8(path));
  if (!in) throw UsageError(fmt::format("--tags: cannot read {}", path));
  std::vector<TagSpec> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> col;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      col.push_back(line.substr(start, tab - start));
    col.push_back(line.substr(start));
    if (col.size() < 2 || col[0].empty() || col[1].empty())
      throw UsageError(fmt::format("--tags {} line {}: needs NAME<tab>KEY[<tab>FOR[<tab>FLAGS]]", path, n));
    TagSpec s;
    s.name = col[0];
    s.key = col[1];
    if (col.size() > 2) s.for_expr = col[2];
    if (col.size() > 3) {
      s.unique = col[3].find('U') != std::string::npos;
      s.candidate = col[3].find('C') != std::string::npos;
      s.descending = col[3].find('D') != std::string::npos;
    }
    out.push_back(std::move(s));
  }
  return out;
}

void print_remaining(const CheckResult& r) {
  for (const auto& f : r.findings)
    if (f.severity == Finding::Severity::problem)
      print_text("  still: {}: {}{}\n", f.area, f.tag.empty() ? "" : "tag " + f.tag + ": ", f.message);
}

// The invoicing program keeps its data dictionary (the tags of every table) in its code and
// marks its data folders with SCHEMA.DBF: its own `repair-indexes` rebuilds a lost index
// there, where repair only knows the tags a surviving CDX still names.
std::string index_owner(const fs::path& table) {
  const fs::path dir = table.parent_path().empty() ? fs::path(".") : table.parent_path();
  std::error_code ec;
  for (const char* name : {"SCHEMA.DBF", "schema.dbf"}) {
    if (!fs::is_regular_file(dir / name, ec)) continue;
    try {
      OpenOptions o;
      o.read_only = true;
      auto t = Table::open(dir / name, o);
      auto program = t->field_index("PROGRAM");
      if (!program || t->record_count() == 0) return "";
      const Value v = t->read(1).get(*program);
      if (v.kind() != Value::Kind::text || v.str().rfind("invoicing", 0) != 0) return "";
    } catch (const Error&) {
      return "";
    }
    return fmt::format("{} is a data folder of the invoicing program, which knows the tags of its "
                       "tables: run `invoicing repair-indexes --data {}` with everyone out",
                       dir.string(), dir.string());
  }
  return "";
}

}  // namespace

int cmd_repair(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"codepage", "tags-from", "tags"}, {"dry-run", "json"});
  if (a.positional.empty())
    throw UsageError("usage: xbase repair T.dbf|DIR... [--dry-run] [--tags-from OTHER.CDX | --tags FILE] [--json]");
  RepairOptions o;
  o.codepage = a.get_int("codepage", 0);
  o.dry_run = a.has("dry-run");
  if (a.options.count("tags-from")) o.tags_from = xbase::path_from_utf8(a.get("tags-from"));
  if (a.options.count("tags")) o.tags = read_tags_file(a.get("tags"));
  const bool as_json = a.has("json");
  Progress bar;
  int rc = kOk;
  std::string js = "{\"tables\":[";
  const Tables found = expand_tables(a.positional);
  const auto& tables = found.paths;
  for (size_t i = 0; i < tables.size(); ++i) {
    const auto& p = tables[i];
    o.progress = [&](uint64_t done, uint64_t total) { bar.show(p.filename().string(), done, total); };
    o.index_owner = o.tags_from || !o.tags.empty() ? "" : index_owner(p);
    RepairResult r;
    try {
      r = repair_table(p, o);
    } catch (const Error& e) {
      bar.clear();
      std::cerr << "xbase repair: " << common::terminal_text(e.what()) << "\n";
      rc = std::max(rc, int(kFailed));
      continue;
    }
    bar.clear();
    const size_t left = r.after.problems();
    if (left) rc = std::max(rc, int(kProblems));
    if (as_json) {
      if (i) js += ",";
      js += "{\"path\":";
      json::append_string(js, p.string());
      js += fmt::format(",\"problems_before\":{},\"problems_after\":{},\"changed\":{},\"quarantined\":{},\"memos_saved\":{},\"backup\":",
                        r.before.problems(), left, r.changed, r.quarantined, r.memos_saved);
      json::append_string(js, r.backup.string());
      js += ",\"actions\":[";
      for (size_t k = 0; k < r.actions.size(); ++k) {
        if (k) js += ",";
        json::append_string(js, r.actions[k]);
      }
      js += "]}";
      continue;
    }
    print_text("{}: {} problem{} found, {}\n", p.string(), r.before.problems(),
                             r.before.problems() == 1 ? "" : "s",
                             o.dry_run ? "nothing changed (dry run)"
                             : !r.changed ? (left ? fmt::format("nothing changed, {} left", left) : "nothing to do")
                             : left ? fmt::format("{} left", left) : "all fixed");
    for (const auto& act : r.actions) print_text("  {}\n", act);
    if (!r.quarantine.empty())
      print_text("  {} record(s) and {} memo value(s) kept in {}\n", r.quarantined,
                               r.memos_saved, r.quarantine.string());
    if (!o.dry_run) print_remaining(r.after);
  }
  if (as_json) std::cout << js << fmt::format("],\"skipped\":{}}}\n", found.skipped);
  return report_skipped(found, rc);
}

int cmd_pack(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"codepage"}, {"json"});
  if (a.positional.empty()) throw UsageError("usage: xbase pack T.dbf|DIR... [--json]");
  int rc = kOk;
  const bool as_json = a.has("json");
  std::string js = "{\"tables\":[";
  bool first = true;
  const Tables found = expand_tables(a.positional);
  for (const auto& p : found.paths) {
    try {
      auto t = open_table(p.string(), a, false);
      uint32_t before = t->record_count();
      // The originals first, as repair keeps them (pack itself only keeps .bak files until
      // its renames are done).
      FileSystem& fsys = FileSystem::os();
      const std::tm now = fsys.local_time();
      char stamp[32];
      std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &now);
      fs::path backup = p.parent_path() / "xbase-backup" / (p.stem().string() + "-pack-" + stamp);
      fsys.create_directories(backup);
      for (const auto& name : {p.string(), t->info().memo_path, t->info().structural_index_path.value_or("")})
        if (!name.empty()) copy_durably(fsys, name, backup / fs::path(name).filename());
      t->pack();
      if (as_json) {
        js += first ? "{\"path\":" : ",{\"path\":";
        first = false;
        json::append_string(js, p.string());
        js += fmt::format(",\"records\":{},\"removed\":{},\"tags\":{},\"backup\":", t->record_count(),
                          before - t->record_count(), t->tags().size());
        json::append_string(js, backup.string());
        js += "}";
      } else {
        print_text("{}: {} records, {} deleted removed; memo and {} tags rebuilt; originals in {}\n",
                                 p.string(), t->record_count(), before - t->record_count(), t->tags().size(),
                                 backup.string());
      }
      t->close();
    } catch (const Error& e) {
      std::cerr << "xbase pack: " << common::terminal_text(e.what()) << "\n";
      rc = std::max(rc, int(e.code() == Errc::in_use ? kFailed : kProblems));
    }
  }
  if (as_json) std::cout << js << fmt::format("],\"skipped\":{}}}\n", found.skipped);
  return report_skipped(found, rc);
}

}  // namespace xbase::tool

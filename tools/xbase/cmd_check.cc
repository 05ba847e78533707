// xbase check PATH... [--codepage N] [--json]: integrity of tables, memos and indexes
// (xbase/check.h). Read-only, with the read locks of shared use: other workstations may keep
// working. Exit 0 when no table has a problem (notes are fine), 1 when one has.
#include <fmt/format.h>

#include <iostream>

#include "common.h"
#include "json.h"
#include "targets.h"
#include "xbase/check.h"

namespace xbase::tool {

namespace {

std::string where_text(const Location& w) {
  std::string s;
  if (w.record) s += fmt::format("record {}", *w.record);
  if (!w.field.empty()) s += (s.empty() ? "" : ", ") + fmt::format("field {}", w.field);
  if (w.offset) s += (s.empty() ? "" : ", ") + fmt::format("offset {}", *w.offset);
  return s;
}

void append_finding_json(std::string& out, const Finding& f) {
  out += "{\"severity\":";
  json::append_string(out, f.severity == Finding::Severity::problem ? "problem" : "note");
  out += ",\"area\":";
  json::append_string(out, f.area);
  out += ",\"file\":";
  json::append_string(out, f.where.file);
  out += ",\"offset\":" + (f.where.offset ? std::to_string(*f.where.offset) : std::string("null"));
  out += ",\"record\":" + (f.where.record ? std::to_string(*f.where.record) : std::string("null"));
  out += ",\"field\":";
  if (f.where.field.empty()) out += "null"; else json::append_string(out, f.where.field);
  out += ",\"tag\":";
  if (f.tag.empty()) out += "null"; else json::append_string(out, f.tag);
  out += ",\"message\":";
  json::append_string(out, f.message);
  out += ",\"repair\":";
  if (f.repair.empty()) out += "null"; else json::append_string(out, f.repair);
  out += "}";
}

}  // namespace

int cmd_check(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"codepage"}, {"json"});
  if (a.positional.empty()) throw UsageError("usage: xbase check T.dbf|DIR... [--codepage N] [--json]");
  const Tables found = expand_tables(a.positional);
  const auto& tables = found.paths;
  const bool as_json = a.has("json");
  Progress bar;
  size_t bad_tables = 0, problems = 0, notes = 0;
  std::string js = "{\"tables\":[";
  for (size_t i = 0; i < tables.size(); ++i) {
    const auto& p = tables[i];
    CheckOptions o;
    o.codepage = a.get_int("codepage", 0);
    const std::string label = fmt::format("{} ({}/{})", p.filename().string(), i + 1, tables.size());
    o.progress = [&](uint64_t done, uint64_t total) { bar.show(label, done, total); };
    CheckResult r = check_table(p, o);
    bar.clear();
    size_t np = r.problems(), nn = r.findings.size() - np;
    problems += np;
    notes += nn;
    bad_tables += np > 0;
    if (as_json) {
      if (i) js += ",";
      js += "{\"path\":";
      json::append_string(js, p.string());
      js += fmt::format(",\"opened\":{},\"records\":{},\"deleted\":{},\"memos\":{},\"memo_bytes\":{},"
                        "\"tags\":{},\"keys\":{},\"problems\":{},\"notes\":{},\"findings\":[",
                        r.opened, r.stats.records, r.stats.deleted, r.stats.memos, r.stats.memo_bytes,
                        r.stats.tags, r.stats.keys, np, nn);
      for (size_t k = 0; k < r.findings.size(); ++k) {
        if (k) js += ",";
        append_finding_json(js, r.findings[k]);
      }
      js += "]}";
      continue;
    }
    print_text("{}: {} ({} records, {} deleted, {} memos, {} tags, {} keys)\n", p.string(),
                             !r.opened ? "CANNOT OPEN" : np ? fmt::format("{} problem{}", np, np == 1 ? "" : "s") : "ok",
               r.stats.records, r.stats.deleted, r.stats.memos, r.stats.tags, r.stats.keys);
    for (const auto& f : r.findings) {
      std::string at = where_text(f.where);
      std::string file = f.where.file != p.string() && !f.where.file.empty()
                             ? xbase::path_utf8(xbase::path_from_utf8(f.where.file).filename()) + ": "
                             : "";
      print_text("  {:7} {:6} {}{}{}{}\n",
                               f.severity == Finding::Severity::problem ? "problem" : "note", f.area,
                               file, f.tag.empty() ? "" : "tag " + f.tag + ": ",
                               at.empty() ? "" : at + ": ", f.message);
      if (!f.repair.empty() && f.severity == Finding::Severity::problem)
        print_text("          repair: {}\n", f.repair);
    }
  }
  if (as_json) {
    js += fmt::format("],\"problems\":{},\"notes\":{},\"skipped\":{}}}", problems, notes, found.skipped);
    std::cout << js << "\n";
  } else if (tables.size() > 1) {
    std::cout << fmt::format("{} tables checked: {} with problems ({} problems, {} notes)\n",
                             tables.size(), bad_tables, problems, notes);
  }
  return report_skipped(found, problems ? kProblems : kOk);
}

}  // namespace xbase::tool

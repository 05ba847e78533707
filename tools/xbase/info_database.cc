// xbase info DB.dbc: what a Visual FoxPro database container defines. Rules, defaults and
// triggers are FoxPro code: shown so that an administrator knows what this engine does not run.
#include <fmt/format.h>

#include <iostream>

#include "common.h"
#include "json.h"
#include "xbase/database.h"

namespace xbase::tool {

namespace {

void json_kv(std::string& o, const char* k, const std::string& v) {
  o += ",";
  json::append_string(o, k);
  o += ":";
  json::append_string(o, v);
}

std::string json_database(const Database& db) {
  std::string o = "{\"file\":";
  json::append_string(o, db.path.string());
  o += fmt::format(",\"stored_procedures\":{},\"tables\":[", db.stored_procedures);
  bool first = true;
  for (const auto& t : db.tables) {
    o += first ? "{" : ",{";
    first = false;
    o += "\"name\":";
    json::append_string(o, t.name);
    json_kv(o, "path", t.path);
    json_kv(o, "primary_key", t.primary_key);
    json_kv(o, "rule", t.rule);
    json_kv(o, "rule_text", t.rule_text);
    json_kv(o, "insert_trigger", t.insert_trigger);
    json_kv(o, "update_trigger", t.update_trigger);
    json_kv(o, "delete_trigger", t.delete_trigger);
    o += ",\"fields\":[";
    for (size_t i = 0; i < t.fields.size(); ++i) {
      const auto& f = t.fields[i];
      o += i ? ",{\"name\":" : "{\"name\":";
      json::append_string(o, f.name);
      json_kv(o, "default", f.default_value);
      json_kv(o, "rule", f.rule);
      json_kv(o, "rule_text", f.rule_text);
      o += "}";
    }
    o += "],\"indexes\":[";
    for (size_t i = 0; i < t.indexes.size(); ++i) {
      o += i ? ",{\"name\":" : "{\"name\":";
      json::append_string(o, t.indexes[i].name);
      o += fmt::format(",\"primary\":{}}}", t.indexes[i].primary);
    }
    o += "],\"relations\":[";
    for (size_t i = 0; i < t.relations.size(); ++i) {
      const auto& r = t.relations[i];
      o += i ? ",{\"name\":" : "{\"name\":";
      json::append_string(o, r.name);
      json_kv(o, "child_tag", r.child_tag);
      json_kv(o, "parent_table", r.parent_table);
      json_kv(o, "parent_tag", r.parent_tag);
      json_kv(o, "ri_info", r.ri_info);
      o += "}";
    }
    o += "]}";
  }
  o += "],\"views\":[";
  for (size_t i = 0; i < db.views.size(); ++i) {
    if (i) o += ",";
    json::append_string(o, db.views[i]);
  }
  o += "],\"warnings\":[";
  for (size_t i = 0; i < db.warnings.size(); ++i) {
    if (i) o += ",";
    json::append_string(o, db.warnings[i].to_string());
  }
  o += "]}";
  return o;
}

}  // namespace

int info_database(const std::string& path, bool json) {
  const Database db = Database::read(xbase::path_from_utf8(path));
  if (json) {
    std::cout << json_database(db) << "\n";
    return db.warnings.empty() ? kOk : kProblems;
  }
  size_t code = 0;  // rules, defaults and triggers
  print_text("database:     {}\n", db.path.string());
  print_text("tables:       {}\n", db.tables.size());
  for (const auto& t : db.tables) {
    print_text("table {} ({})\n", t.name, t.path);
    if (!t.primary_key.empty()) print_text("  primary key: {}\n", t.primary_key);
    auto code_line = [&](const char* what, const std::string& v, const std::string& text = {}) {
      if (v.empty()) return;
      ++code;
      print_text("  {}: {}{}\n", what, v, text.empty() ? "" : "  (message: " + text + ")");
    };
    code_line("record rule", t.rule, t.rule_text);
    code_line("insert trigger", t.insert_trigger);
    code_line("update trigger", t.update_trigger);
    code_line("delete trigger", t.delete_trigger);
    print_text("  fields: {}\n", t.fields.size());
    for (const auto& f : t.fields) {
      std::string extra;
      if (!f.default_value.empty()) {
        ++code;
        extra += " default " + f.default_value;
      }
      if (!f.rule.empty()) {
        ++code;
        extra += " rule " + f.rule + (f.rule_text.empty() ? "" : " (message: " + f.rule_text + ")");
      }
      print_text("    {}{}\n", f.name, extra);
    }
    for (const auto& ix : t.indexes)
      print_text("  index {}{}\n", ix.name, ix.primary ? " (primary key)" : "");
    for (const auto& r : t.relations)
      print_text("  relation: tag {} -> {}.{}{}\n", r.child_tag, r.parent_table, r.parent_tag,
                 r.ri_info.empty() ? "" : " (referential integrity " + r.ri_info + ")");
  }
  if (!db.views.empty()) print_text("views:        {}\n", db.views.size());
  if (db.stored_procedures) print_text("stored procedures: present (not run by this engine)\n");
  if (code)
    print_text("code:         {} rules, defaults and triggers are FoxPro code this engine does not run\n", code);
  std::cout.flush();
  for (const auto& w : db.warnings)
    std::cerr << "xbase: warning: " << common::terminal_text(w.to_string()) << "\n";
  return db.warnings.empty() ? kOk : kProblems;
}

}  // namespace xbase::tool

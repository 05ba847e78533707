// xbase info: what a table is made of.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <iostream>

#include "common.h"
#include "json.h"
#include "value_text.h"

namespace xbase::tool {

namespace {

std::string flag_words(uint8_t flags) {
  std::vector<std::string> w;
  if (flags & 0x01) w.push_back("structural index");
  if (flags & 0x02) w.push_back("memo");
  if (flags & 0x04) w.push_back("database container");
  std::string s;
  for (const auto& x : w) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

std::string type_text(const Field& f) {
  switch (f.type) {
    case FieldType::numeric:
    case FieldType::floating:
    case FieldType::double_:
    case FieldType::currency: return fmt::format("{}({},{})", char(f.type), f.length, f.decimals);
    default: return fmt::format("{}({})", char(f.type), f.length);
  }
}

std::string base(const std::string& p) { return xbase::path_utf8(xbase::path_from_utf8(p).filename()); }

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string lower_ext(const std::string& p) { return lower(xbase::path_utf8(xbase::path_from_utf8(p).extension())); }

}  // namespace

int cmd_info(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"codepage", "file"}, {"json"});
  if (a.positional.size() != 1) throw UsageError("usage: xbase info T.dbf [--json] [--codepage N] [--file OTHER.cdx]");
  // A database container: what it defines, rather than its object records.
  if (lower_ext(a.positional[0]) == ".dbc" && !a.has("file")) return info_database(a.positional[0], a.has("json"));
  auto t = open_table(a.positional[0], a, true);
  const TableInfo& in = t->info();
  if (a.has("json")) {
    std::string o = "{";
    auto key = [&](const char* k) {
      if (o.size() > 1) o += ",";
      json::append_string(o, k);
      o += ":";
    };
    auto str = [&](const char* k, const std::string& v) {
      key(k);
      json::append_string(o, v);
    };
    auto num = [&](const char* k, uint64_t v) {
      key(k);
      o += std::to_string(v);
    };
    str("file", t->path().string());
    str("version", fmt::format("0x{:02X}", in.version));
    str("version_name", in.version_name);
    str("format", format_name(in.format));
    str("codepage_mark", fmt::format("0x{:02X}", in.codepage_mark));
    num("codepage", uint64_t(in.codepage));
    num("records", t->record_count());
    num("header_records", in.header_count);
    num("records_by_size", in.count_by_size);
    num("header_length", in.header_length);
    num("record_length", in.record_length);
    str("last_update", date_text(in.last_update));
    str("flags", fmt::format("0x{:02X}", in.flags));
    key("structural_index");
    o += in.structural_index ? "true" : "false";
    key("index_file");
    if (in.structural_index_path) json::append_string(o, base(*in.structural_index_path));
    else o += "null";
    key("memo_file");
    if (!in.memo_path.empty()) json::append_string(o, base(in.memo_path));
    else o += "null";
    num("memo_block_size", in.memo_block_size);
    str("backlink", in.backlink);
    if (!in.database_path.empty()) {
      str("database", in.database_path);
      str("database_table", in.database_table);
      key("database_triggers");
      o += in.database_triggers ? "true" : "false";
      key("database_rules");
      o += in.database_rules ? "true" : "false";
    }
    key("fields");
    o += "[";
    bool first = true;
    for (const auto& f : t->fields()) {
      if (!first) o += ",";
      first = false;
      o += "{";
      o += "\"name\":";
      json::append_string(o, f.display_name());
      if (!f.long_name.empty()) {
        o += ",\"short_name\":";
        json::append_string(o, f.name);
      }
      o += fmt::format(",\"type\":\"{}\",\"length\":{},\"decimals\":{},\"offset\":{}", char(f.type),
                       f.length, f.decimals, f.offset);
      o += fmt::format(",\"nullable\":{},\"binary\":{},\"autoinc\":{}", f.nullable, f.binary,
                       f.autoinc);
      if (f.autoinc) o += fmt::format(",\"autoinc_next\":{},\"autoinc_step\":{}", f.autoinc_next, f.autoinc_step);
      o += "}";
    }
    o += "],\"tags\":[";
    first = true;
    for (const auto& tg : t->tags()) {
      if (!first) o += ",";
      first = false;
      o += "{\"name\":";
      json::append_string(o, tg.name);
      o += ",\"key\":";
      json::append_string(o, tg.key_expr);
      o += ",\"for\":";
      json::append_string(o, tg.for_expr);
      o += fmt::format(",\"key_length\":{},\"unique\":{},\"descending\":{}", tg.key_length,
                       tg.unique, tg.descending);
      o += fmt::format(",\"candidate\":{}", tg.candidate);
      o += ",\"collation\":";
      json::append_string(o, tg.collation);
      o += ",\"index_file\":";
      json::append_string(o, tg.index_file);
      o += "}";
    }
    o += "],\"warnings\":[";
    first = true;
    for (const auto& w : t->warnings()) {
      if (!first) o += ",";
      first = false;
      json::append_string(o, w.to_string());
    }
    o += "]}";
    std::cout << o << "\n";
    return warnings_exit_code(*t);
  }
  std::string cp = in.codepage_mark
                       ? fmt::format("{} (mark 0x{:02X})", in.codepage, in.codepage_mark)
                       : fmt::format("{} (mark 0x00: none recorded)", in.codepage);
  print_text("file:         {}\n", t->path().string());
  print_text("version:      0x{:02X} {} [{}]\n", in.version, in.version_name, format_name(in.format));
  print_text("codepage:     {}\n", cp);
  print_text("records:      {} (header {}, file size {})\n", t->record_count(), in.header_count,
             in.count_by_size);
  print_text("lengths:      header {} bytes, record {} bytes\n", in.header_length, in.record_length);
  print_text("last update:  {}\n", date_text(in.last_update));
  print_text("flags:        0x{:02X} ({})\n", in.flags, flag_words(in.flags));
  if (in.has_memo)
    print_text("memo:         {}\n", in.memo_path.empty()
                                         ? std::string("MISSING")
                                         : fmt::format("{}, block size {}", base(in.memo_path),
                                                       in.memo_block_size));
  if (in.structural_index)
    print_text("index:        {}\n", in.structural_index_path ? base(*in.structural_index_path)
                                                              : std::string("MISSING"));
  if (!in.database_path.empty())
    print_text("database:     {} (table {}{}{})\n", in.database_path, in.database_table,
               in.database_triggers ? ", triggers not run by this engine" : "",
               in.database_rules ? ", rules not run by this engine" : "");
  else if (!in.backlink.empty())
    print_text("database:     {} (not read: fields have their short names)\n", in.backlink);
  print_text("fields:       {}\n", t->fields().size());
  print_text("  {:<3} {:<10} {:<8} {:>6}  {}\n", "#", "name", "type", "offset", "flags");
  int i = 0;
  for (const auto& f : t->fields()) {
    std::string fl;
    if (f.nullable) fl += "null ";
    if (f.binary) fl += "binary ";
    if (f.autoinc) fl += fmt::format("autoinc(next {}, step {}) ", f.autoinc_next, f.autoinc_step);
    if (!f.long_name.empty() && lower(f.long_name) != lower(f.name)) fl += "short name " + f.name + " ";
    print_text("  {:<3} {:<10} {:<8} {:>6}  {}\n", ++i, f.display_name(), type_text(f), f.offset, fl);
  }
  if (!t->tags().empty()) {
    print_text("tags:         {}\n", t->tags().size());
    print_text("  {:<10} {:>4}  {:<11} {}\n", "name", "len", "flags", "key [FOR condition]");
    for (const auto& tg : t->tags()) {
      std::string fl;
      if (tg.unique) fl += "unique ";
      if (tg.candidate) fl += "candidate ";
      if (tg.descending) fl += "desc ";
      if (!tg.collation.empty() && tg.collation != "MACHINE") fl += tg.collation;
      bool standalone = !t->info().structural_index_path ||
                        tg.index_file != *t->info().structural_index_path;
      print_text("  {:<10} {:>4}  {:<11} {}{}{}\n", tg.name, tg.key_length, fl, tg.key_expr,
                 tg.for_expr.empty() ? "" : " FOR " + tg.for_expr,
                 standalone ? "  (in " + base(tg.index_file) + ")" : "");
    }
  }
  std::cout.flush();
  return report_warnings(*t);
}

}  // namespace xbase::tool

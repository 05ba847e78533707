#include "table/table_files.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "io/path_text.h"

namespace xbase {

namespace fs = std::filesystem;

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The memo extension for a table: FoxPro's other tables keep FPT memos under their own
// extension (reference 3: .dbc -> .dct, .scx -> .sct, ...).
std::string memo_ext(memo::MemoKind k, const fs::path& table) {
  if (k != memo::MemoKind::fpt) return ".dbt";
  static const std::pair<const char*, const char*> kOwn[] = {
      {".dbc", ".dct"}, {".scx", ".sct"}, {".vcx", ".vct"}, {".frx", ".frt"},
      {".lbx", ".lbt"}, {".mnx", ".mnt"}, {".pjx", ".pjt"}};
  const std::string e = lower_ascii(table.extension().string());
  for (const auto& [t, m] : kOwn)
    if (e == t) return m;
  return ".fpt";
}

// Companion names follow the table's case: FIX.DBF -> FIX.FPT, fix.dbf -> fix.fpt.
fs::path companion_name(const fs::path& table, const std::string& ext) {
  std::string e = ext;
  std::string te = table.extension().string();
  bool upper = !te.empty() && std::all_of(te.begin() + 1, te.end(), [](char c) {
    return !std::isalpha(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c));
  });
  if (upper)
    for (auto& c : e) c = char(std::toupper(static_cast<unsigned char>(c)));
  return table.parent_path() / path_from_utf8(path_utf8(table.stem()) + e);
}

// The structural index: T.cdx, except for a database container, whose index is T.dcx.
std::string index_ext(const fs::path& table) {
  return lower_ascii(table.extension().string()) == ".dbc" ? ".dcx" : ".cdx";
}

fs::path with_suffix(const fs::path& p, const char* suffix) {
  return p.parent_path() / path_from_utf8(path_utf8(p.filename()) + suffix);
}

}  // namespace xbase

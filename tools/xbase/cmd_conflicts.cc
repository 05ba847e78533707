// xbase conflicts DIR [--recursive] [--json] [--limit N] [--codepage N]: the conflict copies
// cloud-sync clients left in a data folder, and for each copy of a table, what differs from
// the original record by record; also whether the folder is synchronised at all.
//
// Both tables are opened read-only in shared use, so this runs while the program is in use.
// Records are matched by the fields of a CANDIDATE tag (the primary key) when the original
// has one, else by record number. The key is built from the fields the tag's expression
// names (`ID`, `UPPER(CODE)`, `STR(BRANCH,3)+STR(NR,6)` -> ID; CODE; BRANCH, NR): matching
// on the fields themselves needs no index in the copy, whose own CDX is often missing or
// from another moment. Deleted records take part: a record deleted on one side only shows
// as changed ("deleted: no -> yes").
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <unordered_map>
#include <unordered_set>

#include "common.h"
#include "json.h"
#include "sync_clients.h"
#include "value_text.h"

namespace xbase::tool {

namespace {

namespace fs = std::filesystem;

const char* kWhyUnsafe =
    "A sync client copies whole files after they changed. It knows nothing of the record and "
    "header locks xBase programs take, and byte-range locks do not travel to the other "
    "computers. When two offices (or a laptop and the office) change the same table before "
    "the client has carried the change across, it keeps one version and saves the other as a "
    "conflict copy: records entered on one side vanish from the table everyone uses, two "
    "invoices get the same number, and a table, its memo file and its index can arrive from "
    "different moments and no longer match. Keep the live data on one file server that every "
    "workstation opens over the network, and let a sync client carry only backups made while "
    "nobody works in the data.";

struct Progress {
  bool on = isatty(STDERR_FILENO) != 0;
  bool shown = false;
  void show(const std::string& what) {
    if (!on) return;
    std::fprintf(stderr, "\r\033[K%s", what.c_str());
    std::fflush(stderr);
    shown = true;
  }
  void clear() {
    if (shown) std::fputs("\r\033[K", stderr);
    shown = false;
  }
};

// How many levels below DIR --recursive looks by default: data folders are a few levels deep,
// and a runaway tree (or a link loop made of real folders) ends here with a message.
constexpr int kDefaultMaxDepth = 32;
constexpr int kMostDepth = 256;

struct Listing {
  std::string folder;  // not fs::path: a path keeps its parts too, which costs depth² memory
  std::vector<std::string> names;  // sorted
};

struct Walk {
  std::vector<Listing> folders;          // DIR first, then depth first in name order
  size_t too_deep = 0;                   // folders below the depth limit, not looked into
  std::string first_too_deep;
  std::vector<std::string> unreadable;   // "FOLDER: reason"
};

// Reads DIR and the folders below it down to `max_depth` levels, each once. Only the names
// are kept (not the entries), and at most one folder is open at a time.
Walk walk_folders(const fs::path& dir, bool recursive, int max_depth) {
  Walk w;
  Progress progress;  // on a terminal only
  size_t files = 0;
  auto last = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, int>> todo{{xbase::path_utf8(dir), 0}};
  while (!todo.empty()) {
    auto [folder, depth] = std::move(todo.back());
    todo.pop_back();
    Listing l{folder, {}};
    std::vector<std::string> subfolders;
    std::error_code ec;
    fs::directory_iterator it(xbase::path_from_utf8(folder), ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = xbase::path_utf8(it->path().filename());
      std::error_code e2;
      if (recursive && it->is_directory(e2) && !it->is_symlink(e2) && name.rfind('.', 0) != 0) {
        if (depth < max_depth) subfolders.push_back(name);
        else if (w.too_deep++ == 0) w.first_too_deep = xbase::path_utf8(xbase::path_from_utf8(folder) / xbase::path_from_utf8(name));
      }
      l.names.push_back(std::move(name));
      ++files;
    }
    if (ec) w.unreadable.push_back(fmt::format("{}: could not read the folder: {}", folder, ec.message()));
    std::sort(l.names.begin(), l.names.end());
    std::sort(subfolders.begin(), subfolders.end(), std::greater<>());  // popped in name order
    for (auto& sub : subfolders) todo.emplace_back(xbase::path_utf8(xbase::path_from_utf8(folder) / xbase::path_from_utf8(sub)), depth + 1);
    w.folders.push_back(std::move(l));
    auto now = std::chrono::steady_clock::now();
    if (w.folders.size() == 1 || now - last > std::chrono::milliseconds(200)) {
      last = now;
      progress.show(fmt::format("looking for conflict copies: {} folder{}, {} names read", w.folders.size(),
                                w.folders.size() == 1 ? "" : "s", files));
    }
  }
  progress.clear();
  return w;
}

struct FieldChange {
  std::string field;
  Value original, copy;
};

// A record only one side has, or the two sides of a changed one.
struct Row {
  std::string key;  // display form: "ID=1005", or "" when matched by record number
  uint32_t rec_o = 0, rec_c = 0;  // 0: not on that side
  bool del_o = false, del_c = false;
  std::vector<std::pair<std::string, Value>> values;  // only-in rows: the record's fields
  std::vector<FieldChange> changes;                   // changed rows
};

struct Comparison {
  std::string tag;                      // the candidate tag used, "" = record numbers
  std::vector<std::string> key_fields;  // the fields the key is made of
  uint32_t records_original = 0, records_copy = 0;
  size_t only_copy = 0, only_original = 0, changed = 0, same = 0;
  std::vector<Row> only_copy_rows, only_original_rows, changed_rows;
  std::vector<std::string> notes;
};

struct Found {
  fs::path folder;
  std::string name;
  bool is_dir = false;
  ConflictName c;
  bool original_exists = false;
  std::optional<Comparison> cmp;
  std::string error;  // why the comparison could not be made
};

std::string json_of(const Value& v) {
  std::string s;
  append_json_value(s, v);
  return s;
}

// At most n bytes of UTF-8 text, cut at a character boundary.
std::string cut(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t e = n;
  while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
  return s.substr(0, e) + "…";
}

std::string shown(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: return "null";
    case Value::Kind::empty: return "blank";
    case Value::Kind::text: {
      std::string t;
      for (char c : v.str()) {
        if (c == '\r') t += "\\r";
        else if (c == '\n') t += "\\n";
        else if (c == '"') t += "\\\"";
        else t += c;
      }
      return "\"" + cut(t, 60) + "\"";
    }
    default: return cut(csv_text(v), 60);
  }
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

struct Col {
  std::string name;
  size_t o, c;  // field index in the original and the copy
};

struct Entry {
  uint32_t recno;
  bool deleted;
  size_t hash;
};

Comparison compare(const fs::path& orig, const fs::path& copy, const Args& a, size_t limit,
                   Progress& progress) {
  Comparison r;
  auto to = open_table(xbase::path_utf8(orig), a, true);
  auto tc = open_table(xbase::path_utf8(copy), a, true);
  const bool memo_o = !to->info().has_memo || !to->info().memo_path.empty();
  const bool memo_c = !tc->info().has_memo || !tc->info().memo_path.empty();
  if (!memo_o) r.notes.push_back("the original's memo file is missing: memo fields are not compared");
  if (!memo_c) r.notes.push_back("the copy's memo file is missing: memo fields are not compared");

  std::vector<Col> cols;
  for (size_t i = 0; i < to->fields().size(); ++i) {
    const Field& f = to->fields()[i];
    auto j = tc->field_index(f.name);
    if (!j) {
      r.notes.push_back(fmt::format("field {} is only in the original", f.name));
      continue;
    }
    const Field& g = tc->fields()[*j];
    if (describe_field(f) != describe_field(g))
      r.notes.push_back(fmt::format("field {} is {} in the original and {} in the copy", f.name,
                                    describe_field(f), describe_field(g)));
    if ((f.is_memo() && !memo_o) || (g.is_memo() && !memo_c)) continue;
    cols.push_back({f.name, i, *j});
  }
  for (const Field& g : tc->fields())
    if (!to->field_index(g.name)) r.notes.push_back(fmt::format("field {} is only in the copy", g.name));

  // The primary key: a CANDIDATE tag of the original (else of the copy) whose expression names
  // fields both tables have.
  std::vector<size_t> key_cols;
  for (const Table* t : {to.get(), tc.get()}) {
    for (const TagInfo& tag : t->tags()) {
      if (!tag.candidate) continue;
      std::vector<size_t> kc;
      for (const auto& name : tag.key_fields)
        for (size_t k = 0; k < cols.size(); ++k)
          if (cols[k].name == name) kc.push_back(k);
      if (kc.empty()) continue;
      r.tag = tag.name;
      key_cols = kc;
      for (size_t k : kc) r.key_fields.push_back(cols[k].name);
      break;
    }
    if (!r.tag.empty()) break;
  }

  auto key_text = [&](const std::vector<Value>& vals) {
    std::string k, shown_key;
    for (size_t n = 0; n < key_cols.size(); ++n) {
      const Col& col = cols[key_cols[n]];
      k += json_of(vals[n]);
      k += '\x1f';
      shown_key += fmt::format("{}{}={}", n ? ", " : "", col.name, shown(vals[n]));
    }
    return std::pair{k, shown_key};
  };

  // One pass over each table: per record, its key and a hash of every compared value.
  std::unordered_map<std::string, std::vector<Entry>> side[2];
  std::unordered_map<std::string, std::string> shown_keys;
  for (int s = 0; s < 2; ++s) {
    Table& t = s == 0 ? *to : *tc;
    const std::string label = (s == 0 ? orig : copy).filename().string();
    uint32_t n = 0;
    t.scan([&](const Record& rec) {
      std::string all;
      std::vector<Value> kv;
      for (const Col& col : cols) all += json_of(t.get_tolerant(rec, s == 0 ? col.o : col.c)) + '\x1f';
      for (size_t k : key_cols) kv.push_back(t.get_tolerant(rec, s == 0 ? cols[k].o : cols[k].c));
      std::string key;
      if (key_cols.empty()) {
        key = std::to_string(rec.recno());
      } else {
        auto [k, sk] = key_text(kv);
        key = k;
        shown_keys.emplace(k, sk);
      }
      side[s][key].push_back({rec.recno(), rec.deleted(), std::hash<std::string>{}(all)});
      if (++n % 5000 == 0) progress.show(fmt::format("comparing {}: {} records", label, n));
      return true;
    });
    (s == 0 ? r.records_original : r.records_copy) = n;
  }

  // Pair the records of each key: live ones first, then by record number.
  auto order = [](std::vector<Entry>& v) {
    std::sort(v.begin(), v.end(), [](const Entry& x, const Entry& y) {
      return x.deleted != y.deleted ? !x.deleted : x.recno < y.recno;
    });
  };
  auto values_of = [&](Table& t, uint32_t recno, bool original) {
    std::vector<std::pair<std::string, Value>> v;
    Record rec = t.read(recno);
    for (const Col& col : cols) v.emplace_back(col.name, t.get_tolerant(rec, original ? col.o : col.c));
    return v;
  };
  std::vector<Row> oc, oo, ch;
  for (auto& [key, lo] : side[0]) {
    auto it = side[1].find(key);
    std::vector<Entry> none;
    std::vector<Entry>& lc = it == side[1].end() ? none : it->second;
    order(lo);
    order(lc);
    const std::string sk = key_cols.empty() ? "" : shown_keys[key];
    for (size_t i = 0; i < std::max(lo.size(), lc.size()); ++i) {
      if (i >= lc.size()) {
        oo.push_back({sk, lo[i].recno, 0, lo[i].deleted, false, {}, {}});
      } else if (i >= lo.size()) {
        oc.push_back({sk, 0, lc[i].recno, false, lc[i].deleted, {}, {}});
      } else if (lo[i].hash != lc[i].hash || lo[i].deleted != lc[i].deleted) {
        ch.push_back({sk, lo[i].recno, lc[i].recno, lo[i].deleted, lc[i].deleted, {}, {}});
      } else {
        ++r.same;
      }
    }
  }
  for (auto& [key, lc] : side[1]) {
    if (side[0].count(key)) continue;
    order(lc);
    for (const Entry& e : lc)
      oc.push_back({key_cols.empty() ? "" : shown_keys[key], 0, e.recno, false, e.deleted, {}, {}});
  }
  std::sort(oo.begin(), oo.end(), [](const Row& x, const Row& y) { return x.rec_o < y.rec_o; });
  std::sort(oc.begin(), oc.end(), [](const Row& x, const Row& y) { return x.rec_c < y.rec_c; });
  std::sort(ch.begin(), ch.end(), [](const Row& x, const Row& y) { return x.rec_o < y.rec_o; });
  r.only_original = oo.size();
  r.only_copy = oc.size();
  r.changed = ch.size();
  // Details for the first `limit` of each list only.
  if (oo.size() > limit) oo.resize(limit);
  if (oc.size() > limit) oc.resize(limit);
  if (ch.size() > limit) ch.resize(limit);
  for (Row& row : oo) row.values = values_of(*to, row.rec_o, true);
  for (Row& row : oc) row.values = values_of(*tc, row.rec_c, false);
  for (Row& row : ch) {
    auto vo = values_of(*to, row.rec_o, true);
    auto vc = values_of(*tc, row.rec_c, false);
    for (size_t k = 0; k < cols.size(); ++k)
      if (json_of(vo[k].second) != json_of(vc[k].second))
        row.changes.push_back({cols[k].name, vo[k].second, vc[k].second});
  }
  r.only_original_rows = std::move(oo);
  r.only_copy_rows = std::move(oc);
  r.changed_rows = std::move(ch);
  for (const Table* t : {to.get(), tc.get()})
    for (const auto& w : t->warnings()) r.notes.push_back(w.to_string());
  progress.clear();
  return r;
}

bool is_table(const std::string& name) {
  return name.size() > 4 && lower_ascii(name.substr(name.size() - 4)) == ".dbf";
}

// ------------------------------------------------------------------ output

std::string where(const Row& row, bool copy_side) {
  uint32_t rec = copy_side ? row.rec_c : row.rec_o;
  std::string s = row.key.empty() ? fmt::format("record {}", rec) : fmt::format("{} (record {})", row.key, rec);
  if (copy_side ? row.del_c : row.del_o) s += " [deleted]";
  return s;
}

std::string some_values(const Row& row, size_t n) {
  std::string s;
  size_t k = 0;
  for (const auto& [name, v] : row.values) {
    if (v.is_null() || v.is_empty() || (v.kind() == Value::Kind::text && v.str().empty())) continue;
    if (k++ == n) {
      s += ", …";
      break;
    }
    s += fmt::format("{}{}={}", s.empty() ? "" : ", ", name, shown(v));
  }
  return s;
}

// Words filled into lines of at most `width` bytes, the lines after the first indented.
std::string wrap(const std::string& text, size_t width) {
  std::string out, line;
  size_t p = 0;
  while (p < text.size()) {
    size_t e = text.find(' ', p);
    if (e == std::string::npos) e = text.size();
    std::string word = text.substr(p, e - p);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = "  ";
    } else if (!line.empty() && line != "  ") {
      line += ' ';
    }
    line += word;
    p = e + 1;
  }
  return out + line + "\n";
}

void print_text(const fs::path& dir, const std::vector<Found>& found,
                const std::vector<SyncMarker>& markers) {
  std::string o;
  if (found.empty() && markers.empty()) {
    o += fmt::format("no conflict copies and no sync client markers in {}\n", dir.string());
    std::cout << common::terminal_text(o);
    return;
  }
  if (!markers.empty()) {
    o += fmt::format("{} is synchronised by a cloud-sync client:\n", dir.string());
    for (const auto& m : markers)
      o += fmt::format("  {:<19} {}\n  {:<19} {}\n", m.client, m.path.string(), "", m.why);
    o += wrap(std::string("warning: ") + kWhyUnsafe, 92) + "\n";
  }
  if (found.empty()) {
    o += "no conflict copies found\n";
  } else {
    o += fmt::format("{} conflict cop{}:\n", found.size(), found.size() == 1 ? "y" : "ies");
  }
  for (const Found& f : found) {
    fs::path rel = (f.folder / xbase::path_from_utf8(f.name)).lexically_relative(dir);
    o += fmt::format("  {}{}\n", rel.string(), f.is_dir ? "/ (folder)" : "");
    std::string about = fmt::format("{} conflict copy of {}", f.c.client, f.c.original);
    std::vector<std::string> extra;
    if (!f.c.detail.empty()) extra.push_back(f.c.detail);
    if (!f.c.date.empty()) extra.push_back(f.c.date);
    if (!extra.empty()) {
      about += " (";
      for (size_t i = 0; i < extra.size(); ++i) about += (i ? ", " : "") + extra[i];
      about += ")";
    }
    if (!f.original_exists) about += "; the original is not there";
    o += "    " + about + "\n";
    if (!f.error.empty()) o += fmt::format("    not compared: {}\n", f.error);
    if (!f.cmp) continue;
    const Comparison& c = *f.cmp;
    if (c.tag.empty())
      o += fmt::format("    compared by record number: {} records in the original, {} in the copy\n",
                       c.records_original, c.records_copy);
    else {
      std::string kf;
      for (const auto& k : c.key_fields) kf += (kf.empty() ? "" : ", ") + k;
      o += fmt::format("    compared by the candidate tag {} (key {}): {} records in the original, {} in the copy\n",
                       c.tag, kf, c.records_original, c.records_copy);
    }
    for (const auto& n : c.notes) o += fmt::format("    note: {}\n", n);
    if (!c.only_copy && !c.only_original && !c.changed) {
      o += "    same records, same values\n";
      continue;
    }
    o += fmt::format("    only in the copy: {}, only in the original: {}, changed: {}\n", c.only_copy,
                     c.only_original, c.changed);
    for (const Row& row : c.only_copy_rows)
      o += fmt::format("      only in the copy:     {}: {}\n", where(row, true), some_values(row, 4));
    if (c.only_copy > c.only_copy_rows.size())
      o += fmt::format("      … {} more only in the copy\n", c.only_copy - c.only_copy_rows.size());
    for (const Row& row : c.only_original_rows)
      o += fmt::format("      only in the original: {}: {}\n", where(row, false), some_values(row, 4));
    if (c.only_original > c.only_original_rows.size())
      o += fmt::format("      … {} more only in the original\n", c.only_original - c.only_original_rows.size());
    for (const Row& row : c.changed_rows) {
      std::string w = row.key.empty() ? (row.rec_o == row.rec_c ? fmt::format("record {}", row.rec_o)
                                                                : fmt::format("record {} / {}", row.rec_o, row.rec_c))
                                      : fmt::format("{} (record {} / {})", row.key, row.rec_o, row.rec_c);
      o += fmt::format("      changed {}:\n", w);
      if (row.del_o != row.del_c)
        o += fmt::format("        deleted: {} -> {}\n", row.del_o ? "yes" : "no", row.del_c ? "yes" : "no");
      for (const auto& ch : row.changes)
        o += fmt::format("        {}: {} -> {}\n", ch.field, shown(ch.original), shown(ch.copy));
    }
    if (c.changed > c.changed_rows.size())
      o += fmt::format("      … {} more changed\n", c.changed - c.changed_rows.size());
  }
  std::cout << common::terminal_text(o);
}

void json_str(std::string& o, const char* key, const std::string& v, bool comma = true) {
  if (comma) o += ',';
  json::append_string(o, key);
  o += ':';
  json::append_string(o, v);
}

void json_row(std::string& o, const Row& row, bool with_values) {
  o += '{';
  json::append_string(o, "key");
  o += ':';
  if (row.key.empty()) o += "null";
  else json::append_string(o, row.key);
  o += fmt::format(",\"recno_original\":{},\"recno_copy\":{}",
                   row.rec_o ? std::to_string(row.rec_o) : "null",
                   row.rec_c ? std::to_string(row.rec_c) : "null");
  o += fmt::format(",\"deleted_original\":{},\"deleted_copy\":{}", row.rec_o ? (row.del_o ? "true" : "false") : "null",
                   row.rec_c ? (row.del_c ? "true" : "false") : "null");
  if (with_values) {
    o += ",\"values\":{";
    bool first = true;
    for (const auto& [name, v] : row.values) {
      if (!first) o += ',';
      first = false;
      json::append_string(o, name);
      o += ':';
      append_json_value(o, v);
    }
    o += '}';
  } else {
    o += ",\"fields\":[";
    bool first = true;
    for (const auto& ch : row.changes) {
      if (!first) o += ',';
      first = false;
      o += "{\"field\":";
      json::append_string(o, ch.field);
      o += ",\"original\":";
      append_json_value(o, ch.original);
      o += ",\"copy\":";
      append_json_value(o, ch.copy);
      o += '}';
    }
    o += ']';
  }
  o += '}';
}

void print_json(const fs::path& dir, const std::vector<Found>& found,
                const std::vector<SyncMarker>& markers, const Walk& walk) {
  std::string o = "{";
  json_str(o, "dir", dir.string(), false);
  o += fmt::format(",\"folders\":{},\"folders_too_deep\":{},\"folders_unreadable\":[", walk.folders.size(),
                   walk.too_deep);
  for (size_t i = 0; i < walk.unreadable.size(); ++i) {
    if (i) o += ',';
    json::append_string(o, walk.unreadable[i]);
  }
  o += ']';
  o += ",\"sync_markers\":[";
  for (size_t i = 0; i < markers.size(); ++i) {
    o += i ? ",{" : "{";
    json_str(o, "client", markers[i].client, false);
    json_str(o, "path", markers[i].path.string());
    json_str(o, "why", markers[i].why);
    o += '}';
  }
  o += "],\"warning\":";
  if (markers.empty()) o += "null";
  else json::append_string(o, kWhyUnsafe);
  o += ",\"conflicts\":[";
  for (size_t i = 0; i < found.size(); ++i) {
    const Found& f = found[i];
    o += i ? ",\n{" : "\n{";
    json_str(o, "path", xbase::path_utf8(f.folder / xbase::path_from_utf8(f.name)), false);
    json_str(o, "name", f.name);
    json_str(o, "kind", f.is_dir ? "folder" : "file");
    json_str(o, "client", f.c.client);
    json_str(o, "original", f.c.original);
    o += fmt::format(",\"original_exists\":{}", f.original_exists);
    json_str(o, "detail", f.c.detail);
    json_str(o, "date", f.c.date);
    o += ",\"error\":";
    if (f.error.empty()) o += "null";
    else json::append_string(o, f.error);
    o += ",\"comparison\":";
    if (!f.cmp) {
      o += "null}";
      continue;
    }
    const Comparison& c = *f.cmp;
    o += "{\"by\":";
    json::append_string(o, c.tag.empty() ? "recno" : "key");
    o += ",\"tag\":";
    if (c.tag.empty()) o += "null";
    else json::append_string(o, c.tag);
    o += ",\"key_fields\":[";
    for (size_t k = 0; k < c.key_fields.size(); ++k) {
      if (k) o += ',';
      json::append_string(o, c.key_fields[k]);
    }
    o += fmt::format("],\"records_original\":{},\"records_copy\":{},\"same\":{}", c.records_original,
                     c.records_copy, c.same);
    auto list = [&](const char* name, size_t count, const std::vector<Row>& rows, bool values) {
      o += fmt::format(",\"{}\":{{\"count\":{},\"records\":[", name, count);
      for (size_t k = 0; k < rows.size(); ++k) {
        if (k) o += ',';
        json_row(o, rows[k], values);
      }
      o += "]}";
    };
    list("only_in_copy", c.only_copy, c.only_copy_rows, true);
    list("only_in_original", c.only_original, c.only_original_rows, true);
    list("changed", c.changed, c.changed_rows, false);
    o += ",\"notes\":[";
    for (size_t k = 0; k < c.notes.size(); ++k) {
      if (k) o += ',';
      json::append_string(o, c.notes[k]);
    }
    o += "]}}";
  }
  o += "]}\n";
  std::cout << o;
}

}  // namespace

int cmd_conflicts(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"codepage", "limit", "max-depth"}, {"json", "recursive"});
  if (a.positional.size() != 1)
    throw UsageError(
        "usage: xbase conflicts DIR [--recursive [--max-depth N]] [--json] [--limit N] [--codepage N]");
  const fs::path dir = xbase::path_from_utf8(a.positional[0]);
  const int limit = a.get_int("limit", 20);
  if (limit < 0) throw UsageError("--limit must be 0 or more");
  const int max_depth = a.get_int("max-depth", kDefaultMaxDepth);
  // Each level lengthens every path below it: past a few hundred the paths outgrow what the
  // system takes (4096 bytes) and the walk slows with the square of the depth.
  if (max_depth < 0 || max_depth > kMostDepth)
    throw UsageError(fmt::format("--max-depth must be 0 to {}", kMostDepth));
  if (a.options.count("max-depth") && !a.has("recursive")) throw UsageError("--max-depth goes with --recursive");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UsageError(fmt::format("{}: {}", dir.string(),
                                 fs::exists(dir, ec) ? "not a folder" : "no such folder"));

  // DIR, and with --recursive every folder below it except hidden ones (.dropbox.cache,
  // .stversions, .sync hold the clients' own old versions and copies) and links, depth first
  // in name order. Each folder is read once and its names looked up in constant time, so the
  // time and memory grow with the number of files; the depth limit bounds the open folders.
  Walk walk = walk_folders(dir, a.has("recursive"), max_depth);
  std::vector<SyncMarker> markers;
  std::unordered_set<std::string> marker_paths;
  auto add_markers = [&](std::vector<SyncMarker> ms) {
    for (auto& m : ms)
      if (marker_paths.insert(m.path.string()).second) markers.push_back(std::move(m));
  };
  add_markers(sync_markers(dir));  // DIR and every folder above it
  std::vector<Found> found;
  Progress progress;
  for (size_t k = 0; k < walk.folders.size(); ++k) {
    const Listing& l = walk.folders[k];
    if (k) add_markers(sync_markers_here(xbase::path_from_utf8(l.folder)));
    const Siblings siblings(l.names);
    for (const auto& name : l.names) {
      auto c = conflict_copy(name, siblings);
      if (!c) continue;
      Found f;
      f.folder = xbase::path_from_utf8(l.folder);
      f.name = name;
      f.is_dir = fs::is_directory(f.folder / xbase::path_from_utf8(name), ec);
      f.c = *c;
      f.original_exists = siblings.has(c->original) || fs::exists(f.folder / xbase::path_from_utf8(c->original), ec);
      found.push_back(std::move(f));
    }
  }
  for (const auto& e : walk.unreadable)
    std::cerr << common::terminal_text(fmt::format("xbase conflicts: {}\n", e));
  if (walk.too_deep)
    std::cerr << common::terminal_text(fmt::format(
        "xbase conflicts: {} folder{} deeper than {} level{} below {} not looked into (the first: {}); "
        "give --max-depth N to go deeper\n",
        walk.too_deep, walk.too_deep == 1 ? "" : "s", max_depth, max_depth == 1 ? "" : "s",
        dir.string(), walk.first_too_deep));
  for (size_t i = 0; i < found.size(); ++i) {
    Found& f = found[i];
    if (f.is_dir || !is_table(f.name) || !f.original_exists || !is_table(f.c.original)) continue;
    progress.show(fmt::format("comparing {} ({}/{})", f.name, i + 1, found.size()));
    try {
      f.cmp = compare(f.folder / xbase::path_from_utf8(f.c.original), f.folder / xbase::path_from_utf8(f.name), a, size_t(limit), progress);
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      f.error = e.what();
    }
  }
  progress.clear();

  if (a.has("json")) print_json(dir, found, markers, walk);
  else print_text(dir, found, markers);
  std::cout.flush();
  // A walk cut short found nothing for sure: not "all clear".
  const bool incomplete = walk.too_deep || !walk.unreadable.empty();
  return found.empty() && markers.empty() && !incomplete ? kOk : kProblems;
}

}  // namespace xbase::tool

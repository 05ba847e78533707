// xbase index / reindex / seek: the structural CDX from the command line.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "common.h"
#include "targets.h"
#include "json.h"
#include "value_text.h"

namespace xbase::tool {

namespace {

// The table's tag of that name, whatever its case. None: UsageError, which names the damaged
// index file when the tag is missing because its index did not open (never only "no tag").
const TagInfo& need_tag(const Table& t, const std::string& name, const std::string& path) {
  for (const auto& x : t.tags())
    if (x.name.size() == name.size() &&
        std::equal(x.name.begin(), x.name.end(), name.begin(),
                   [](char p, char q) { return std::toupper(static_cast<unsigned char>(p)) == std::toupper(static_cast<unsigned char>(q)); }))
      return x;
  for (const auto& w : t.warnings())
    if (w.code == WarnCode::index_unusable)
      throw UsageError(fmt::format("{}: no tag named {}: {}; run `xbase check {}`", path, name, w.to_string(), path));
  throw UsageError(fmt::format("{}: no tag named {}", path, name));
}

}  // namespace

int cmd_index(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"tag", "on", "for", "codepage", "file"},
                      {"unique", "candidate", "descending", "drop"});
  if (a.positional.size() != 1 || !a.options.count("tag") || (!a.options.count("on") && !a.has("drop")))
    throw UsageError(
        "usage: xbase index T.dbf --tag NAME --on \"KEY\" [--for \"COND\"] [--unique|--candidate] "
        "[--descending] [--file OTHER.cdx]\n       xbase index T.dbf --tag NAME --drop [--file OTHER.cdx]");
  auto t = open_table(a.positional[0], a, false);
  if (a.has("drop")) {
    t->drop_tag(a.get("tag"));
    t->close();
    return kOk;
  }
  TagSpec s;
  s.name = a.get("tag");
  s.key = a.get("on");
  s.for_expr = a.get("for");
  s.unique = a.has("unique");
  s.candidate = a.has("candidate");
  s.descending = a.has("descending");
  t->create_tag(s, a.get("file"));  // no --file: the structural index
  size_t keys = t->key_count(s.name);
  t->close();
  std::cerr << fmt::format("xbase index: tag {} built with {} keys\n", s.name, keys);
  return kOk;
}

int cmd_reindex(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"tag", "codepage", "file"}, {"json"});
  if (a.positional.empty()) throw UsageError("usage: xbase reindex T.dbf|DIR... [--tag NAME] [--file OTHER.cdx] [--json]");
  int rc = kOk;
  std::string js;
  const Tables found = expand_tables(a.positional);
  for (const auto& path : found.paths) {
    const std::string p = xbase::path_utf8(path);
    std::unique_ptr<Table> t;
    try {
      t = open_table(p, a, false);
    } catch (const Error& e) {
      // Another workstation has it open, or it does not open at all: say so, go on.
      std::cerr << "xbase reindex: " << e.what() << "\n";
      rc = std::max(rc, int(e.code() == Errc::in_use || e.code() == Errc::lock_timeout ? kFailed : kProblems));
      continue;
    }
    if (t->tags().empty()) {
      if (a.positional.size() == 1 && path == xbase::path_from_utf8(a.positional[0])) {
        std::cerr << "xbase reindex: " << p << ": no index to rebuild\n";
        rc = std::max(rc, int(kProblems));
      }
      continue;
    }
    if (a.options.count("tag")) {
      // One tag: drop it and build it again from its own definition.
      std::string name = a.get("tag");
      const TagInfo* ti = &need_tag(*t, name, p);
      TagSpec s{ti->name, ti->key_expr, ti->for_expr, ti->unique, ti->candidate, ti->descending};
      std::string file = ti->index_file;
      t->drop_tag(s.name);
      t->create_tag(s, xbase::path_from_utf8(file));
    } else {
      t->reindex();
    }
    const size_t rebuilt = a.options.count("tag") ? 1 : t->tags().size();
    if (a.has("json")) {
      js += js.empty() ? "{\"path\":" : ",{\"path\":";
      json::append_string(js, p);
      js += fmt::format(",\"tags_rebuilt\":{}}}", rebuilt);
    } else {
      std::cerr << fmt::format("xbase reindex: {}: {} tags rebuilt\n", p, rebuilt);
    }
    t->close();
  }
  if (a.has("json")) std::cout << "{\"tables\":[" << js << fmt::format("],\"skipped\":{}}}\n", found.skipped);
  return report_skipped(found, rc);
}

int cmd_seek(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"tag", "codepage", "file"}, {"exact", "soft"});
  if (a.positional.size() != 2 || !a.options.count("tag"))
    throw UsageError("usage: xbase seek T.dbf --tag NAME KEY [--exact|--soft] [--file OTHER.cdx]");
  auto t = open_table(a.positional[0], a, true);
  std::string name = a.get("tag");
  const TagInfo* ti = &need_tag(*t, name, a.positional[0]);
  // The key text becomes a value of the tag's key type.
  Field f;
  f.name = "KEY";
  switch (ti->key_type) {
    case 'N': f.type = FieldType::numeric; break;
    case 'D': f.type = FieldType::date; break;
    case 'T': f.type = FieldType::datetime; break;
    case 'L': f.type = FieldType::logical; break;
    default: f.type = FieldType::character; break;
  }
  Value key;
  try {
    key = value_from_csv(f, a.positional[1]);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  SeekMode mode = a.has("exact") ? SeekMode::exact : a.has("soft") ? SeekMode::soft : SeekMode::partial;
  auto r = t->seek(ti->name, key, mode);
  if (!r) {
    std::cerr << fmt::format("xbase seek: {}: \"{}\" not found in tag {}\n", a.positional[0], a.positional[1], ti->name);
    return kProblems;
  }
  Record rec = t->read(*r);
  std::string o = fmt::format("{{\"_recno\":{},\"_deleted\":{}", *r, rec.deleted());
  for (size_t i = 0; i < t->fields().size(); ++i) {
    o += ",";
    json::append_string(o, t->fields()[i].name);
    o += ":";
    append_json_value(o, t->get_tolerant(rec, i));
  }
  std::cout << o << "}\n";
  return kOk;
}

}  // namespace xbase::tool

#include "store/folder/folder_schema.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "store/clock.h"
#include "store/dictionary.h"
#include "store/errors.h"
#include "store/folder/folder_files.h"
#include "store/folder/folder_storage.h"
#include "store/folder/index_keys.h"
#include "store/open_amounts.h"
#include "store/row.h"
#include "xbase/cursor.h"
#include "xbase/file.h"
#include "xbase/transaction.h"

namespace fs = std::filesystem;
using xbase::Table;
using xbase::Value;

namespace invoicing::store::folder {

namespace {

constexpr int kSeatSlots = 50;  // SEATS records; the licence says how many may be used

std::string stamp_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

xbase::OpenOptions exclusive_use() {
  xbase::OpenOptions o;
  o.exclusive = true;
  return o;
}

// A character field's text without its padding ("" for a null).
std::string trimmed(const Value& v) {
  if (v.kind() != Value::Kind::text) return "";
  std::string s = v.str();
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

bool same_key(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool has_tag(const Table& t, const xbase::TagSpec& want, bool* differs) {
  for (const auto& i : t.tags())
    if (i.name == want.name) {
      *differs = i.key_expr != want.key || i.for_expr != want.for_expr || i.candidate != want.candidate;
      return true;
    }
  *differs = false;
  return false;
}

// Makes the table's tags what the dictionary declares (as of `version`); returns the names of
// the tags it (re)built.
std::vector<std::string> make_tags(Table& t, const TableDef& def, int version) {
  std::vector<std::string> built;
  for (const auto& ix : def.indexes) {
    if (ix.since > version) continue;
    auto spec = tag_spec(def, ix);
    bool differs = false;
    bool have = has_tag(t, spec, &differs);
    if (have && !differs) continue;
    if (have) t.drop_tag(spec.name);
    t.create_tag(spec);
    built.push_back(spec.name);
  }
  return built;
}

// Creates a table of the dictionary with its tags (fields as of `version`).
void create_table(const fs::path& path, const TableDef& def, int version,
                  const std::vector<xbase::Field>* autoinc_from = nullptr) {
  auto fields = fields_at(def, version);
  if (autoinc_from)
    for (auto& f : fields)
      for (const auto& o : *autoinc_from)
        if (f.autoinc && o.name == f.name) f.autoinc_next = o.autoinc_next;
  xbase::CreateOptions c;
  c.format = xbase::Format::vfp;
  c.codepage = 1252;
  auto t = Table::create(path, fields, c);
  make_tags(*t, def, version);
  t->close();
}

// The files of a table (DBF and its memo and index, when they exist).
std::vector<fs::path> files_of(const fs::path& dbf) {
  std::vector<fs::path> out;
  for (const char* ext : {".DBF", ".FPT", ".CDX"}) {
    fs::path p = dbf;
    p.replace_extension(ext);
    if (fs::exists(p)) out.push_back(p);
  }
  return out;
}

// What a record gains when its table is rebuilt for a newer version, beyond blank new fields.
void migrate(const TableDef& def, int from, Row& row) {
  if (from < 3 && (def.id == Tbl::customer || def.id == Tbl::supplier))
    row.flag(fld::business, !row.text(fld::vat).empty());
  if (from < 3 && def.id == Tbl::article) row.text(fld::kind, "G");
}

// Rebuilds a table with the dictionary's current fields: new files beside the old ones,
// records copied by field name (deleted records stay deleted), then swapped in
// (swap_in_table). An interruption leaves NAME.NEW.* beside or instead of the old files: the
// next upgrade finishes the swap or starts again (finish_table_swap).
void restructure(const fs::path& dir, const TableDef& def, int from) {
  const fs::path path = table_path(dir, def);
  const fs::path fresh = dir / (def.name + ".NEW.DBF");
  remove_table_files(fresh);
  {
    auto old = Table::open(path, exclusive_use());
    auto descriptors = old->descriptors();
    TableDef bare = def;
    bare.indexes.clear();
    create_table(fresh, bare, kSchemaVersion, &descriptors);
    xbase::OpenOptions wb = exclusive_use();
    wb.write_behind = true;
    auto neu = Table::open(fresh, wb);
    const auto& nf = neu->fields();
    const auto& of = old->fields();
    old->scan([&](const xbase::Record& r) {
      Row row;
      for (size_t i = 0; i < of.size(); ++i) row.set(of[i].name, r.get(i));
      migrate(def, from, row);
      std::vector<Value> vals(nf.size(), Value::empty());
      for (size_t i = 0; i < nf.size(); ++i)
        if (row.has(nf[i].name)) vals[i] = row.get(nf[i].name);
      uint32_t n = neu->append(vals);
      if (r.deleted()) neu->remove(n);
      return true;
    });
    neu->close();
  }
  swap_in_table(fresh, path);
}

bool fields_differ(const Table& t, const TableDef& def) {
  auto want = fields_at(def, kSchemaVersion);
  const auto& have = t.fields();
  if (want.size() != have.size()) return true;
  for (size_t i = 0; i < want.size(); ++i)
    if (want[i].name != have[i].name || want[i].type != have[i].type || want[i].length != have[i].length ||
        want[i].decimals != have[i].decimals)
      return true;
  return false;
}

// The copies are durable (xbase::copy_durably): the upgrade that follows rewrites the tables.
void copy_tables(const fs::path& dir, const fs::path& backup) {
  xbase::FileSystem& fsys = xbase::FileSystem::os();
  fsys.create_directories(backup);
  for (const auto& def : dictionary())
    for (const auto& f : files_of(table_path(dir, def))) xbase::copy_durably(fsys, f, backup / f.filename());
  for (const char* extra : {"LICENCE.TXT", "LICENCE.LIC"})
    if (fsys.exists(dir / extra)) xbase::copy_durably(fsys, dir / extra, backup / extra);
}

// Everyone else out: every table once for exclusive use.
void require_alone(const fs::path& dir, const std::string& why) {
  std::vector<std::unique_ptr<Table>> all;
  for (const auto& def : dictionary()) {
    if (!fs::exists(table_path(dir, def))) continue;
    try {
      all.push_back(Table::open(table_path(dir, def), exclusive_use()));
    } catch (const xbase::Error& e) {
      if (e.code() == xbase::Errc::in_use)
        throw UserError(fmt::format("{}, and {} is in use: close invoicing on every workstation, then try again", why,
                                    def.name));
      throw;
    }
  }
}

void write_version(const fs::path& dir, int version, const std::string& program) {
  auto schema = Table::open(table_path(dir, table_def(Tbl::schema)));
  xbase::Transaction tx{schema.get()};
  std::vector<std::pair<size_t, Value>> ch = {
      {schema->field_index_or_throw(fld::version), Value::integer(version)},
      {schema->field_index_or_throw(fld::updated), Value::datetime(now_datetime())},
      {schema->field_index_or_throw(fld::program), Value::text(program)}};
  auto r = schema->seek("NAME", Value::text("DATA"), xbase::SeekMode::exact);
  if (r) {
    schema->update(*r, ch);
  } else {
    std::vector<Value> v(schema->fields().size(), Value::empty());
    v[schema->field_index_or_throw(fld::name)] = Value::text("DATA");
    for (const auto& [i, val] : ch) v[i] = val;
    schema->append(v);
  }
  tx.commit();
}

}  // namespace

int schema_version(const fs::path& dir) { return schema_stamp(dir).version; }

SchemaStamp schema_stamp(const fs::path& dir) {
  const fs::path p = table_path(dir, table_def(Tbl::schema));
  if (!fs::exists(p)) return {};
  xbase::OpenOptions ro;
  ro.read_only = true;
  return schema_stamp(*Table::open(p, ro));
}

SchemaStamp schema_stamp(Table& t) {
  // Found and read in one operation: at the index's first use the record is read once,
  // under the lock that use takes.
  std::optional<xbase::Record> landed;
  xbase::Cursor(t, "NAME").find(Value::text("DATA"), xbase::SeekMode::exact, landed);
  if (!landed) return {};
  const xbase::Record& rec = *landed;
  SchemaStamp s;
  s.version = int(rec.get(fld::version).as_real());
  if (auto i = t.field_index(fld::program)) s.program = trimmed(rec.get(*i));
  return s;
}

void stamp_program(const fs::path& dir, const std::string& program) {
  write_version(dir, schema_version(dir), program);
}

std::string folder_setting(const fs::path& dir, const std::string& key) {
  const fs::path p = table_path(dir, table_def(Tbl::settings));
  if (!fs::exists(p)) return "";
  xbase::OpenOptions ro;
  ro.read_only = true;
  auto t = Table::open(p, ro);
  const size_t k = t->field_index_or_throw(fld::key), v = t->field_index_or_throw(fld::value);
  std::string found;
  // SETTINGS is small: a scan, so that no index is needed (the folder may be of any version).
  t->scan([&](const xbase::Record& r) {
    if (r.deleted() || !same_key(trimmed(r.get(k)), key)) return true;
    found = trimmed(r.get(v));
    return false;
  });
  return found;
}

void create_folder(const fs::path& dir, const FolderInit& init) {
  const int version = init.schema_version ? init.schema_version : kSchemaVersion;
  if (fs::exists(dir / "SCHEMA.DBF")) throw UserError(fmt::format("{} holds a company data folder already", dir.string()));
  if (fs::exists(dir) && !fs::is_empty(dir))
    throw UserError(fmt::format("{} is not empty: a new company needs a new or empty folder", dir.string()));
  auto& fsys = xbase::FileSystem::os();
  const fs::path parent = fs::absolute(dir).parent_path();
  const fs::path tmp = parent / fmt::format(".{}.init-{}", fs::absolute(dir).filename().string(), getpid());
  fsys.remove_all(tmp);  // a dead process of the same number left it
  fsys.create_directories(tmp);
  try {
    for (const auto& def : dictionary()) {
      if (def.since > version) continue;
      std::vector<xbase::Field> counters;
      if (auto it = init.autoinc_next.find(def.name); it != init.autoinc_next.end()) {
        for (auto f : fields_at(def, version))
          if (f.autoinc) {
            f.autoinc_next = it->second;
            counters.push_back(f);
          }
      }
      create_table(table_path(tmp, def), def, version, counters.empty() ? nullptr : &counters);
    }
    {
      auto t = Table::open(table_path(tmp, table_def(Tbl::settings)), exclusive_use());
      for (const auto& [k, v] : init.settings) {
        std::vector<Value> vals(t->fields().size(), Value::empty());
        vals[t->field_index_or_throw(fld::key)] = Value::text(k);
        vals[t->field_index_or_throw(fld::value)] = Value::text(v);
        t->append(vals);
      }
      auto s = Table::open(table_path(tmp, table_def(Tbl::seats)), exclusive_use());
      for (int i = 1; i <= kSeatSlots; ++i) s->append(std::vector<Value>{Value::integer(i)});
    }
    if (init.fill) init.fill(tmp);
    write_version(tmp, version, init.program);
    fsys.sync_dir(tmp);
    if (fsys.exists(dir)) std::filesystem::remove(dir);  // an empty folder (checked above): no file is lost
    fsys.rename(tmp, dir);
    fsys.sync_dir(parent);
  } catch (const xbase::Error& e) {
    try {
      fsys.remove_all(tmp);
    } catch (const xbase::Error&) {
    }
    if (e.code() == xbase::Errc::disk_full)
      throw xbase::Error(xbase::Errc::disk_full, {parent.string(), {}, {}, {}},
                         fmt::format("the disk is full: {} was not created (nothing is left behind); free some space and "
                                     "try again",
                                     dir.string()));
    throw;
  } catch (...) {
    try {
      fsys.remove_all(tmp);
    } catch (const xbase::Error&) {
    }
    throw;
  }
}

namespace {
// Writes kRulesFromDocSetting once: the ID after the highest document of the folder.
void mark_rules_start(const fs::path& dir) {
  if (!folder_setting(dir, kRulesFromDocSetting).empty()) return;  // an interrupted upgrade wrote it
  int64_t highest = 0;
  {
    auto docs = Table::open(table_path(dir, table_def(Tbl::doc)), exclusive_use());
    const size_t id = docs->field_index_or_throw(fld::id);
    docs->scan([&](const xbase::Record& r) {
      highest = std::max<int64_t>(highest, int64_t(r.get(id).as_real()));
      return true;
    });
  }
  auto settings = Table::open(table_path(dir, table_def(Tbl::settings)), exclusive_use());
  xbase::Transaction tx{settings.get()};
  std::vector<Value> v(settings->fields().size(), Value::empty());
  v[settings->field_index_or_throw(fld::key)] = Value::text(kRulesFromDocSetting);
  v[settings->field_index_or_throw(fld::value)] = Value::text(std::to_string(highest + 1));
  settings->append(v);
  tx.commit();
}
}  // namespace

UpgradeReport upgrade_folder(const fs::path& dir, int from, const std::string& program) {
  require_alone(dir, fmt::format("the data folder must be upgraded from schema version {} to {}", from, kSchemaVersion));
  UpgradeReport rep{from, kSchemaVersion, dir / "backups" / fmt::format("schema-v{}-{}", from, stamp_now())};
  copy_tables(dir, rep.backup);
  for (const auto& def : dictionary()) {
    const fs::path path = table_path(dir, def);
    const fs::path fresh = dir / (def.name + ".NEW.DBF");
    finish_table_swap(fresh, path);  // what an earlier upgrade left halfway
    if (!fs::exists(path)) {
      create_table(path, def, kSchemaVersion);
      continue;
    }
    bool differ = false;
    {
      xbase::OpenOptions ro;
      ro.read_only = true;
      differ = fields_differ(*Table::open(path, ro), def);
    }
    if (differ) restructure(dir, def, from);
    auto t = Table::open(path, exclusive_use());
    make_tags(*t, def, kSchemaVersion);
  }
  if (from < 3) mark_rules_start(dir);
  // Schema 7: each final invoice's open amount, before the version says the folder is complete
  // (cut off before that, the next program upgrades again and computes it then).
  if (from < 7) refresh_open_amounts(*FolderStorage::open(dir, false));
  // The commit point: the version says the folder is complete.
  write_version(dir, kSchemaVersion, program);
  return rep;
}

std::vector<std::string> rebuild_folder_indexes(const fs::path& dir) {
  require_alone(dir, "rebuilding the indexes needs the data folder to itself");
  std::vector<std::string> built;
  for (const auto& def : dictionary()) {
    if (def.indexes.empty()) continue;
    auto t = Table::open(table_path(dir, def), exclusive_use());
    for (const auto& name : make_tags(*t, def, kSchemaVersion)) built.push_back(def.name + ": " + name);
  }
  return built;
}

}  // namespace invoicing::store::folder

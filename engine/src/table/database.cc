// Reading a Visual FoxPro database container: the DBC is itself a table (OBJECTID, PARENTID,
// OBJECTTYPE, OBJECTNAME, PROPERTY memo, CODE memo, RIINFO, USER), one record per object; a
// table's fields, indexes and relations are the records whose PARENTID is the table's
// OBJECTID, in record order (docs/vfp-dbc.md).
#include "xbase/database.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "dbc/properties.h"
#include "table/table_files.h"
#include "xbase/table.h"

namespace xbase {

namespace fs = std::filesystem;

bool DatabaseTable::has_triggers() const {
  return !insert_trigger.empty() || !update_trigger.empty() || !delete_trigger.empty();
}

bool DatabaseTable::has_field_rules() const {
  return !rule.empty() || std::any_of(fields.begin(), fields.end(), [](const DatabaseField& f) { return !f.rule.empty(); });
}

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// A relative path as VFP stores it (backslashes, any case) in this system's form.
std::string slashed(std::string s) {
  std::replace(s.begin(), s.end(), '\\', '/');
  return s;
}

// The property entries as the reader's fields; the ones it has no name for are kept as they are.
struct Props {
  dbc::Properties p;
  std::vector<DatabaseProperty> other;
  std::string take(uint8_t id) {
    auto v = p.get(id);
    return v ? *v : std::string();
  }
};

}  // namespace

Database Database::read(const fs::path& dbc, FileSystem* fsys) {
  OpenOptions o;
  o.fs = fsys;
  o.read_only = true;
  Database db;
  db.path = dbc;
  auto t = Table::open(dbc, o);  // its own warnings (a missing .DCX, say) do not concern the tables
  const std::string file = dbc.string();
  auto need = [&](const char* name) {
    auto i = t->field_index(name);
    if (!i)
      throw Error(Errc::format, {file, {}, {}, {}},
                  fmt::format("not a database container: it has no {} field", name));
    return *i;
  };
  const size_t f_id = need("OBJECTID"), f_parent = need("PARENTID"), f_type = need("OBJECTTYPE"),
               f_name = need("OBJECTNAME"), f_prop = need("PROPERTY");
  const auto f_code = t->field_index("CODE");
  const auto f_ri = t->field_index("RIINFO");
  std::map<uint32_t, size_t> table_at;  // OBJECTID -> index in db.tables
  std::vector<std::pair<uint32_t, DatabaseField>> fields;
  std::vector<std::pair<uint32_t, DatabaseIndex>> indexes;
  std::vector<std::pair<uint32_t, DatabaseRelation>> relations;
  const uint32_t n = t->record_count();
  for (uint32_t r = 1; r <= n; ++r) {
    Record rec = t->read(r);
    if (rec.deleted()) continue;
    auto warn = [&](const std::string& what) {
      db.warnings.push_back({WarnCode::database_unreadable, {file, {}, r, {}}, what});
    };
    uint32_t id = 0, parent = 0;
    std::string type, name, prop;
    try {
      Value vi = rec.get(f_id), vp = rec.get(f_parent);
      id = vi.kind() == Value::Kind::integer ? uint32_t(vi.as_integer()) : 0;
      parent = vp.kind() == Value::Kind::integer ? uint32_t(vp.as_integer()) : 0;
      Value vt = rec.get(f_type), vn = rec.get(f_name), vm = rec.get(f_prop);
      type = (vt.kind() == Value::Kind::text) ? trimmed(vt.str()) : "";
      name = (vn.kind() == Value::Kind::text) ? trimmed(vn.str()) : "";
      if (vm.kind() == Value::Kind::binary || vm.kind() == Value::Kind::text) prop = vm.str();
      if (type == "Database" && name == "StoredProceduresSource" && f_code) {
        Value c = rec.get(*f_code);
        db.stored_procedures = (c.kind() == Value::Kind::binary || c.kind() == Value::Kind::text) && !c.str().empty();
      }
    } catch (const Error& e) {
      warn(e.detail() + "; the object is skipped");
      continue;
    }
    Props p{dbc::parse_properties({reinterpret_cast<const uint8_t*>(prop.data()), prop.size()}), {}};
    if (!p.p.problem.empty())
      warn(fmt::format("{} {}: property memo: {}; the entries before it are used", type, name, p.p.problem));
    auto others = [&](std::initializer_list<uint8_t> known) {
      std::vector<DatabaseProperty> out;
      for (const auto& e : p.p.entries)
        if (std::find(known.begin(), known.end(), e.id) == known.end()) out.push_back({e.id, e.value});
      return out;
    };
    if (type == "Table") {
      DatabaseTable dt;
      dt.id = id;
      dt.name = name;
      dt.path = p.take(dbc::path);
      dt.primary_key = p.take(dbc::primary_key);
      dt.rule = p.take(dbc::rule_expression);
      dt.rule_text = p.take(dbc::rule_text);
      dt.comment = p.take(dbc::comment);
      dt.insert_trigger = p.take(dbc::insert_trigger);
      dt.update_trigger = p.take(dbc::update_trigger);
      dt.delete_trigger = p.take(dbc::delete_trigger);
      dt.other = others({dbc::path, dbc::object_class, dbc::primary_key, dbc::rule_expression, dbc::rule_text,
                         dbc::comment, dbc::insert_trigger, dbc::update_trigger, dbc::delete_trigger});
      table_at[id] = db.tables.size();
      db.tables.push_back(std::move(dt));
    } else if (type == "Field") {
      DatabaseField f;
      f.name = name;
      f.default_value = p.take(dbc::default_value);
      f.rule = p.take(dbc::rule_expression);
      f.rule_text = p.take(dbc::rule_text);
      f.comment = p.take(dbc::comment);
      f.other = others({dbc::default_value, dbc::rule_expression, dbc::rule_text, dbc::comment});
      fields.emplace_back(parent, std::move(f));
    } else if (type == "Index") {
      auto v = p.p.get(dbc::index_primary);
      indexes.emplace_back(parent, DatabaseIndex{name, v && !v->empty() && (*v)[0] == 1});
    } else if (type == "Relation") {
      DatabaseRelation rel;
      rel.name = name;
      rel.child_tag = p.take(dbc::child_tag);
      rel.parent_table = p.take(dbc::parent_table);
      rel.parent_tag = p.take(dbc::parent_tag);
      if (f_ri) {
        Value v = rec.get(*f_ri);
        if (v.kind() == Value::Kind::text) rel.ri_info = trimmed(v.str());
      }
      relations.emplace_back(parent, std::move(rel));
    } else if (type == "View") {
      db.views.push_back(name);
    } else if (type == "Connection") {
      db.connections.push_back(name);
    }
  }
  // Children come after their table in every DBC seen, but only PARENTID says whose they are.
  auto owner = [&](uint32_t parent, const std::string& what) -> DatabaseTable* {
    auto it = table_at.find(parent);
    if (it != table_at.end()) return &db.tables[it->second];
    db.warnings.push_back({WarnCode::database_unreadable, {file, {}, {}, {}},
                           fmt::format("{} belongs to object {}, which is not a table", what, parent)});
    return nullptr;
  };
  for (auto& [parent, f] : fields)
    if (auto* t2 = owner(parent, "field " + f.name)) t2->fields.push_back(std::move(f));
  for (auto& [parent, ix] : indexes)
    if (auto* t2 = owner(parent, "index " + ix.name)) t2->indexes.push_back(std::move(ix));
  for (auto& [parent, rel] : relations)
    if (auto* t2 = owner(parent, "relation " + rel.name)) {
      rel.child_table = t2->name;
      t2->relations.push_back(std::move(rel));
    }
  return db;
}

const DatabaseTable* Database::table_for(const fs::path& dbf) const {
  // The table's path relative to the DBC's folder, compared without case.
  const std::string want = lower_ascii(dbf.filename().string());
  const DatabaseTable* by_name = nullptr;
  for (const auto& t : tables) {
    const std::string p = slashed(t.path);
    const std::string file = lower_ascii(fs::path(p).filename().string());
    if (file == want) return &t;
    if (lower_ascii(t.name) == lower_ascii(dbf.stem().string())) by_name = &t;
  }
  return by_name;
}

fs::path resolve_backlink(FileSystem& fsys, const fs::path& table, const std::string& backlink) {
  fs::path rel(slashed(backlink));
  fs::path p = rel.is_absolute() ? rel : table.parent_path() / rel;
  p = p.lexically_normal();
  if (fsys.exists(p)) return p;
  // Another case on disk (VFP wrote the name on a file system that ignores case).
  const std::string want = lower_ascii(p.filename().string());
  for (const auto& name : fsys.list_dir(p.parent_path()))
    if (lower_ascii(name) == want) return p.parent_path() / name;
  return p;
}

}  // namespace xbase

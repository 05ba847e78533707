#include "database_fixture.h"

#include <cctype>

namespace xbase::test {

namespace fs = std::filesystem;

void write_dbc(const fs::path& dbc, const std::vector<DbcObject>& objects) {
  CreateOptions o;
  o.overwrite = true;
  // The DBC's own layout (docs/vfp-dbc.md): VFP writes these eight fields.
  auto t = Table::create(dbc,
                         parse_field_list("OBJECTID I, PARENTID I, OBJECTTYPE C(10), OBJECTNAME C(128), "
                                          "PROPERTY M BINARY, CODE M BINARY, RIINFO C(6), USER M"),
                         o);
  for (const auto& ob : objects) {
    std::vector<Value> v{Value::integer(ob.id),       Value::integer(ob.parent),
                         Value::text(ob.type),        Value::text(ob.name),
                         Value::binary(dbc::encode_properties(ob.props)), Value::binary(""),
                         Value::text(ob.riinfo),      Value::text("")};
    t->append(v);
  }
  t->close();
}

std::vector<DbcObject> database_objects(const std::vector<MemberTable>& tables) {
  using P = dbc::Property;
  std::vector<DbcObject> out;
  out.push_back({1, 1, "Database", "Database", {P{dbc::db_version, 1, std::string("\0\0\0\x0a", 4)}}, ""});
  uint32_t id = 1;
  for (const auto& t : tables) {
    const uint32_t tid = ++id;
    DbcObject to{tid, 1, "Table", t.name, {P{dbc::object_class, 1, "\x01"}, P{dbc::path, 1, t.name + ".dbf"}}, ""};
    if (!t.primary_key.empty()) to.props.push_back({dbc::primary_key, 1, t.primary_key});
    if (!t.insert_trigger.empty()) to.props.push_back({dbc::insert_trigger, 1, t.insert_trigger});
    if (!t.update_trigger.empty()) to.props.push_back({dbc::update_trigger, 1, t.update_trigger});
    if (!t.delete_trigger.empty()) to.props.push_back({dbc::delete_trigger, 1, t.delete_trigger});
    out.push_back(to);
    for (const auto& f : t.fields) {
      DbcObject fo{++id, tid, "Field", f.long_name, {}, ""};
      if (!f.default_value.empty()) fo.props.push_back({dbc::default_value, 1, f.default_value});
      if (!f.rule.empty()) fo.props.push_back({dbc::rule_expression, 1, f.rule});
      out.push_back(fo);
    }
    for (const auto& ix : t.indexes)
      out.push_back({++id, tid, "Index", ix, {P{dbc::index_primary, 1, std::string(1, ix == t.primary_key ? '\1' : '\0')}}, ""});
  }
  return out;
}

std::unique_ptr<Table> create_member(const fs::path& dbc, const MemberTable& t) {
  std::string spec;
  for (const auto& f : t.fields) {
    std::string shortname = f.long_name.substr(0, 10);
    for (auto& c : shortname) c = char(std::toupper(static_cast<unsigned char>(c)));
    spec += (spec.empty() ? "" : ", ") + shortname + " " + f.type;
  }
  CreateOptions o;
  o.overwrite = true;
  o.backlink = dbc.filename().string();
  return Table::create(dbc.parent_path() / (t.name + ".dbf"), parse_field_list(spec), o);
}

}  // namespace xbase::test

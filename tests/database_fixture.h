// Visual FoxPro databases for tests: DBC files written record by record with the property
// encoding of docs/vfp-dbc.md, and member tables whose backlink points at them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dbc/properties.h"
#include "xbase/table.h"

namespace xbase::test {

struct DbcObject {
  uint32_t id = 0, parent = 0;
  std::string type, name;  // "Database", "Table", "Field", "Index", "Relation"
  std::vector<dbc::Property> props;
  std::string riinfo;
};

// Writes a DBC (and its .DCT memo) holding these object records.
void write_dbc(const std::filesystem::path& dbc, const std::vector<DbcObject>& objects);

struct MemberField {
  std::string long_name;  // the DBF gets its first 10 characters, upper case
  std::string type;       // as parse_field_list writes it: "I", "C(40)", "N(12,2) NULL", "M"
  std::string default_value, rule;
};

struct MemberTable {
  std::string name;  // the table name; its DBF is name + ".dbf"
  std::vector<MemberField> fields;
  std::string primary_key;  // an index name
  std::vector<std::string> indexes;
  std::string insert_trigger, update_trigger, delete_trigger;
};

// The object records of a database holding these tables.
std::vector<DbcObject> database_objects(const std::vector<MemberTable>& tables);

// Creates the member table's DBF beside the DBC (short names, backlink to the DBC's file
// name); returns it open for exclusive use.
std::unique_ptr<Table> create_member(const std::filesystem::path& dbc, const MemberTable& t);

}  // namespace xbase::test

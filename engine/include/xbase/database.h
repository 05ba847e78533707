// A Visual FoxPro database container (.DBC with its .DCT memo): the tables that belong to it,
// their fields' long names, indexes, persistent relations, and the rules, defaults and
// triggers defined there (FoxPro code, which the engine reports but cannot run).
// docs/vfp-dbc.md describes the format.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "xbase/error.h"
#include "xbase/file.h"

namespace xbase {

struct DatabaseProperty {  // an entry the reader has no name for, kept as it was
  uint8_t id = 0;
  std::string value;
};

struct DatabaseField {
  std::string name;  // the long name (up to 128 characters), as the DBC spells it
  std::string default_value, rule, rule_text, comment;
  std::vector<DatabaseProperty> other;
};

struct DatabaseIndex {
  std::string name;
  bool primary = false;  // the table's primary key
};

struct DatabaseRelation {
  std::string name;
  std::string child_table, child_tag, parent_table, parent_tag;
  std::string ri_info;  // RIINFO: referential integrity (update, delete, insert), as stored
};

struct DatabaseTable {
  uint32_t id = 0;
  std::string name;  // the table's name in the database
  std::string path;  // its DBF, relative to the DBC, as stored
  std::string primary_key, rule, rule_text, comment;
  std::string insert_trigger, update_trigger, delete_trigger;
  std::vector<DatabaseField> fields;  // in the DBF's field order
  std::vector<DatabaseIndex> indexes;
  std::vector<DatabaseRelation> relations;  // where this table is the child
  std::vector<DatabaseProperty> other;
  bool has_triggers() const;
  bool has_field_rules() const;  // a field or record rule
};

struct Database {
  std::filesystem::path path;
  std::vector<DatabaseTable> tables;
  std::vector<std::string> views, connections;
  bool stored_procedures = false;  // the database holds stored procedure source
  std::vector<Warning> warnings;   // object records that did not read

  // Reads a DBC (shared, read-only). Throws Error when it is not a database container.
  static Database read(const std::filesystem::path& dbc, FileSystem* fs = nullptr);
  // The table whose path names this DBF (compared without case and folder separators' kind);
  // nullptr when the database has no such table.
  const DatabaseTable* table_for(const std::filesystem::path& dbf) const;
};

// Where a table's backlink points: the DBC path, relative to the table's folder (backslashes
// read as separators); the file's spelling on disk when it exists in another case.
std::filesystem::path resolve_backlink(FileSystem& fs, const std::filesystem::path& table,
                                       const std::string& backlink);

}  // namespace xbase

// How the data dictionary becomes PostgreSQL tables: one table per dictionary table (lower-case
// names), a column per field, a generated row id (the store's RowId), and an index per
// dictionary index (unique ones UNIQUE, case-insensitive parts on upper(), skip_zero ones
// partial). The SCHEMA table holds the version, as in a data folder. Values travel as text.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/dictionary.h"
#include "store/postgres/pg_connection.h"
#include "store/storage.h"
#include "xbase/value.h"

namespace invoicing::store::postgres {

std::string table_name(const TableDef& t);   // "customer", quoted
std::string column_name(std::string_view field);  // "\"code\""
std::string index_name(const TableDef& t, const IndexDef& ix);

// The text a value is stored as for a field (nullopt: NULL); text loses trailing blanks as in
// a fixed-width field.
std::optional<std::string> to_param(const xbase::Field& f, const xbase::Value& v);
// The value of a column read back as text (NULL: blank).
xbase::Value from_text(const xbase::Field& f, bool null, const std::string& text);
// "$3::numeric" for a field's parameter.
std::string cast_of(const xbase::Field& f);

struct SchemaStamp {
  int version = 0;  // 0: the database holds no company
  std::string program;
};
SchemaStamp schema_stamp(PgConnection& c);

// The statements that create every table and index of the dictionary (no transaction of its own).
std::string schema_ddl();
// What brings the tables of schema version `from` to the current one: new tables, new columns
// (blank), new indexes.
std::string upgrade_ddl(int from);
// Runs it and writes the new version, in one transaction (a failure leaves the database as it
// was).
void upgrade_schema(PgConnection& c, int from, const std::string& program);
// Drops every table of the dictionary (a migration into the database that failed its check).
void drop_schema(PgConnection& c);

// Creates every table, index and the SCHEMA and SETTINGS records in one transaction; refused
// when the database holds a company already.
// `notes`: SETTINGS records whose text is their NOTE (the licence file).
void create_schema(PgConnection& c, const std::vector<std::pair<std::string, std::string>>& settings,
                   const std::vector<std::pair<std::string, std::string>>& notes, const std::string& program);
void stamp_program(PgConnection& c, const std::string& program);

// Writes a company file (schema 8's company_file; storage.h FileKind), replacing one of that
// name, in whatever transaction `c` runs.
void put_file(PgConnection& c, FileKind kind, std::string_view name, const std::string& bytes);
// A company file's bytes (nullopt: none).
std::optional<std::string> get_file(PgConnection& c, FileKind kind, std::string_view name);

// What is missing or different from the dictionary (tables, columns, indexes).
std::vector<std::string> check_schema(PgConnection& c);

}  // namespace invoicing::store::postgres

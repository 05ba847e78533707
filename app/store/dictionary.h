// The data dictionary: every table of a company data folder, its fields and tags, and the
// schema version each appeared in. Opening a folder of an older version upgrades it to this
// one (store/company.cc); a newer one is refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "xbase/index.h"
#include "xbase/schema.h"

namespace invoicing::store {

// Version 1: the first release. Version 2: articles have a minimum stock, and finalizations,
// cancellations and conversions are written to an audit log.
inline constexpr int kSchemaVersion = 2;

struct FieldDef {
  std::string spec;  // xbase field notation: "NAME C(60)"
  int since = 1;
};

struct TagDef {
  xbase::TagSpec spec;
  int since = 1;
};

struct TableDef {
  std::string name;  // file name without extension, upper case
  int since = 1;
  std::vector<FieldDef> fields;
  std::vector<TagDef> tags;
};

const std::vector<TableDef>& dictionary();
const TableDef& table_def(std::string_view name);
// The table's fields as of a schema version (for creating it, or an older folder in tests).
std::vector<xbase::Field> fields_at(const TableDef& t, int version);

}  // namespace invoicing::store

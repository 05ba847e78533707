// Which source column feeds which logical field: recognised from the header names, or given
// by the user ("Klant nr=code,Fax=") and kept as a named profile for the next import.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "import/fields.h"

namespace invoicing::import {

// Pairs of (source column header, field name); an empty field means "ignore this column".
using MappingPairs = std::vector<std::pair<std::string, std::string>>;

struct ColumnMapping {
  std::vector<std::string> headers;   // the file's header row, as written
  std::vector<int> column_field;      // by column: the field index, or -1
  std::vector<int> field_column;      // by field: the column index, or -1
  std::vector<bool> explicit_column;  // by column: mapped (or ignored) by the user

  // The columns that feed no field, as written.
  std::vector<std::string> unmapped() const;
  // A column's header as the user knows it ("column C" when the header cell is empty).
  std::string column_label(size_t column) const;
};

// "Source column=field,Other=field,Ignored=" -> pairs. Throws ImportError for an entry
// without '='.
MappingPairs parse_mapping(std::string_view text);

// Maps `headers` to the fields of `target`: the explicit pairs first (each must name a
// column of the file and a field of the target, no field twice), then every other column
// whose folded header is one of a field's aliases, the first such column winning.
// Throws ImportError naming `file` for a pair that names no column or no field.
ColumnMapping map_columns(const TargetDef& target, const std::vector<std::string>& headers,
                          const MappingPairs& explicit_pairs, const std::string& file);

// A mapping saved under a name, with the reading options that go with the files it is for.
struct ImportProfile {
  std::string name;
  Target target = Target::customers;
  MappingPairs mapping;
  std::string sheet;      // "" when not fixed
  std::string encoding;   // "" detect, "utf-8", "windows-1252"
  char separator = 0;     // 0 detect
  char decimal_mark = 0;  // 0 detect
};

// A line-based text format, one setting per line, the column last so that it may hold any
// character but a line break:
//   # invoicing import profile
//   name Klanten uit Winbooks
//   target customers
//   decimal ,
//   map code Klant nr
//   ignore Fax
std::string serialize_profile(const ImportProfile& profile);
// Throws ImportError naming the line that is wrong.
ImportProfile parse_profile(std::string_view text);

}  // namespace invoicing::import

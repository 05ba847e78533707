// The PROPERTY memo of a Visual FoxPro database container (.DBC) record: a run of entries,
// each a little-endian uint32 entry length (counting its own 7 header bytes), a uint16 (1 in
// every entry seen), a property id byte, then the value (docs/vfp-dbc.md). Pure bytes, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace xbase::dbc {

// Property ids (docs/vfp-dbc.md says which were seen in real files and which are from the
// documentation's property list only).
enum PropertyId : uint8_t {
  path = 0x01,            // table: its DBF, relative to the DBC
  object_class = 0x02,    // table: 1
  comment = 0x07,
  rule_expression = 0x09, // field or table (record) validation rule
  rule_text = 0x0A,
  default_value = 0x0B,   // field
  child_tag = 0x0D,       // relation: the child table's tag
  insert_trigger = 0x0E,
  update_trigger = 0x0F,
  delete_trigger = 0x10,
  index_primary = 0x11,   // index: 1 for the table's primary key
  parent_table = 0x12,    // relation
  parent_tag = 0x13,      // relation
  primary_key = 0x14,     // table: its primary key's tag
  db_version = 0x18,      // database: 4 bytes
};

struct Property {
  uint8_t id = 0;
  uint16_t kind = 0;  // the uint16 before the id
  std::string value;  // the value bytes (a text's terminating NUL removed)
};

struct Properties {
  std::vector<Property> entries;
  std::string problem;  // empty when the memo parsed whole; else what is wrong, and where
  // The value of the first entry with this id.
  std::optional<std::string> get(uint8_t id) const;
};

// Never throws: a malformed memo gives the entries before the fault and a problem that names
// the offset.
Properties parse_properties(std::span<const uint8_t> memo);

// The entries again as bytes (tests and the fuzz target build memos with it).
std::string encode_properties(const std::vector<Property>& entries);

}  // namespace xbase::dbc

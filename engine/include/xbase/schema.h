// Table structure: formats, field types and field descriptors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xbase {

// The product family a table belongs to; decides memo format and which types exist.
enum class Format {
  dbase3,  // 0x03 / 0x83, DBT memo (dBASE III)
  dbase4,  // 0x03 / 0x8B, DBT memo (dBASE IV block headers)
  fox2,    // 0x03 / 0xF5, FPT memo
  vfp,     // 0x30 / 0x31 / 0x32, FPT memo, binary types, nulls
};

const char* format_name(Format f);
std::optional<Format> parse_format(std::string_view name);  // "vfp" "fox2" "db3" "db4"

enum class FieldType : char {
  character = 'C',
  numeric = 'N',
  floating = 'F',
  date = 'D',
  logical = 'L',
  memo = 'M',
  general = 'G',
  picture = 'P',
  integer = 'I',
  currency = 'Y',
  datetime = 'T',
  double_ = 'B',
  varchar = 'V',
  varbinary = 'Q',
  blob = 'W',
  nullflags = '0',
};

struct Field {
  std::string name;  // upper case, at most 10 characters
  // The long name a Visual FoxPro database (DBC) gives the field; empty for free tables.
  // Expressions, field lookups and the tools accept either name.
  std::string long_name;
  FieldType type = FieldType::character;
  uint16_t length = 0;
  uint8_t decimals = 0;
  bool nullable = false;
  bool binary = false;  // NOCPTRANS: bytes are never translated
  bool system = false;  // hidden (_NullFlags)
  bool autoinc = false;
  int32_t autoinc_next = 0;
  uint8_t autoinc_step = 0;

  // Filled in by the layout: byte offset in the record, bits in _NullFlags (-1 = none).
  uint32_t offset = 0;
  int null_bit = -1;
  int length_bit = -1;

  bool is_memo() const;  // the field holds a pointer into the memo file
  // The name to show: the long name when there is one.
  const std::string& display_name() const { return long_name.empty() ? name : long_name; }
};

// Parses "ID I, NAME C(40), AMOUNT N(12,2) NULL, NOTE M, CODE C(5) BINARY, NR I AUTOINC".
std::vector<Field> parse_field_list(std::string_view spec);
std::string describe_field(const Field& f);  // the same notation, for one field

}  // namespace xbase

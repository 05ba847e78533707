// JSON string quoting shared by both command lines (and every JSON the programs print): one
// escaper, so that the tools and the invoicing program agree on every byte.
#pragma once

#include <string>
#include <string_view>

namespace common {

// Appends s as a quoted JSON string: '"' and '\' escaped, \n \r \t by name, every other
// control character and DEL (0x7F) as \u00XX; all other bytes (UTF-8 included) as they are.
void append_json_string(std::string& out, std::string_view s);
std::string json_string(std::string_view s);

}  // namespace common

// PostgreSQL's COPY text form of one value: backslash, tab, newline and carriage return
// escaped (the column and row separators and the escape itself). Used by `xbase export` and
// the store's migration, which both send rows with COPY ... FROM STDIN.
#pragma once

#include <string>
#include <string_view>

namespace common {

void append_copy_text(std::string& out, std::string_view value);

}  // namespace common

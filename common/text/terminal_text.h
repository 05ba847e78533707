// Text from files (table and field names, record values, paths) shown on a terminal: control
// characters a file could carry (BEL, ESC sequences that recolour or retitle the terminal, CR
// that overwrites a line) are shown as \xNN instead of being sent raw.
#pragma once

#include <string>
#include <string_view>

namespace common {

// s with every C0 control character except newline, CR before newline and tab, DEL (0x7F), and the C1 controls
// as UTF-8 (U+0080..U+009F, e.g. the one-byte CSI) written as \xNN per byte; all else as is.
// Newlines are kept so that whole messages of several lines can be passed through.
std::string terminal_text(std::string_view s);

}  // namespace common

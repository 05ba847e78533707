// CODA, the Belgian banks' coded statement of account (Febelfin standard, version 2.x):
// fixed 128-character records — 0 header, 1 old balance, 2.1/2.2/2.3 movement, 3.x
// information, 4 free message, 8 new balance, 9 trailer. A file may hold several statements
// (one 0 … 9 group each).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bank/statement.h"

namespace invoicing::bank {

// `bytes`: the file's content (ISO-8859-1 text, lines ending in LF or CRLF); `file_name` is
// only used in messages. Throws StatementError naming the file, the line and the positions
// that are wrong; also when the movements do not add up from the old to the new balance.
std::vector<Statement> parse_coda(std::string_view bytes, const std::string& file_name);

}  // namespace invoicing::bank

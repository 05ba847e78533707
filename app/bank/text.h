// Small text helpers the statement parsers share.
#pragma once

#include <string>
#include <string_view>

namespace invoicing::bank {

// ISO-8859-1 bytes → UTF-8 (CODA files are Latin-1; each byte is its own code point).
std::string latin1_to_utf8(std::string_view latin1);
// Without leading and trailing spaces (and tabs, CR, LF).
std::string trim(std::string_view s);
// Upper case, spaces removed: "be68 5390 0754 7034" → "BE68539007547034".
std::string normalize_iban(std::string_view s);

}  // namespace invoicing::bank

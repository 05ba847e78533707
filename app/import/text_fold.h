// Folding text for comparison: header names and country or language names match whatever
// their case, accents, spaces and punctuation ("N° TVA" = "ntva", "België" = "belgie").
#pragma once

#include <string>
#include <string_view>

namespace invoicing::import {

// Lower case, accents removed, only letters, digits and '%' kept (a "BTW %" column is not a
// "BTW" column). UTF-8 in and out.
std::string fold_key(std::string_view text);

// Accents removed, upper case, only A-Z and 0-9 kept: what a generated code may hold.
std::string ascii_upper_alnum(std::string_view text);

// The number of characters (code points) of valid UTF-8.
size_t utf8_length(std::string_view text);

}  // namespace invoicing::import

// Countries as exports write them: ISO codes ("BE", "bel") or names in Dutch, French,
// English or German ("België", "Belgique", "Pays-Bas", "Nederland"). The names come from
// ICU's locale data, so every country is known in all four languages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace invoicing::import {

// The ISO 3166 alpha-2 code (upper case), or nullopt when the text names no country.
std::optional<std::string> country_code(std::string_view text);

// Whether `code` (upper case) is an ISO 3166 alpha-2 country code.
bool is_country_code(std::string_view code);

}  // namespace invoicing::import

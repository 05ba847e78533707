// The editions the program is sold as, and what each allows. One table, so that a gated
// action can say which edition offers it.
#pragma once

#include <optional>
#include <string_view>

namespace invoicing::domain {

enum class Edition { free, basic, pro, full };

const char* edition_name(Edition e);  // "Free", "Basic", "Pro", "Full"
std::optional<Edition> edition_from_name(std::string_view s);  // any case
// How many programs may work in the company's data at once: 1, 3, 10, 50.
int seat_count(Edition e);

}  // namespace invoicing::domain

// Belgian structured payment reference (OGM / VCS, "gestructureerde mededeling"):
// +++123/4567/89012+++ — ten digits and two check digits = the ten digits mod 97, or 97
// when the remainder is 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace invoicing::domain {

// "+++ddd/dddd/ddddd+++" for base (zero-padded to 10 digits). Throws std::invalid_argument
// when base ≥ 10^10.
std::string ogm_from_number(uint64_t base);

// Accepts "+++ddd/dddd/ddddd+++", "***ddd/dddd/ddddd***" and 12 bare digits; spaces are
// ignored. True when the form is right and the check digits match.
bool ogm_valid(std::string_view text);

// The ten-digit base of a valid reference; nullopt when ogm_valid() is false.
std::optional<uint64_t> ogm_base(std::string_view text);

}  // namespace invoicing::domain

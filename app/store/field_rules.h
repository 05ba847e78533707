// Input checked against the data dictionary before anything is written, so that a user reads
// "a customer code has at most 10 characters" instead of an engine error about bytes and
// offsets: text length in characters of the table's codepage (Windows-1252), characters the
// codepage lacks, control characters, and decimals against the field's places and size.
#pragma once

#include <string>
#include <string_view>

#include "domain/money.h"
#include "store/dictionary.h"

namespace invoicing::store {

// Checks `text` for the field and returns it; throws UserError naming `label` ("a customer
// code") otherwise. Line breaks are allowed in memo fields only.
std::string checked_text(Tbl t, std::string_view field, const std::string& text, std::string_view label);
// Checks that `d` fits the field (digits before and after the point) as domain::check_field
// does for document lines; throws UserError naming `label` and the limit otherwise.
domain::Decimal checked_decimal(Tbl t, std::string_view field, const domain::Decimal& d, std::string_view label);
// Parses decimal text for the field ("12.5", also with a decimal comma); throws UserError.
domain::Decimal parse_decimal(Tbl t, std::string_view field, const std::string& text, std::string_view label);

// Text made to fit a field where refusing is no option (a user or workstation name written
// into seat and audit records): characters the codepage lacks become their closest letter or
// '?', and it is cut to the field's length in characters.
std::string fitted_text(Tbl t, std::string_view field, const std::string& text);

// The longest text a field takes, in characters ("C(10)" -> 10; memo fields: 0, no limit).
size_t text_limit(Tbl t, std::string_view field);

}  // namespace invoicing::store

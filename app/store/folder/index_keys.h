// How the dictionary's indexes become CDX tags in a data folder, and lookup values become
// seek keys: one rule for both, so a key built for a seek is always the key the tag holds.
//
// A one-field index is the field itself (UPPER(field) for case-insensitive text); an index of
// several fields concatenates text forms that sort as the values do: text padded to its
// width, numbers right-aligned as STR(field, width, decimals), integers as STR(field, 11),
// dates as DTOS(field).
#pragma once

#include <string>
#include <vector>

#include "store/dictionary.h"
#include "xbase/index.h"
#include "xbase/table.h"

namespace invoicing::store::folder {

xbase::TagSpec tag_spec(const TableDef& t, const IndexDef& ix);

// The seek value for the leading `prefix` values of an index (partial seek: the tag's keys
// begin with it). `t` is the open table (its codepage upper-cases text as the tag does).
xbase::Value seek_value(const xbase::Table& t, const TableDef& def, const IndexDef& ix,
                        const std::vector<xbase::Value>& prefix);

// Whether a stored row's leading index fields equal the prefix (text compared without trailing
// blanks, upper-cased where the index is).
bool prefix_matches(const xbase::Table& t, const IndexDef& ix, const xbase::Record& r,
                    const std::vector<xbase::Value>& prefix);

// UPPER() of UTF-8 text as the table's codepage upper-cases it ("zoë" -> "ZOË" in 1252);
// text the codepage cannot hold is returned unchanged (no record can hold it either).
std::string upper_as_table(const xbase::Table& t, const std::string& utf8);

}  // namespace invoicing::store::folder

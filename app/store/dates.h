// The store's dates (xbase::Date, as the tables hold them) and the rules' (domain::Date, which
// compare and count days) side by side: one conversion each way, and ISO text for messages.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "domain/date.h"
#include "xbase/value.h"

namespace invoicing::store {

inline domain::Date to_domain(const xbase::Date& d) { return {d.year, d.month, d.day}; }
inline xbase::Date to_xbase(const domain::Date& d) { return {d.year, d.month, d.day}; }

// "2026-03-31"; "" for none.
inline std::string iso(const xbase::Date& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }
inline std::string iso(const std::optional<xbase::Date>& d) { return d ? iso(*d) : std::string(); }

}  // namespace invoicing::store

// The audit log: who finalized, converted, cancelled or corrected what, and when. Written as
// the last table of the action it records, so it holds exactly what was committed.
#pragma once

#include <cstdint>
#include <string>

#include "store/company.h"

namespace invoicing::store {

void audit(Company& c, const std::string& action, int32_t doc, const std::string& text);

}  // namespace invoicing::store

// The audit log: who finalized, converted, cancelled or corrected what, and when. Written as
// the last table of the action it records, so it holds exactly what was committed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/company.h"

namespace invoicing::store {

void audit(Company& c, const std::string& action, int32_t doc, const std::string& text);

struct AuditEntry {
  int32_t id = 0, doc = 0;  // doc 0: not about one document
  std::string when;         // "YYYY-MM-DD HH:MM:SS"
  std::string user, workstation, action, text;
};
struct AuditFilter {
  std::optional<int32_t> doc;  // read through the DOC index
  std::string user, action;    // user: a user or workstation name; case does not matter
  std::optional<xbase::Date> from, to;
  size_t last = 50;  // the last entries that pass, oldest first; 0: all
};
// The audit log as an administrator reads it: who did what, and when.
std::vector<AuditEntry> audit_log(Company& c, const AuditFilter& f);

}  // namespace invoicing::store

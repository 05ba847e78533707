// Another administration's records added to this one in one action: a restore in append mode
// ("only add the backup's data to what is there"). Customers, suppliers and articles are
// matched by code or added (a clashing code gets a suffix), documents with their lines,
// stock moves, payments and audit entries are added with new identities and their links
// (SOURCE, DOCID, PARTY, ARTICLE) kept, and the numbering counters end consistent.
//
// Refused, with nothing changed: an invoice or credit note number of the same type and
// fiscal year on both sides, a merged gap-free series that would not be 1..n, a record whose
// link points nowhere.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "store/company.h"

namespace invoicing::store {

// Calls `fn` with every record of table `t` of the other administration (its live records of
// the current schema, faulty ones left out), in the order they were stored.
using MergeSource = std::function<void(Tbl t, const std::function<void(const Row&)>& fn)>;

struct MergeReport {
  std::map<std::string, int> added;    // "customers" -> 3, "documents" -> 120, ...
  std::map<std::string, int> matched;  // "customers" -> 9: the same party was here already
  std::vector<std::string> notes;      // codes given a suffix, audit entries re-attributed
};

// The tables merge adds records to; the others (settings, numbering, users, seats, schema)
// are this administration's own. A table the dictionary gains that is in neither list makes
// merge refuse a backup with records in it (it would not know how to link them).
bool merge_adds(Tbl t);
bool merge_keeps_own(Tbl t);

// Checks everything and, unless `dry_run`, adds the records in one action. `source_name`
// names the backup in the audit entry the merge writes.
MergeReport merge(Company& c, const MergeSource& src, const std::string& source_name, bool dry_run);

}  // namespace invoicing::store

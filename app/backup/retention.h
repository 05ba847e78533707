// Which automatic backups to keep: the newest of each of the last `daily` days that have one,
// and the newest of each of the last `weekly` weeks (Monday to Sunday) that have one; the
// others are removed. Pure rules, so that tests can give any dates.
#pragma once

#include <string>
#include <vector>

namespace invoicing::backup {

// `created` as the manifests hold it ("2026-01-15T14:32:05+0100"); returns the indexes of
// the backups to remove. Backups whose time does not read are kept.
std::vector<size_t> backups_to_remove(const std::vector<std::string>& created, int daily, int weekly);

}  // namespace invoicing::backup

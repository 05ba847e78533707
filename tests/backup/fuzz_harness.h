// What the backup archive fuzz target does with one input, shared with the regression test:
// the bytes opened as a backup ZIP (every check of a restore before anything is written),
// every entry read and checked against the manifest; and the same bytes parsed as a manifest.
// Refusals (UserError) are the expected outcome; anything else escaping is a bug.
#pragma once

#include <cstddef>
#include <cstdint>

namespace backup_fuzz {

void run_one(const uint8_t* data, size_t size);

}  // namespace backup_fuzz

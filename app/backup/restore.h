// Restoring a backup: checked whole before anything changes (the ZIP and its manifest, the
// version rules, every table as `xbase check` sees it, every record), then either
//  - replace: built in a staging folder beside the data folder, verified, and swapped in by
//    directory renames (the old folder or the new one, never a mix: folder_swap.h); or
//  - append: the backup's customers, suppliers, articles and documents added to the data
//    there is, in one action (store/merge.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "backup/record_check.h"
#include "store/merge.h"
#include "store/storage.h"

namespace invoicing::backup {

enum class RestoreMode { replace, append };

struct RestoreOptions {
  std::filesystem::path zip;
  std::filesystem::path data;  // the data folder (replace: it may not exist yet)
  RestoreMode mode = RestoreMode::replace;
  bool ignore_faulty = false;  // leave faulty records out (listed) instead of refusing
  bool dry_run = false;        // check everything, change nothing
  store::Identity who;
};

struct RestoreReport {
  Manifest manifest;
  std::vector<FaultyRecord> skipped;          // faulty records left out (--ignore-faulty)
  std::vector<std::string> verify_problems;   // what verify still finds (--ignore-faulty)
  std::vector<std::string> notes;             // upgrade, licence, audit attribution, carried files
  store::MergeReport merged;                  // append
  bool changed = false;                       // false: dry run
};

RestoreReport restore(const RestoreOptions& o);

}  // namespace invoicing::backup

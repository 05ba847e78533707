// Taking a backup: one ZIP with every table, memo and index of the company as of one moment
// (while colleagues keep working: store/folder/folder_gate.h), the licence, the logo and the
// layouts (and the issued PDFs when asked), and a manifest. The tables are copied with the
// commit gate closed, then the gate opens and the copy is hashed and compressed, so that a
// workstation waits at most for the copy. The ZIP is written under a temporary name and
// renamed when complete.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "store/company.h"

namespace invoicing::backup {

struct BackupOptions {
  std::filesystem::path to;  // the folder the backup goes into
  bool with_pdf = false;     // also pdf/ (issued PDFs)
  bool automatic = false;    // --auto: marked so, and old automatic backups are removed
  int compression = 1;       // deflate level (1: fast; tables compress well at any level)
};

struct BackupResult {
  std::filesystem::path file;
  Manifest manifest;
  double gate_seconds = 0;   // how long commits had to wait (the copy)
  double total_seconds = 0;
  uint64_t bytes = 0;        // the ZIP's size
  std::vector<std::filesystem::path> removed;  // old automatic backups
};

BackupResult make_backup(store::Company& c, const BackupOptions& o);

// The automatic backups of this company in `dir` that the retention settings
// (backup_keep_daily, backup_keep_weekly) no longer keep; removes them and returns them.
std::vector<std::filesystem::path> prune_automatic(store::Company& c, const std::filesystem::path& dir);

}  // namespace invoicing::backup

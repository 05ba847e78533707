// A temporary folder of our own, removed with what it holds when it goes out of scope (local:
// a backup's copy is compressed from it; a database's backup and restore pass through a data
// folder made in it). It holds a whole copy of the company, so one a killed process left
// behind is removed by the next backup or restore (its owner's lock on OWNER.LCK is gone).
#pragma once

#include <filesystem>
#include <memory>

#include "xbase/file.h"

namespace invoicing::backup {

struct TempFolder {
  std::filesystem::path path;
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

 private:
  std::unique_ptr<xbase::File> owner_;  // locked while this folder is in use
};

// Removes the folders `TempFolder` made in `base` whose owners are gone: their lock can be
// taken, or (no lock file: a process killed before making it, or an earlier release) they
// have not changed for an hour. Best effort; returns how many it removed.
int remove_abandoned_temp_folders(const std::filesystem::path& base);
// The same in the system's temporary folder (TMPDIR, TEMP); 0 when there is none.
int remove_abandoned_temp_folders();

}  // namespace invoicing::backup

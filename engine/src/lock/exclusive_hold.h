// Exclusive use of a table held by a maintenance run (repair) across several opens of it:
// the run checks, copies, edits the files raw and opens the table again, and no other program
// may get in between. The hold takes the share lock (LockLayout::open()) and flock() as an
// exclusive open does; while it lives, opens of that table by this process take the hold as
// theirs (TableLocks::take_use takes no use lock of its own), where a second lock of ours on
// another open file description would refuse them. Other processes are refused as by any
// exclusive open.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "lock/whole_file_lock.h"
#include "xbase/file.h"

namespace xbase::lock {

class ExclusiveHold {
 public:
  // Throws Errc::in_use, as an exclusive open does, when another program has the table open.
  ExclusiveHold(FileSystem& fsys, const std::filesystem::path& dbf);
  ~ExclusiveHold();
  ExclusiveHold(const ExclusiveHold&) = delete;
  ExclusiveHold& operator=(const ExclusiveHold&) = delete;

  // Whether this process holds the table at `dbf_path` (a File's path) this way.
  static bool covers(const std::string& dbf_path);

 private:
  std::string key_;
  std::unique_ptr<File> file_;
  WholeFileLock whole_;
};

}  // namespace xbase::lock

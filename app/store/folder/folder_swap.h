// Replacing a whole data folder by another one built beside it (a restore), so that an
// interruption at any moment leaves the old folder or the new one, never a mix. Directory
// renames do it: the staging folder is made complete and marked, the old folder is renamed
// away, the staging folder renamed into its place, the old one removed. Whoever opens the
// folder next settles what an interrupted replace left (settle_replace; Company::open calls
// it). docs/backup.md lists the steps and the recovery rule.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace xbase {
class File;
}

namespace invoicing::store::folder {

inline constexpr const char* kStagingMark = "RESTORE.OK";   // the staging folder is complete
inline constexpr const char* kStagingLock = "RESTORE.LCK";  // its owner is alive while locked

// A staging folder beside `dir` (<parent>/.<name>.restore-<pid>), created empty and owned by
// this process (its lock file is locked) while the object lives.
class Staging {
 public:
  explicit Staging(const std::filesystem::path& dir);
  ~Staging();  // removes the folder unless it was swapped in
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Replaces `dir` with the staging folder. `step` is called after each step that changes
  // something on disk (tests stop the process there). Refused, with nothing changed, while
  // anyone has a table of `dir` open.
  void swap_into(const std::filesystem::path& dir, const std::function<void(const char*)>& step);

 private:
  std::filesystem::path path_;
  std::unique_ptr<xbase::File> lock_;
  bool swapped_ = false;
};

// Settles what an interrupted replace of `dir` left: when `dir` is missing, a complete staging
// folder of a dead restore is renamed into place, else the old folder back; a completed swap's
// old folder is removed. With `tidy`, also removes dead restores' staging folders. Throws
// UserError when a live restore is between its renames (try again in a moment).
void settle_replace(const std::filesystem::path& dir, bool tidy = false);

// The programs that have `dir` open, by their seats ("anna on PC-1"); empty when none.
std::vector<std::string> folder_users(const std::filesystem::path& dir);

}  // namespace invoicing::store::folder

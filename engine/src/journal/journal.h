// The commit journal: one file per process and data folder (`_xbase_<id>.xbj`), holding the
// after-images of one transaction's changes while they are written to the tables. The full
// protocol and the recovery rule are in docs/transactions.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xbase/file.h"

namespace xbase::journal {

inline constexpr const char* kExtension = ".xbj";
// The owner holds this byte of its journal exclusively for as long as it lives.
inline constexpr uint64_t kOwnerLock = 0x7FFFFFFF;

// One file's part of a commit: its name in the folder, the size it was cut to (if it was),
// the bytes written by offset, and what those ranges held before (as far as the file reached:
// a range past the old end has a shorter before-image). Recovery writes the new bytes only
// where every range still holds either its old or its new bytes.
struct FileChange {
  std::string name;
  std::optional<uint64_t> truncate_to;
  const std::map<uint64_t, std::vector<uint8_t>>* extents = nullptr;
  std::map<uint64_t, std::vector<uint8_t>> before;
};

class Journal {
 public:
  // This process's journal in `dir` (created on first use, shared by every transaction on
  // tables of that folder through that file system; removed when the last user lets go).
  static std::shared_ptr<Journal> for_folder(FileSystem& fs, const std::filesystem::path& dir);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Writes the changes with a checksum and syncs the journal: the commit point.
  void write(const std::vector<FileChange>& changes);
  // Marks the journal empty (and syncs it) once the changes are durable in the tables.
  void clear();
  // Gives the journal up after a commit that could not be applied: it stays committed and
  // unlocked, so that the next process (or this one) completes it.
  void abandon();
  bool abandoned() const { return !file_; }
  // Completes this journal's commit now (after apply failed once); false when that failed too.
  bool complete();
  // After a failed write(): makes the journal say "nothing" again; false when that failed
  // too (then the outcome is open: the next process replays the commit if it is whole).
  bool undo();
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Journal(FileSystem& fs, std::filesystem::path dir, std::filesystem::path path,
          std::unique_ptr<File> io, std::unique_ptr<File> owner)
      : fs_(fs), dir_(std::move(dir)), path_(std::move(path)), owner_(std::move(owner)),
        file_(std::move(io)) {}
  FileSystem& fs_;
  std::filesystem::path dir_;
  std::filesystem::path path_;
  std::unique_ptr<File> owner_;  // holds the owner lock
  std::unique_ptr<File> file_;   // reads and writes
  uint64_t sequence_ = 0;
};

struct RecoveryReport {
  int replayed = 0;   // committed journals whose changes were written again
  int discarded = 0;  // journals without a complete commit (the tables were never touched)
  // Committed journals NOT replayed: another program changed those bytes since the process
  // died (one that does not read journals). Kept as NAME.xbj.stale for the administrator.
  std::vector<std::string> stale;
};

// Before anything in `dir` is read: completes every journal whose owner is gone, and waits
// (up to `wait`) while a live process is writing a committed change into the tables. `own`
// is the caller's own journal, left alone. Throws Errc::lock_timeout when the wait expires,
// Errc::io when a journal needs completing but cannot be written.
RecoveryReport settle(FileSystem& fs, const std::filesystem::path& dir,
                      const std::filesystem::path* own, std::chrono::milliseconds wait);

// The folder a table's journal lives in ("." for a bare file name).
std::filesystem::path folder_of(const std::filesystem::path& table);

}  // namespace xbase::journal

// The commit journal: one file per process and data folder (`_xbase_<id>.xbj`), holding the
// after-images of one transaction's changes while they are written to the tables. This is its
// writer; its bytes are journal_format.h, the recovery of other programs' journals
// recovery.h. The full protocol and the recovery rule are in docs/transactions.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal_format.h"
#include "xbase/file.h"

namespace xbase::journal {

struct LiveJournal;  // recovery.h
struct HeldSpare;    // recovery.h

inline constexpr const char* kExtension = ".xbj";
// The owner holds this byte of its journal exclusively for as long as it lives.
inline constexpr uint64_t kOwnerLock = 0x7FFFFFFF;

class Journal {
 public:
  // This process's journal in `dir` (on first use a spare journal another process left in the
  // folder, or a new one; shared by every transaction on tables of that folder through that
  // file system; left empty in the folder, a spare, when the last user lets go).
  static std::shared_ptr<Journal> for_folder(FileSystem& fs, const std::filesystem::path& dir);
  // This process's journal in `dir` if it has one now (never creates one).
  static std::shared_ptr<Journal> existing(FileSystem& fs, const std::filesystem::path& dir);
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
  // Completes this journal's commit now (after apply failed once), through the caller's own
  // handles where it has the file open (recovery.h: replay); false when that failed too.
  bool complete(const std::map<std::string, File*>& open = {});
  // After a failed write(): makes the journal say "nothing" again, or finds that it holds no
  // whole commit anyway; false when neither (then the outcome is open: the next process
  // replays the commit if it is whole).
  bool undo();
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& dir() const { return dir_; }
  uint32_t flag_slot() const { return flag_slot_; }  // 1 + its commit flag's slot; 0: none

 private:
  // A new journal (under the registry's lock, by for_folder).
  // `avoid`: slots known journals name (claim_flag_slot takes them last).
  static std::shared_ptr<Journal> create(FileSystem& fs, const std::filesystem::path& dir,
                                         const std::vector<uint32_t>& avoid);
  // One of the spares the folder's last listing found, taken with the slot it names (its
  // owner lock and its slot's lock free, its header empty, its flag clear); null when none is.
  static std::shared_ptr<Journal> adopt(FileSystem& fs, const std::filesystem::path& dir,
                                        const std::vector<LiveJournal>& spares);
  // The spare this process's watch kept at its listing (FolderWatch::take_held_spare), taken
  // with its slot; null (its owner lock let go) when the slot is not to be had.
  static std::shared_ptr<Journal> adopt_held(FileSystem& fs, const std::filesystem::path& dir, HeldSpare held);
  Journal(FileSystem& fs, std::filesystem::path dir, std::filesystem::path path,
          std::unique_ptr<File> io, std::unique_ptr<File> owner)
      : fs_(fs), dir_(std::move(dir)), path_(std::move(path)), owner_(std::move(owner)),
        file_(std::move(io)) {}
  FileSystem& fs_;
  std::filesystem::path dir_;
  std::filesystem::path path_;
  std::unique_ptr<File> owner_;  // holds the owner lock (null: file_ holds it)
  std::unique_ptr<File> file_;   // reads and writes
  uint64_t sequence_ = 0;
  std::unique_ptr<File> mark_;   // the journal marker, holding our commit flag's slot lock
  uint32_t flag_slot_ = 0;       // 1 + that slot; 0: none (readers read our header instead)
  bool empty_ = true;  // cleared and synced since its last commit (or never written)
  void write_empty_header();
  void release_slot();
  void release_owner();  // its owner lock goes, and the handles (file_ null: abandoned)
};

// Lets a journal's owner lock go before its handle closes (Windows frees a closed handle's
// locks only "eventually"; a POSIX close drops them in the same call).
void unlock_owner(File& f);

// The folder a table's journal lives in ("." for a bare file name).
std::filesystem::path folder_of(const std::filesystem::path& table);

}  // namespace xbase::journal

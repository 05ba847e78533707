// Recovery: completing the commits of programs that stopped halfway, before anything in their
// folder is read. A journal whose owner is gone and which holds a whole commit is replayed
// (its after-images written into the tables again) when every range still holds its old or
// its new bytes; otherwise it is kept aside as NAME.xbj.stale. docs/transactions.md has the
// protocol.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal_format.h"
#include "xbase/file.h"

namespace xbase::journal {

struct RecoveryReport {
  int replayed = 0;   // committed journals whose changes were written again
  int discarded = 0;  // journals without a complete commit (the tables were never touched)
  // Committed journals NOT replayed: another program changed those bytes since the process
  // died (one that does not read journals). Kept as NAME.xbj.stale for the administrator.
  std::vector<std::string> stale;
  // FolderWatch::settle: the marker's replay bytes (kMarkReplaysAt) read once every recovery
  // this settle wrote or waited for was over (empty when the marker has none).
  std::vector<uint8_t> replays;
  // FolderWatch::settle: the marker and the journals that may be committing read as the last
  // listing left them (nothing listed, completed or waited for).
  bool as_before = false;
};

// Before anything in `dir` is read: completes every journal whose owner is gone, and waits
// (up to `wait`) while a live process is writing a committed change into the tables. `own`
// is the caller's own journal, left alone. Throws Errc::lock_timeout when the wait expires,
// Errc::io when a journal needs completing but cannot be written.
// `live`, when given, receives the journals whose owners were alive in the last round, and the
// spares: empty journals without an owner, kept for the next process to take (Journal::for_folder).
// A journal found at the listing, and the slot of its commit flag its header names (1 + slot;
// 0: none).
struct LiveJournal {
  std::filesystem::path path;
  uint32_t flag_slot = 0;
  bool spare = false;  // no owner, empty: a process that closed (or died between commits) left it
};
// `new_seen`: the `….xbj.new` files (a creator's journal before its name) earlier listings of
// this process saw, and when first; one whose lock is free is removed (its creator died before
// naming it) only once a listing at least kNewJournalGrace earlier saw it too, because a live
// creator's file is free in the moment between its creation and its lock (removed then, its
// creation starts over under a new name: under load, colleagues' listings met every attempt).
// Without it, a free one is removed at once.
using NewSightings = std::map<std::string, std::chrono::steady_clock::time_point>;
inline constexpr std::chrono::seconds kNewJournalGrace{2};
// A spare journal a listing kept for this process (OpenOptions::keep_spare_journal): its owner
// lock held since the listing read its header, so that header (empty, naming `journal`'s slot)
// and its name are as the listing found them (only an owner writes a journal, and nobody removes
// one without its lock). Journal::for_folder takes it without opening, locking and reading it again.
// Its owner lock goes with it (explicitly: Windows frees a closed handle's locks only
// "eventually"), unless it was moved on.
struct HeldSpare {
  HeldSpare() = default;
  HeldSpare(std::unique_ptr<File> f, LiveJournal j, uint64_t seq)
      : file(std::move(f)), journal(std::move(j)), sequence(seq) {}
  HeldSpare(HeldSpare&&) = default;
  HeldSpare& operator=(HeldSpare&& o) noexcept;  // the one it held let go first
  ~HeldSpare();
  std::unique_ptr<File> file;  // read-write, holding the owner lock
  LiveJournal journal;
  uint64_t sequence = 0;  // its header's commit sequence
};
// `hold`, when given and empty, receives the first spare kept; a journal it already holds is
// not opened again. Either is in `live` as a spare all the same: once this process lets it go
// (its slot not to be had) another may take it without a marker change, and a quick settle
// reads it only if the listing knew it as a spare (FolderWatch::unchanged).
RecoveryReport settle(FileSystem& fs, const std::filesystem::path& dir,
                      const std::filesystem::path* own, std::chrono::milliseconds wait,
                      std::vector<LiveJournal>* live = nullptr, NewSightings* new_seen = nullptr,
                      std::optional<HeldSpare>* hold = nullptr);

// The journal marker (`_xbase_journals.xbj.mark`): a creator writes 16 fresh random bytes
// into it after giving a new journal its name and before that journal's first commit.
inline constexpr const char* kMarkName = "_xbase_journals.xbj.mark";
// `mark`: the marker already open for writing (the journal's flag slot holds it), else opened.
void announce_journal(FileSystem& fs, const std::filesystem::path& dir, File* mark = nullptr);
// Creates the marker when the folder has none yet (never by truncating).
void make_mark(FileSystem& fs, const std::filesystem::path& dir);

// After the marker's 16 bytes, one commit flag per slot: 1 while the owner of the journal that
// holds the slot commits (set and synced before its commit point, cleared once the journal is
// empty again). A settle reads the marker in one call and reads only the headers of the
// journals whose flag is set, however many colleagues' programs hold journals. A journal's
// owner holds its slot by a lock on byte kSlotLockAt + slot of the marker file (beyond its
// bytes: Windows refuses to read locked bytes); the slot is in the journal's header.
inline constexpr size_t kMarkNaming = 16, kFlagSlots = 240;
inline constexpr uint64_t kSlotLockAt = 0x7FFF0000;
// After the flags, 8 bytes a recovery writes afresh (random) before it writes a dead owner's
// commit into the tables: a settle that finds them moved tells the folder's tables to read
// their indexes again (FolderWatch::replay_changes; docs/transactions.md, "After a completion").
inline constexpr size_t kMarkReplays = 8;
inline constexpr uint64_t kMarkReplaysAt = kMarkNaming + kFlagSlots;
void announce_replay(FileSystem& fs, const std::filesystem::path& dir);
struct FlagSlot {
  std::unique_ptr<File> mark;  // read-write, holding the slot's lock
  uint32_t slot = 0;
};
// A free slot (its lock free and its flag clear: a set flag of a dead owner stays for its
// recovery), or nothing when the marker cannot be opened or every slot is taken. Slots in
// `avoid` (named by journals the caller's watch knows: spares keep naming theirs) are taken
// only when no other is free.
std::optional<FlagSlot> claim_flag_slot(FileSystem& fs, const std::filesystem::path& dir,
                                        const std::vector<uint32_t>& avoid = {});
// At most this many spare journals are kept per folder; a listing removes those beyond. Each
// costs every listing an open, a lock, a read and a close; each one taken saves its taker a
// journal's creation (two syncs, a listing). A small office's programs seldom start 8 at once.
inline constexpr size_t kMaxSpares = 8;
// Sets (and syncs) or clears (no sync: a flag left set costs a reader one header read) a flag.
void set_commit_flag(File& mark, uint32_t slot, bool committing);

// How long a reader outside a transaction (and a table's open for shared use) goes on from
// the folder's last settle before it looks again.
inline constexpr std::chrono::milliseconds kReaderSettleInterval{1000};

// settle() without a directory listing when nothing can have changed (one per process, folder
// and file system, shared by its open tables and transactions): a listing remembers the
// marker's bytes read before it and keeps the journals of live owners it found open; a later
// settle only reads the marker and those journals' headers, and lists again when the marker
// changed or one of them holds a commit (or cannot be read). docs/transactions.md has why
// that finds every commit a listing would.
class FolderWatch {
 public:
  static std::shared_ptr<FolderWatch> for_folder(FileSystem& fs, const std::filesystem::path& dir);
  // The folder's watch in this process if there is one (never creates one).
  static std::shared_ptr<FolderWatch> existing(FileSystem& fs, const std::filesystem::path& dir);
  // `fresh_within` > 0: nothing when a settle ended within it, as found once the watch's lock
  // is ours (tables opened side by side all ask at once; the first settles for the others).
  RecoveryReport settle(const std::filesystem::path* own, std::chrono::milliseconds wait,
                        std::chrono::milliseconds fresh_within = {});
  // The spare journals the last listing found (none before a listing): Journal::for_folder
  // takes one of them instead of creating a journal.
  std::vector<LiveJournal> spares();
  // The slots (1 + slot) the journals of the last listing name, live or spare.
  std::vector<uint32_t> named_slots();
  // This process let its journal go empty: it is a spare from now on, and this watch must know
  // it as one (the listings skipped it as this process's own; another process may take it
  // with its slot without any marker change).
  void add_spare(const LiveJournal& j);
  // From now on this watch's listings keep the first spare they find for this process while it
  // has no journal, its owner lock held until take_held_spare() or the watch's end
  // (OpenOptions::keep_spare_journal).
  void keep_spare();
  std::optional<HeldSpare> take_held_spare();
  // settle() for a reader outside any transaction, at most once per `interval` (no file
  // call in between): a dead process's half-applied commit is seen for no longer than that.
  RecoveryReport settle_for_read(std::chrono::milliseconds interval, std::chrono::milliseconds wait);
  // The next settle lists the folder (this process gave its own journal up committed: no
  // marker or flag change would make it look at that journal otherwise).
  void list_next();
  // How often a settle of this watch found the replay bytes moved (or completed a commit
  // itself): someone wrote a dead process's commit into the tables under the counters that
  // process had already moved, so pages decoded since it died may look current and are not.
  uint64_t replay_changes() const { return replay_changes_.load(); }
  FolderWatch(FileSystem& fs, std::filesystem::path dir) : fs_(fs), dir_(std::move(dir)) {}

 private:
  // `hold`: keep a spare (keep_spare() asked for it, and the process has no journal).
  RecoveryReport list(const std::filesystem::path* own, std::chrono::milliseconds wait, bool hold);
  // `replays`: set when it returns true. `own_slot`: this process's journal's flag slot.
  bool unchanged(uint32_t own_slot, std::vector<uint8_t>& replays);
  std::optional<std::vector<uint8_t>> read_mark();
  FileSystem& fs_;
  std::filesystem::path dir_;
  std::mutex mu_;
  bool listed_ = false;
  std::chrono::steady_clock::time_point last_settle_{};
  std::unique_ptr<File> mark_;             // kept open once it exists
  std::optional<std::vector<uint8_t>> seen_;  // the marker's 16 bytes before the last listing
  std::optional<std::vector<uint8_t>> last_replays_;  // the replay bytes the last settle read
  std::atomic<uint64_t> replay_changes_{0};
  RecoveryReport saw(RecoveryReport r);

  struct Known {
    std::unique_ptr<File> file;
    uint32_t flag_slot = 0;  // 1 + its commit flag's slot; 0: none (its header read each time)
  };
  std::vector<Known> known_;  // journals of live owners at the last listing
  // Spare journals at the last listing (each names a slot): a process may have taken one
  // since, keeping its slot, without a marker change (docs/transactions.md, "Spare journals").
  std::vector<LiveJournal> spares_;
  NewSightings new_seen_;  // settle()'s `new_seen`, across this watch's listings
  bool keep_spare_ = false;
  std::optional<HeldSpare> held_;  // settle()'s `hold`
};

// Files the caller has open, by name in the folder.
using OpenFiles = std::map<std::string, File*>;

// Writes a committed body's after-images into the files of `dir` again (each file cut first
// when the transaction cut it) and syncs them. Writing the same bytes twice changes nothing,
// so this may run any number of times. A file in `open` is written through that handle: on
// Windows the byte-range locks a handle holds (a memo's header lock) refuse writes through
// every other handle, even one of the same process.
void replay(FileSystem& fs, const std::filesystem::path& dir,
            const std::vector<format::ParsedFile>& files, const OpenFiles& open = {});

}  // namespace xbase::journal

#include "journal/journal.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "journal/journal_format.h"
#include "journal/recovery.h"
#include "lock/whole_file_lock.h"
#include "xbase/error.h"

namespace fs = std::filesystem;

namespace xbase::journal {

using namespace format;

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::pair<FileSystem*, std::string>, std::weak_ptr<Journal>> open;
};
// Never destroyed: a table a static object holds is closed at exit, after function statics
// would be gone, and its journal tells the watch about its spare (found by ASan in bench/micro).
Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

std::string random_id(FileSystem& fs) { return fmt::format("{:016x}", fs.random()); }

}  // namespace

fs::path folder_of(const fs::path& table) {
  fs::path d = table.parent_path();
  return d.empty() ? fs::path(".") : d;
}

void unlock_owner(File& f) {
  if (lock::os_descriptor(f) >= 0) return;
  try {
    f.unlock(kOwnerLock, 1);
  } catch (...) {
  }
}

std::shared_ptr<Journal> Journal::for_folder(FileSystem& fs, const fs::path& dir) {
  if (auto had = existing(fs, dir)) return had;  // (without waiting for the watch's lock)
  // Asked outside the registry's lock: a settle holds its watch's lock while it asks the
  // registry for this process's journal (the two orders deadlocked).
  auto watch = FolderWatch::for_folder(fs, dir);
  std::vector<LiveJournal> spares = watch->spares();
  const std::vector<uint32_t> named = watch->named_slots();
  std::optional<HeldSpare> held = watch->take_held_spare();
  std::shared_ptr<Journal> j;
  bool created = false;
  {
    auto& reg = registry();
    std::lock_guard<std::mutex> g(reg.mu);
    auto key = std::make_pair(&fs, fs::absolute(dir).lexically_normal().string());
    if (auto had = reg.open[key].lock(); had && !had->abandoned()) return had;  // (`held` let go)
    if (held) {
      const fs::path kept = held->journal.path;
      j = adopt_held(fs, dir, std::move(*held));
      // Not taken (its slot not to be had): not tried again among the others.
      if (!j)
        spares.erase(std::remove_if(spares.begin(), spares.end(),
                                    [&](const LiveJournal& s) { return s.path == kept; }),
                     spares.end());
    }
    if (!j) j = adopt(fs, dir, spares);
    if (!j) {
      j = create(fs, dir, named);
      created = true;
    }
    reg.open[key] = j;
  }
  // Our own change of the marker: the next settle would read it, see it differ and list; it
  // lists at once (one read fewer per process). A spare taken with its slot changed nothing.
  if (created) watch->list_next();
  return j;
}

namespace {
// The marker open for writing, holding the lock of a spare's commit flag slot (1 + slot),
// whose flag is clear; null when the slot is another journal's now, or its flag is set: a dead
// owner's, left for its recovery. Readers know the spare by that slot: a journal committing
// under another one must be announced (Journal::create does that).
std::unique_ptr<File> take_slot(FileSystem& fs, const fs::path& dir, uint32_t flag_slot) {
  const uint32_t slot = flag_slot - 1;
  std::unique_ptr<File> mark;
  bool locked = false;
  try {
    mark = fs.open(dir / kMarkName, OpenMode::read_write);
    locked = mark->lock(kSlotLockAt + slot, 1, LockMode::exclusive, false);
    uint8_t flag = 0;  // (a marker of an earlier release may end before it: clear)
    if (locked) mark->read_at(kMarkNaming + slot, &flag, 1);
    if (locked && flag == 0) return mark;
  } catch (const Error&) {
  }
  try {
    if (locked) mark->unlock(kSlotLockAt + slot, 1);
  } catch (const Error&) {
  }
  return nullptr;
}
}  // namespace

std::shared_ptr<Journal> Journal::adopt_held(FileSystem& fs, const fs::path& dir, HeldSpare held) {
  // Its header and name are as its reader found them: held under its owner lock since.
  auto mark = held.journal.flag_slot <= kFlagSlots ? take_slot(fs, dir, held.journal.flag_slot) : nullptr;
  if (!mark) return nullptr;  // (its owner lock let go with `held`)
  std::shared_ptr<Journal> j(new Journal(fs, dir, held.journal.path, std::move(held.file), nullptr));
  j->mark_ = std::move(mark);
  j->flag_slot_ = held.journal.flag_slot;
  j->sequence_ = held.sequence;
  return j;
}

std::shared_ptr<Journal> Journal::adopt(FileSystem& fs, const fs::path& dir,
                                        const std::vector<LiveJournal>& spares) {
  for (const auto& s : spares) {
    if (!s.flag_slot || s.flag_slot > kFlagSlots) continue;
    std::unique_ptr<File> f;
    bool owner_locked = false;
    try {
      // By its real name: its owner lock says who holds it. This release removes an empty
      // journal that names a slot only beyond kMaxSpares, under its lock (recovery.cc), and a
      // replayed one, whose header names no slot; an earlier release removes spares under
      // their lock. So once we hold it the name must still be there, or commits here would be
      // found by nobody.
      f = fs.open(s.path, OpenMode::read_write);
      owner_locked = f->lock(kOwnerLock, 1, LockMode::exclusive, false);
      const auto h = owner_locked ? read_header(*f) : std::nullopt;
      // Used since (closed again, died committing) or removed: not ours.
      if (h && h->state == kEmpty && h->flag_slot == s.flag_slot && fs.exists(s.path)) {
        owner_locked = false;  // handed on: let go by adopt_held when not taken
        if (auto j = adopt_held(fs, dir, HeldSpare(std::move(f), s, h->sequence))) return j;
        continue;
      }
    } catch (const Error&) {
      // Gone or unreadable: the next one, or a new journal.
    }
    if (owner_locked) unlock_owner(*f);
  }
  return nullptr;
}

std::shared_ptr<Journal> Journal::create(FileSystem& fs, const fs::path& dir, const std::vector<uint32_t>& avoid) {
  // A colleague's listing removes a `.new` journal whose lock is free (its creator died before
  // naming it, recovery.cc): between our create and our lock it removes ours too, and the
  // rename fails. Each attempt has a new name; under load (a creator descheduled in that
  // window while every colleague lists after a journal was announced) three attempts all met
  // it once (the SIGKILL numbering stress test, 2026-12-06).
  constexpr int kAttempts = 10;
  for (int attempt = 0;; ++attempt) {
    // Created under a name recovery ignores, locked, then renamed: a journal under its real
    // name always has a live owner holding its lock, or none.
    const std::string name = "_xbase_" + random_id(fs) + kExtension;
    const fs::path tmp = dir / (name + ".new"), final_path = dir / name;
    try {
      auto f = fs.open(tmp, OpenMode::create);
      if (!f->lock(kOwnerLock, 1, LockMode::exclusive, false))
        throw Error(Errc::io, {tmp.string(), kOwnerLock, {}, {}}, "cannot lock a new journal");
      fs.rename(tmp, final_path);
      fs.sync_dir(dir);
      // Written through a descriptor opened by the real name (so that errors name it); the
      // first one keeps holding the lock.
      auto io = fs.open(final_path, OpenMode::read_write);
      std::shared_ptr<Journal> j(new Journal(fs, dir, final_path, std::move(io), std::move(f)));
      // A slot for our commit flag, named in our header before others can list us.
      make_mark(fs, dir);
      if (auto slot = claim_flag_slot(fs, dir, avoid)) {
        j->mark_ = std::move(slot->mark);
        j->flag_slot_ = slot->slot + 1;
        try {
          j->write_empty_header();
        } catch (const Error&) {
          // (A full disk: the commit says so.) Unwritten, the journal names no slot until its
          // first commit writes its header: readers read it at every settle until then.
        }
      }
      // Before its first commit: a process that listed the folder before the rename lists it
      // again when it sees the marker changed (recovery.h: FolderWatch).
      announce_journal(fs, dir, j->mark_.get());
      return j;
    } catch (const Error&) {
      try {
        if (fs.exists(tmp)) fs.remove(tmp);
      } catch (const Error&) {
      }
      if (attempt == kAttempts - 1) throw;
      fs.yield();
    }
  }
}

std::shared_ptr<Journal> Journal::existing(FileSystem& fs, const fs::path& dir) {
  auto& reg = registry();
  std::lock_guard<std::mutex> g(reg.mu);
  auto it = reg.open.find(std::make_pair(&fs, fs::absolute(dir).lexically_normal().string()));
  if (it == reg.open.end()) return nullptr;
  auto j = it->second.lock();
  return j && !j->abandoned() ? j : nullptr;
}

// Our commit flag's slot goes (its flag stays as it is: set, it waits for our journal's recovery).
void Journal::release_slot() {
  if (!mark_) return;
  // Closing a POSIX descriptor drops its locks in the same call; Windows frees a closed
  // handle's locks only "eventually".
  if (lock::os_descriptor(*mark_) < 0) {
    try {
      mark_->unlock(kSlotLockAt + flag_slot_ - 1, 1);
    } catch (...) {
    }
  }
  mark_.reset();
}

Journal::~Journal() {
  // Our watch's listings skipped it as our own: from now on it must know it as a spare, which
  // another process may take with its slot without moving the marker. Before the locks go, so
  // that no taker commits in it while the watch does not know it yet.
  if (file_ && empty_ && flag_slot_) {
    try {
      if (auto watch = FolderWatch::existing(fs_, dir_)) watch->add_spare({path_, flag_slot_, true});
    } catch (...) {
    }
  }
  release_slot();
  // Left in the folder: empty, it is a spare the next process takes instead of creating one
  // (docs/transactions.md, "Spare journals"); still holding a commit (its completion failed),
  // it is left for recovery. Either way its lock goes now.
  release_owner();
}

void Journal::release_owner() {
  if (file_) unlock_owner(owner_ ? *owner_ : *file_);
  file_.reset();
  owner_.reset();
}

void Journal::write(const std::vector<FileChange>& changes) {
  if (!file_)
    throw Error(Errc::io, {path_.string(), {}, {}, {}},
                "the journal was given up after an earlier failure");
  std::vector<uint8_t> buf = format::encode_commit(changes, sequence_ + 1, path_.string(), flag_slot_);
  ++sequence_;
  empty_ = false;
  // Our flag set (and synced) before the commit point: from here on until the journal is
  // empty again, a process that settles reads our header (docs/transactions.md).
  if (mark_) set_commit_flag(*mark_, flag_slot_ - 1, true);
  file_->write_at(0, buf.data(), buf.size());
  file_->sync();
}

void Journal::write_empty_header() {
  Header h;
  h.sequence = sequence_;
  h.flag_slot = flag_slot_;
  auto b = encode_header(h);
  file_->write_at(0, b.data(), b.size());
}

void Journal::clear() {
  write_empty_header();
  // Synced before the locks go: once another process may change the same bytes, no crash
  // may bring this commit back to be written over its change.
  file_->sync();
  empty_ = true;
  if (mark_) {
    try {
      set_commit_flag(*mark_, flag_slot_ - 1, false);
    } catch (const Error&) {
      // Left set: others read our (empty) header at their settles meanwhile.
    }
  }
}

bool Journal::complete(const std::map<std::string, File*>& open) {
  try {
    auto body = committed_body(*file_);
    if (!body) return false;  // unreadable: it must stay for recovery, never be cleared
    replay(fs_, dir_, parse_body(path_, *body), open);
    clear();
    return true;
  } catch (const Error&) {
    return false;
  }
}

bool Journal::undo() {
  try {
    clear();
    return true;
  } catch (const Error&) {
  }
  // The header could not be written back either (on a full disk even that fails when the
  // failed write was the journal's first): what matters is whether the file holds a commit that
  // recovery would complete. It reads what the page cache holds, which is what reaches the disk.
  try {
    return !committed_body(*file_).has_value();
  } catch (const Error&) {
    return false;
  }
}

void Journal::abandon() {
  release_owner();
  release_slot();
  // Left committed for whoever settles next, this process included: its own settles skip its
  // journal and see no marker change for it, so its watch lists again.
  try {
    FolderWatch::for_folder(fs_, dir_)->list_next();
  } catch (...) {
  }
}

}  // namespace xbase::journal

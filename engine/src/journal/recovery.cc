#include "journal/recovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>

#include "io/path_text.h"
#include "journal/journal.h"
#include "journal/journal_format.h"
#include "xbase/error.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;

namespace xbase::journal {

using namespace format;

// Writes a committed body's after-images into the files again (each file cut first when the
// transaction cut it) and syncs them. Writing the same bytes twice changes nothing, so this
// may run any number of times.
void replay(FileSystem& fs, const fs::path& dir, const std::vector<ParsedFile>& files,
            const OpenFiles& open) {
  for (const auto& pf : files) {
    std::unique_ptr<File> opened;
    File* f = nullptr;
    if (auto it = open.find(pf.name); it != open.end()) {
      f = it->second;
    } else {
      opened = fs.open(dir / path_from_utf8(pf.name), OpenMode::read_write);
      f = opened.get();
    }
    if (pf.cut) f->truncate(*pf.cut);
    for (const auto& e : pf.extents) f->write_at(e.off, e.after, e.after_len);
    f->sync();
  }
}

namespace {

// Whether the commit can be completed: every byte of every range still holds its old value
// or its new one (any mix: the owner may have died in the middle of a write), and no range
// lost bytes it had. Anything else means another program wrote there since, and writing our
// bytes over its change would lose it.
bool replayable(FileSystem& fs, const fs::path& dir, const std::vector<ParsedFile>& files) {
  std::vector<uint8_t> cur;
  for (const auto& pf : files) {
    if (pf.cut) continue;  // (cut files are not journaled inside transactions in practice)
    auto f = fs.open(dir / path_from_utf8(pf.name), OpenMode::read_only);
    for (const auto& e : pf.extents) {
      cur.resize(e.after_len);
      size_t got = f->read_at(e.off, cur.data(), cur.size());
      if (got < std::min<size_t>(e.before_len, e.after_len)) return false;  // cut by someone
      for (size_t i = 0; i < got; ++i)
        if (cur[i] != e.after[i] && !(i < e.before_len && cur[i] == e.before[i])) return false;
    }
  }
  return true;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Whether a journal's header says it holds nothing (or it was never written).
bool empty_journal(File& f) {
  uint8_t b[kHeaderSize];
  const size_t got = f.read_at(0, b, sizeof b);
  if (got == 0) return true;  // created, never written: nothing committed
  const auto h = decode_header(b, got);
  return h && h->state == kEmpty;
}

// Clears a commit flag under its slot's lock (no journal can take the slot meanwhile; a slot
// whose lock is held is left alone), when `lost` (asked under that lock, given the marker)
// agrees. Left set on any failure: readers read the journals naming it until a listing clears it.
void clear_flag(FileSystem& fs, const fs::path& dir, uint32_t flag_slot,
                const std::function<bool(File& mark)>& lost = nullptr) {
  if (!flag_slot) return;
  try {
    auto mark = fs.open(dir / kMarkName, OpenMode::read_write);
    const uint32_t slot = flag_slot - 1;
    if (!mark->lock(kSlotLockAt + slot, 1, LockMode::exclusive, false)) return;
    if (!lost || lost(*mark)) set_commit_flag(*mark, slot, false);
    mark->unlock(kSlotLockAt + slot, 1);
  } catch (const Error&) {
  }
}

// A flag a listing found set that no live journal of it names: its journal is torn, removed,
// or its clear was lost. Cleared under the slot's lock (no journal can take the slot
// meanwhile), and only when nothing may since have set it again for a commit the listing did
// not see: the marker's naming bytes are still `naming` (read before the listing: a journal
// named after it moved them before its first commit), every spare of the listing naming the
// slot is still empty (a spare taken after the listing looked at it, whose taker set this flag
// and died committing: readers know that spare only by its slot), and so is this process's own
// journal `own` (skipped by the listing) if it names the slot (given up committed by another
// thread meanwhile).
void clear_orphan_flag(FileSystem& fs, const fs::path& dir, uint32_t flag_slot,
                       const std::vector<uint8_t>& naming, const std::vector<LiveJournal>& spares,
                       const fs::path* own) {
  clear_flag(fs, dir, flag_slot, [&](File& mark) {
    std::vector<uint8_t> now(kMarkNaming);
    if (mark.read_at(0, now.data(), now.size()) != now.size() || now != naming) return false;
    for (const auto& j : spares) {
      if (j.flag_slot != flag_slot) continue;
      try {
        if (!empty_journal(*fs.open(j.path, OpenMode::read_only))) return false;
      } catch (const Error&) {
        if (fs.exists(j.path)) return false;  // unreadable (gone: nothing to keep the flag for)
      }
    }
    if (!own) return true;
    try {
      const auto h = read_header(*fs.open(*own, OpenMode::read_only));
      return !(h && h->flag_slot == flag_slot && h->state != kEmpty);
    } catch (const Error&) {
      return false;
    }
  });
}

// A dead owner's commit flag, cleared once its journal is dealt with (when nobody took its slot
// meanwhile: a new owner never takes a slot whose flag is set).
void clear_dead_flag(FileSystem& fs, const fs::path& dir, uint32_t flag_slot) { clear_flag(fs, dir, flag_slot); }

// Recovers one journal found in the folder. Returns true when a live process owns it and is
// writing a committed change into the tables (the caller waits for that to finish); `alive`
// says whether its owner lives, `spare` whether it is an empty journal without an owner, kept
// for the next process to take, `flag_slot` the slot of its commit flag its header names.
// `hold`, when given, receives a spare with its owner lock still held (recovery.h: HeldSpare).
bool settle_one(FileSystem& fs, const fs::path& dir, const fs::path& p, RecoveryReport& report,
                bool keep_spare, bool& alive, bool& spare, uint32_t& flag_slot, HeldSpare* hold) {
  alive = false;
  spare = false;
  flag_slot = 0;
  std::unique_ptr<File> f;
  bool writable = true;
  try {
    f = fs.open(p, OpenMode::read_write);
  } catch (const Error&) {
    writable = false;
    try {
      f = fs.open(p, OpenMode::read_only);
    } catch (const Error&) {
      // Gone meanwhile (removed by a recovery, or beyond the spares kept); one still there that
      // cannot be opened might hold a commit: the listing fails rather than pass over it.
      if (!fs.exists(p)) return false;
      throw;
    }
  }
  if (!writable || !f->lock(kOwnerLock, 1, LockMode::exclusive, false)) {
    alive = true;
    const auto h = read_header(*f);
    if (h) flag_slot = h->flag_slot;
    // A live owner writing a commit into the tables: its journal holds a whole commit (a
    // header alone, from a write that failed, does not count).
    bool committed = h && h->state == kCommitted && committed_body(*f).has_value();
    if (committed && !writable && !f->probe(kOwnerLock, 1))
      throw Error(Errc::io, {p.string(), {}, {}, {}},
                  "an unfinished commit of a workstation that stopped must be completed, but "
                  "this journal cannot be opened for writing");
    return committed;
  }
  // Its owner is gone: the lock is ours now, and nobody else recovers it meanwhile.
  const auto head = read_header(*f);
  const uint32_t dead_flag = head ? head->flag_slot : 0;  // cleared once the journal is dealt with
  if (head && head->state == kEmpty && head->flag_slot && head->flag_slot <= kFlagSlots) {
    // Left empty by an owner that closed (or died between commits): kept for the next process
    // to take with its slot, which saves that process creating one (a folder sync and a
    // marker sync on a share). A set flag its owner's clear lost is the listing's to clear.
    // Beyond kMaxSpares it is removed (under its lock; a taker looks for its name once it
    // holds the lock), and its flag is not ours to clear: the slot may be another journal's.
    flag_slot = head->flag_slot;
    if (!keep_spare) {
      try {
        fs.remove(p);
        return false;
      } catch (const Error&) {
        // Still there: a spare like the others.
      }
    }
    spare = true;
    if (hold) {
      *hold = HeldSpare(std::move(f), {p, flag_slot, true}, head->sequence);
      return false;
    }
    unlock_owner(*f);
    return false;
  }
  if (auto body = committed_body(*f)) {
    auto files = parse_body(p, *body);
    if (!replayable(fs, dir, files)) {
      // Kept for the administrator, out of every later settle's way.
      fs::path stale = p;
      stale += ".stale";
      fs.rename(p, stale);
      report.stale.push_back(stale.string());
      clear_dead_flag(fs, dir, dead_flag);
      return false;
    }
    // Before the first byte: a settle that sees the replay bytes moved has the folder's tables
    // read their indexes again (docs/transactions.md, "After a completion").
    announce_replay(fs, dir);
    replay(fs, dir, files);
    Header h;
    h.state = kEmpty;
    auto b = encode_header(h);
    f->write_at(0, b.data(), b.size());
    f->sync();
    ++report.replayed;
  } else {
    ++report.discarded;  // no complete commit: the tables were never written
  }
  // Removed under the lock (a journal's name is never reused, so nobody can be creating it;
  // one taken as a spare was empty, and a replayed one names no slot, so nobody takes it).
  try {
    fs.remove(p);
  } catch (const Error&) {
    f.reset();
    try {
      fs.remove(p);
    } catch (const Error&) {
      // Empty now; whoever comes next removes it.
    }
  }
  clear_dead_flag(fs, dir, dead_flag);
  return false;
}

// A journal whose creator died before giving it its name (it is never committed): removed
// when nobody holds its lock. A creator that loses the race starts again under a new name.
void remove_stale_new(FileSystem& fs, const fs::path& p) {
  try {
    auto f = fs.open(p, OpenMode::read_write);
    if (!f->lock(kOwnerLock, 1, LockMode::exclusive, false)) return;
    fs.remove(p);  // under the lock: its creator, if alive, fails to lock it and starts over
  } catch (const Error&) {
    // Gone meanwhile, or not ours to remove (read-only folder): harmless either way.
  }
}

}  // namespace

RecoveryReport settle(FileSystem& fs, const fs::path& dir, const fs::path* own,
                      std::chrono::milliseconds wait, std::vector<LiveJournal>* live, NewSightings* new_seen,
                      std::optional<HeldSpare>* hold) {
  RecoveryReport report;
  const auto deadline = fs.now() + wait;
  for (int round = 0;; ++round) {
    std::optional<fs::path> busy;
    size_t spares = 0;
    if (live) live->clear();
    NewSightings still;  // the `.new` files of this round, with their first sightings
    for (const std::string& name : fs.list_dir(dir)) {
      if (ends_with(name, std::string(kExtension) + ".new")) {
        if (!new_seen) {
          remove_stale_new(fs, dir / name);
          continue;
        }
        const auto now = fs.now();
        auto it = new_seen->find(name);
        const auto first = it == new_seen->end() ? now : it->second;
        if (now - first >= kNewJournalGrace)
          remove_stale_new(fs, dir / name);
        else
          still.emplace(name, first);
        continue;
      }
      if (!ends_with(name, kExtension)) continue;
      fs::path p = dir / name;
      if (own && p == *own) continue;
      if (hold && *hold && p == (*hold)->journal.path) {
        ++spares;  // still a spare, ours for now
        if (live) live->push_back((*hold)->journal);
        continue;
      }
      bool alive = false, spare = false;
      uint32_t flag_slot = 0;
      const bool keep_spare = spares < kMaxSpares;
      HeldSpare kept;
      if (settle_one(fs, dir, p, report, keep_spare, alive, spare, flag_slot, hold && !*hold ? &kept : nullptr))
        busy = p;
      spares += spare;
      if (kept.file) *hold = std::move(kept);
      if ((alive || spare) && live) live->push_back({p, flag_slot, spare});
    }
    if (new_seen) *new_seen = std::move(still);  // named, removed or gone since: forgotten
    if (!busy) return report;
    if (fs.now() >= deadline)
      throw Error(Errc::lock_timeout, {busy->string(), {}, {}, {}},
                  "another workstation is still writing a committed change into the tables");
    if (round < 100)
      fs.yield();
    else
      fs.sleep_for(std::chrono::milliseconds(1));
  }
}

namespace {
void random_bytes(FileSystem& fs, uint8_t (&bytes)[kMarkNaming]) {
  for (size_t i = 0; i < sizeof bytes; i += 8) {
    uint64_t r = fs.random();
    std::memcpy(bytes + i, &r, 8);
  }
}

// Creates the marker holding `bytes` unless it exists; true when this call created it.
bool create_mark(FileSystem& fs, const fs::path& dir, const uint8_t (&bytes)[kMarkNaming]) {
  const fs::path mark = dir / kMarkName;
  // Never created by truncating: a reader between the truncation and the write would see
  // the bytes it saw before the truncation's creator (none) and miss a bump.
  if (fs.exists(mark)) return false;
  fs::path tmp = mark;
  tmp += fmt::format(".{:016x}", fs.random());
  {
    auto f = fs.open(tmp, OpenMode::create);
    f->write_at(0, bytes, sizeof bytes);
    f->sync();
  }
  if (fs.rename_unless_exists(tmp, mark)) return true;
  fs.remove(tmp);
  return false;
}
}  // namespace

void make_mark(FileSystem& fs, const fs::path& dir) {
  uint8_t bytes[kMarkNaming];
  random_bytes(fs, bytes);
  create_mark(fs, dir, bytes);
}

void announce_journal(FileSystem& fs, const fs::path& dir, File* mark) {
  uint8_t bytes[kMarkNaming];
  random_bytes(fs, bytes);
  // A marker once there is never replaced (create_mark), so a handle open on it writes the
  // marker every reader reads: no second look for it, no second open (each a round trip).
  std::unique_ptr<File> opened;
  if (!mark) {
    if (create_mark(fs, dir, bytes)) return;
    opened = fs.open(dir / kMarkName, OpenMode::read_write);
    mark = opened.get();
  }
  mark->write_at(0, bytes, sizeof bytes);
  mark->sync();
}

void announce_replay(FileSystem& fs, const fs::path& dir) {
  uint8_t bytes[kMarkReplays];
  const uint64_t r = fs.random();
  std::memcpy(bytes, &r, sizeof bytes);
  make_mark(fs, dir);  // (a journal of this release made it already)
  auto f = fs.open(dir / kMarkName, OpenMode::read_write);
  f->write_at(kMarkReplaysAt, bytes, sizeof bytes);
}

std::optional<FlagSlot> claim_flag_slot(FileSystem& fs, const fs::path& dir, const std::vector<uint32_t>& avoid) {
  try {
    FlagSlot s;
    s.mark = fs.open(dir / kMarkName, OpenMode::read_write);
    uint8_t flags[kFlagSlots] = {};
    s.mark->read_at(kMarkNaming, flags, sizeof flags);
    // Named by a known journal (a spare keeps naming its slot): taken last, so that one slot
    // is rarely named by two journals (readers then read both headers while its flag is set).
    std::vector<uint32_t> order(kFlagSlots);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_partition(order.begin(), order.end(),
                          [&](uint32_t i) { return std::find(avoid.begin(), avoid.end(), i + 1) == avoid.end(); });
    for (uint32_t i : order) {
      if (flags[i] != 0) continue;  // a dead owner's, kept for its recovery (or taken)
      if (!s.mark->lock(kSlotLockAt + i, 1, LockMode::exclusive, false)) continue;
      // Set meanwhile by an owner that then went: its flag stays for its journal's recovery.
      uint8_t now = 0;
      if (s.mark->read_at(kMarkNaming + i, &now, 1) == 1 && now != 0) {
        s.mark->unlock(kSlotLockAt + i, 1);
        continue;
      }
      s.slot = i;
      return s;
    }
  } catch (const Error&) {
    // No marker to hold a flag (read-only folder): the journal works without one.
  }
  return std::nullopt;
}

void set_commit_flag(File& mark, uint32_t slot, bool committing) {
  const uint8_t b = committing ? 1 : 0;
  mark.write_at(kMarkNaming + slot, &b, 1);
  if (committing) mark.sync();
}

namespace {
struct WatchRegistry {
  std::mutex mu;
  std::map<std::pair<FileSystem*, std::string>, std::weak_ptr<FolderWatch>> open;
};
// Never destroyed: a table a static object holds is closed at exit, after function statics
// would be gone, and its journal tells the watch about its spare (found by ASan in bench/micro).
WatchRegistry& watches() {
  static WatchRegistry* r = new WatchRegistry;
  return *r;
}
}  // namespace

std::shared_ptr<FolderWatch> FolderWatch::existing(FileSystem& fs, const fs::path& dir) {
  auto& reg = watches();
  std::lock_guard<std::mutex> g(reg.mu);
  auto it = reg.open.find(std::make_pair(&fs, xbase::absolute_path(dir).string()));
  return it == reg.open.end() ? nullptr : it->second.lock();
}

std::shared_ptr<FolderWatch> FolderWatch::for_folder(FileSystem& fs, const fs::path& dir) {
  auto& reg = watches();
  std::lock_guard<std::mutex> g(reg.mu);
  fs::path abs = xbase::absolute_path(dir);
  auto key = std::make_pair(&fs, abs.string());
  if (auto w = reg.open[key].lock()) return w;
  // Expired entries of folders nobody uses any more go (a file system's address may be reused).
  for (auto it = reg.open.begin(); it != reg.open.end();)
    it = it->second.expired() ? reg.open.erase(it) : std::next(it);
  auto w = std::make_shared<FolderWatch>(fs, abs);
  reg.open[key] = w;
  return w;
}

std::optional<std::vector<uint8_t>> FolderWatch::read_mark() {
  if (!mark_) {
    try {
      mark_ = fs_.open(dir_ / kMarkName, OpenMode::read_only);
    } catch (const Error&) {
      return std::nullopt;  // none yet: no journal with the marker protocol was ever created
    }
  }
  std::vector<uint8_t> b(kMarkReplaysAt + kMarkReplays);
  b.resize(mark_->read_at(0, b.data(), b.size()));
  return b;
}

namespace {
// The marker's naming bytes (its first 16).
std::optional<std::vector<uint8_t>> naming_of(std::optional<std::vector<uint8_t>> m) {
  if (m && m->size() > kMarkNaming) m->resize(kMarkNaming);
  return m;
}
// Its replay bytes (none in a marker of an earlier release).
std::vector<uint8_t> replays_of(const std::optional<std::vector<uint8_t>>& m) {
  if (!m || m->size() <= kMarkReplaysAt) return {};
  return {m->begin() + ptrdiff_t(kMarkReplaysAt), m->end()};
}
}  // namespace

RecoveryReport FolderWatch::list(const fs::path* own, std::chrono::milliseconds wait, bool hold) {
  listed_ = false;
  known_.clear();
  mark_.reset();  // opened again: a creator may have put a new marker file in its place
  const auto before = read_mark();
  seen_ = naming_of(before);  // before the listing: a journal named after it bumps the marker later
  std::vector<LiveJournal> live;
  RecoveryReport r = journal::settle(fs_, dir_, own, wait, &live, &new_seen_, hold ? &held_ : nullptr);
  // Read again once the settle is over: it may have written a recovery itself, or waited for
  // another process's, or missed one that began and ended while it listed (each writes the
  // replay bytes before its first byte and removes its journal after its last).
  r.replays = replays_of(read_mark());
  spares_.clear();
  for (const auto& j : live)
    if (j.spare) spares_.push_back(j);
  // A flag set before the listing that no live journal names has lost its journal (torn,
  // removed, or its clear lost): cleared, or slots would leak (clear_orphan_flag says when).
  for (size_t i = 0; before && kMarkNaming + i < before->size(); ++i) {
    if ((*before)[kMarkNaming + i] == 0) continue;
    if (std::any_of(live.begin(), live.end(),
                    [&](const LiveJournal& j) { return !j.spare && j.flag_slot == i + 1; }))
      continue;
    clear_orphan_flag(fs_, dir_, uint32_t(i + 1), *seen_, spares_, own);
  }
  for (const auto& j : live) {
    if (j.spare) continue;
    try {
      known_.push_back({fs_.open(j.path, OpenMode::read_only), j.flag_slot});
    } catch (const Error&) {
      // Gone since (its owner finished): nothing to watch.
    }
  }
  listed_ = true;
  return r;
}

// Whether a listing now would find what the last one found: the marker holds the same bytes
// (no journal was named since), and every journal that may be committing is empty (or never
// written): the header read of the known ones whose owner's commit flag is set (or that have
// none), and of the spares naming a set flag's slot (a process may have taken one since,
// keeping its slot: no marker change says so). A set flag that no journal of the listing
// names belongs to a journal it did not see: list. This process's own flag is not looked at.
bool FolderWatch::unchanged(uint32_t own_slot, std::vector<uint8_t>& replays) {
  const auto mark = read_mark();
  if (naming_of(mark) != seen_) return false;
  auto flag_set = [&](uint32_t flag_slot) {
    const size_t at = kMarkNaming + flag_slot - 1;
    return mark && at < mark->size() && (*mark)[at] != 0;
  };
  bool looked = false;
  for (const auto& [f, flag_slot] : known_) {
    if (flag_slot && !flag_set(flag_slot)) continue;  // not committing
    looked = true;
    if (!empty_journal(*f)) return false;
  }
  for (uint32_t slot = 1; slot <= kFlagSlots; ++slot) {
    if (slot == own_slot || !flag_set(slot)) continue;
    bool named = std::any_of(known_.begin(), known_.end(), [&](const Known& k) { return k.flag_slot == slot; });
    for (const auto& s : spares_) {
      if (s.flag_slot != slot) continue;
      named = looked = true;
      auto f = fs_.open(s.path, OpenMode::read_only);  // (gone: the throw lists)
      if (!empty_journal(*f)) return false;
    }
    if (!named) return false;
  }
  // A flagged journal found empty may have been a recovery that ended after the marker was
  // read: its replay bytes are read again, after its header said so.
  replays = replays_of(looked ? read_mark() : mark);
  return true;
}

std::vector<LiveJournal> FolderWatch::spares() {
  std::lock_guard<std::mutex> g(mu_);
  return spares_;
}

std::vector<uint32_t> FolderWatch::named_slots() {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<uint32_t> out;
  for (const auto& k : known_) out.push_back(k.flag_slot);
  for (const auto& s : spares_) out.push_back(s.flag_slot);  // (a held one among them)
  return out;
}

void FolderWatch::keep_spare() {
  std::lock_guard<std::mutex> g(mu_);
  keep_spare_ = true;
}

std::optional<HeldSpare> FolderWatch::take_held_spare() {
  std::lock_guard<std::mutex> g(mu_);
  std::optional<HeldSpare> h = std::move(held_);
  held_.reset();
  return h;
}

HeldSpare::~HeldSpare() {
  if (file) unlock_owner(*file);  // a spare again for whoever takes it
}

HeldSpare& HeldSpare::operator=(HeldSpare&& o) noexcept {
  if (this == &o) return *this;
  if (file) unlock_owner(*file);
  file = std::move(o.file);
  journal = std::move(o.journal);
  sequence = o.sequence;
  return *this;
}

void FolderWatch::add_spare(const LiveJournal& j) {
  std::lock_guard<std::mutex> g(mu_);
  if (!listed_) return;  // the next settle lists and finds it
  for (const auto& s : spares_)
    if (s.path == j.path) return;
  spares_.push_back(j);
}

void FolderWatch::list_next() {
  std::lock_guard<std::mutex> g(mu_);
  listed_ = false;
}

RecoveryReport FolderWatch::settle_for_read(std::chrono::milliseconds interval,
                                            std::chrono::milliseconds wait) {
  {
    std::lock_guard<std::mutex> g(mu_);
    if (listed_ && fs_.now() - last_settle_ < interval) return {};
  }
  return settle(nullptr, wait, interval);
}

RecoveryReport FolderWatch::settle(const fs::path* own, std::chrono::milliseconds wait,
                                   std::chrono::milliseconds fresh_within) {
  // A reader's settle (no transaction) leaves this process's own journal alone too: kept
  // among the live ones, its header was read at every later settle for nothing. Asked before
  // the watch's lock is taken: the journal registry is never waited for under it.
  std::shared_ptr<Journal> mine = Journal::existing(fs_, dir_);
  if (!own && mine) own = &mine->path();
  const uint32_t own_slot = mine && own && *own == mine->path() ? mine->flag_slot() : 0;
  std::lock_guard<std::mutex> g(mu_);
  if (fresh_within.count() > 0 && listed_ && fs_.now() - last_settle_ < fresh_within) return {};
  // A spare kept while another thread made the process's journal is held for nothing.
  if (mine) held_.reset();
  last_settle_ = fs_.now();
  try {
    RecoveryReport quiet;
    if (listed_ && unchanged(own_slot, quiet.replays)) {
      quiet.as_before = true;
      return saw(std::move(quiet));
    }
  } catch (const Error&) {
    // Unreadable: list.
  }
  // A spare is kept while the process has none: once it has a journal, one held would be
  // held for nothing until the watch ends (colleagues would create journals meanwhile).
  return saw(list(own, wait, keep_spare_ && !mine));
}

RecoveryReport FolderWatch::saw(RecoveryReport r) {
  if (r.replayed > 0 || (last_replays_ && *last_replays_ != r.replays)) ++replay_changes_;
  last_replays_ = r.replays;
  return r;
}

}  // namespace xbase::journal

#include "journal/recovery.h"

#include <fmt/format.h>

#include <algorithm>

#include "io/path_text.h"
#include "journal/journal.h"
#include "journal/journal_format.h"
#include "xbase/error.h"

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

// Recovers one journal found in the folder. Returns true when a live process owns it and is
// writing a committed change into the tables (the caller waits for that to finish).
bool settle_one(FileSystem& fs, const fs::path& dir, const fs::path& p, RecoveryReport& report) {
  std::unique_ptr<File> f;
  bool writable = true;
  try {
    f = fs.open(p, OpenMode::read_write);
  } catch (const Error&) {
    writable = false;
    try {
      f = fs.open(p, OpenMode::read_only);
    } catch (const Error&) {
      return false;  // gone meanwhile (its owner finished)
    }
  }
  if (!writable || !f->lock(kOwnerLock, 1, LockMode::exclusive, false)) {
    // A live owner writing a commit into the tables: its journal holds a whole commit (a
    // header alone, from a write that failed, does not count).
    bool committed = committed_body(*f).has_value();
    if (committed && !writable && !f->probe(kOwnerLock, 1))
      throw Error(Errc::io, {p.string(), {}, {}, {}},
                  "an unfinished commit of a workstation that stopped must be completed, but "
                  "this journal cannot be opened for writing");
    return committed;
  }
  // Its owner is gone: the lock is ours now, and nobody else recovers it meanwhile.
  if (auto body = committed_body(*f)) {
    auto files = parse_body(p, *body);
    if (!replayable(fs, dir, files)) {
      // Kept for the administrator, out of every later settle's way.
      fs::path stale = p;
      stale += ".stale";
      fs.rename(p, stale);
      report.stale.push_back(stale.string());
      return false;
    }
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
  // Removed under the lock (a journal's name is never reused, so nobody can be creating it).
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
                      std::chrono::milliseconds wait) {
  RecoveryReport report;
  const auto deadline = fs.now() + wait;
  for (int round = 0;; ++round) {
    std::optional<fs::path> busy;
    for (const std::string& name : fs.list_dir(dir)) {
      if (ends_with(name, std::string(kExtension) + ".new")) {
        remove_stale_new(fs, dir / name);
        continue;
      }
      if (!ends_with(name, kExtension)) continue;
      fs::path p = dir / name;
      if (own && p == *own) continue;
      if (settle_one(fs, dir, p, report)) busy = p;
    }
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

}  // namespace xbase::journal

#include "xbase/transaction.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "io/path_text.h"
#include "journal/recovery.h"
#include "table/table_tx.h"
#include "xbase/error.h"
#include "xbase/absolute_path.h"
#include "util/side_by_side.h"

namespace fs = std::filesystem;

namespace xbase {

namespace {

// Writes each changed file's ranges and syncs it. Where the file system allows, the files go
// side by side, one thread each: on a share every write and sync is a round trip to the
// server, and a finalization changes 8 files, so the commit waits for the slowest file instead
// of the sum (and a local disk's journal takes the syncs in one flush). Order between files
// never mattered: the journal already holds the commit, and it is cleared only after every
// file is done. The first failure is thrown once all are back.
void apply_all(const std::vector<journal::StagedFile*>& files, bool side_by_side) {
  if (std::exception_ptr e = run_side_by_side(files.size(), side_by_side, [&](size_t i) { files[i]->apply(); }))
    std::rethrow_exception(e);
}

// What the changed ranges of a file hold now (under the transaction's locks), which recovery
// compares against. Ranges lying near each other are read in one call and cut apart (a
// record, the header's count and its counters; an index's header and the pages a change
// touched): on a share each read is a round trip, and the bytes in between cost nothing
// there. Only reads are merged; the commit writes exactly the ranges it changed.
void read_before_images(journal::StagedFile& f, std::map<uint64_t, std::vector<uint8_t>>& before) {
  constexpr uint64_t kGap = 32 << 10, kMost = 256 << 10;  // bytes read in between, in all
  const auto& ext = f.extents();
  std::vector<uint8_t> span;
  for (auto first = ext.begin(); first != ext.end();) {
    if (f.noted_base(first->first, first->second.size(), span)) {  // known: no read
      before.emplace(first->first, span);
      ++first;
      continue;
    }
    const uint64_t from = first->first;
    uint64_t to = from + first->second.size();
    auto last = std::next(first);
    for (; last != ext.end(); ++last) {
      const uint64_t end = last->first + last->second.size();
      if (last->first > to + kGap || std::max(to, end) - from > kMost) break;
      to = std::max(to, end);
    }
    span.resize(to - from);
    const size_t got = f.base().read_at(from, span.data(), span.size());
    for (auto it = first; it != last; ++it) {
      const uint64_t at = it->first - from;
      const size_t n = at >= got ? 0 : std::min<size_t>(it->second.size(), got - at);
      before.emplace(it->first, std::vector<uint8_t>(span.begin() + at, span.begin() + at + n));
    }
    first = last;
  }
}

// Whether every changed range's before-image is noted already (read_before_images reads none).
bool before_images_noted(const journal::StagedFile& f) {
  std::vector<uint8_t> span;
  for (const auto& [off, bytes] : f.extents())
    if (!f.noted_base(off, bytes.size(), span)) return false;
  return true;
}

}  // namespace

struct Transaction::Impl final : TxLink, journal::AfterLock {
  std::vector<Table*> tables;
  std::shared_ptr<journal::Journal> jnl;
  std::shared_ptr<journal::FolderWatch> watch;
  FileSystem* fs = nullptr;  // the tables' own file system (below the staging layer)
  fs::path dir;
  bool active = true;
  Outcome outcome = Outcome::active;
  std::string ended_by;  // why the transaction ended without commit() or rollback()
  std::chrono::milliseconds wait{30000};
  bool locks_to_close = false;  // leave_locks_to_close()
  std::function<void()> release_beside;  // release_beside()

  Location where() const { return {dir.string(), {}, {}, {}}; }

  void need_active() const {
    if (!active)
      throw Error(Errc::usage, where(),
                  ended_by.empty() ? "the transaction has ended" : "the transaction was rolled back: " + ended_by);
  }

  // Before reading what a new lock protects: a commit a dead process left unfinished is
  // completed, and one a live process is writing is waited for. (Settling only at the start
  // and checking at the commit was tried and withdrawn: what a transaction computes from a
  // dead process's half-written bytes fails before the commit, e.g. a key a candidate tag
  // holds already; docs/transactions.md.)
  //
  // The mark is the count of dead processes' commits this process has seen completed: a look
  // that finds the folder as before while it stays the same saw none completed meanwhile (by
  // itself or by another thread's look), so a read made beside it stands.
  uint64_t mark() override { return watch->replay_changes(); }
  bool look(uint64_t mark) override {
    const journal::RecoveryReport r = watch->settle(&jnl->path(), wait);
    return r.as_before && watch->replay_changes() == mark;
  }

  // `to_close`: a commit that went through leaves the locks to the tables' closes, when asked.
  // `whole`: it went through without a failure; the caller's release goes beside the unlocks.
  void end(bool committed, bool to_close = false, bool whole = false) {
    active = false;
    if (outcome == Outcome::active) outcome = committed ? Outcome::committed : Outcome::rolled_back;
    std::exception_ptr first;
    // A commit's locks are given back side by side once every table has left (issue 30: on a
    // share ten files' unlocks one after the other were ten round trips for a front end).
    journal::Unlocks later;
    for (Table* t : tables) {
      try {
        TxAccess::leave(*t, committed, to_close, &later);
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    tables.clear();
    // Only when every table left without a failure: commit() then returns normally.
    if (whole && !first && release_beside) later.also(std::move(release_beside));
    later.run();
    if (first) std::rethrow_exception(first);
  }

  void table_closing(Table& t) override {
    ended_by = t.path().string() + " was closed";
    end(false);
  }
};

Transaction::Transaction() : impl_(std::make_unique<Impl>()) {}

Transaction::Transaction(std::initializer_list<Table*> tables) : Transaction() {
  try {
    for (Table* t : tables) add(*t);
  } catch (...) {
    impl_->end(false);
    throw;
  }
}

Transaction::~Transaction() {
  if (!impl_->active) return;
  try {
    impl_->end(false);
  } catch (...) {
    // Nothing reached the files; the locks go with the files at the latest.
  }
}

bool Transaction::active() const { return impl_->active; }

Transaction::Outcome Transaction::outcome() const { return impl_->outcome; }

void Transaction::add(Table& t) {
  auto& im = *impl_;
  im.need_active();
  if (TxLink* other = TxAccess::owner(t)) {
    if (other == &im) return;
    throw Error(Errc::usage, {t.path().string(), {}, {}, {}},
                "the table belongs to another active transaction");
  }
  FileSystem& base = TxAccess::staging(t).base();
  fs::path dir = xbase::absolute_path(journal::folder_of(t.path()));
  if (im.tables.empty()) {
    im.fs = &base;
    im.dir = dir;
    im.jnl = journal::Journal::for_folder(base, dir);
    im.watch = journal::FolderWatch::for_folder(base, dir);
    // At its start a transaction looks at the folder as a read outside one does, once a second
    // at most (docs/transactions.md, "The recovery rule"): what it reads before its first lock
    // is read without a lock, and every lock it takes is followed by a settle of its own (a
    // transaction that begins and locks at once looked twice; issue 30).
    im.watch->settle_for_read(journal::kReaderSettleInterval, im.wait);
  } else if (&base != im.fs || dir != im.dir) {
    throw Error(Errc::usage, {t.path().string(), {}, {}, {}},
                fmt::format("all tables of a transaction must lie in one folder ({})", im.dir.string()));
  }
  im.tables.reserve(im.tables.size() + 1);  // joined, the table must be on the list
  TxAccess::join(t, im, im.jnl, im);
  im.tables.push_back(&t);
}

void Transaction::commit() {
  auto& im = *impl_;
  im.need_active();
  std::vector<journal::FileChange> changes;
  std::vector<journal::StagedFile*> files;
  try {
    for (Table* t : im.tables) TxAccess::flush(*t);
    for (Table* t : im.tables)
      for (journal::StagedFile* f : TxAccess::staging(*t).files()) {
        if (!f->changed()) continue;
        fs::path p = path_from_utf8(f->path());
        if (xbase::absolute_path(journal::folder_of(p)) != im.dir)
          throw Error(Errc::usage, {f->path(), {}, {}, {}},
                      "a file changed in a transaction lies outside the transaction's folder");
        changes.push_back({path_utf8(p.filename()), f->truncated_to(), &f->extents(), {}});
        files.push_back(f);
      }
    // The files whose before-images need reading (an appended table's header and end, mostly)
    // are read side by side: on a share each read is a round trip.
    std::vector<size_t> to_read;
    for (size_t i = 0; i < files.size(); ++i) {
      if (before_images_noted(*files[i]))
        read_before_images(*files[i], changes[i].before);  // no read
      else
        to_read.push_back(i);
    }
    if (std::exception_ptr e = run_side_by_side(to_read.size(), !to_read.empty() && im.fs->parallel_files(), [&](size_t k) {
          read_before_images(*files[to_read[k]], changes[to_read[k]].before);
        }))
      std::rethrow_exception(e);
  } catch (...) {
    im.end(false);  // nothing reached the tables
    throw;
  }
  if (changes.empty()) return im.end(true, im.locks_to_close, true);
  try {
    im.jnl->write(changes);  // the commit point
  } catch (const Error& e) {
    // The journal may hold the commit in part, or whole but not durably: it must say
    // "nothing" again before the locks go, or a later recovery would complete a commit the
    // caller was told failed.
    bool undone = im.jnl->undo();
    if (!undone) im.jnl->abandon();
    im.outcome = undone ? Outcome::rolled_back : Outcome::uncertain;
    im.end(false);
    if (undone) throw;
    throw Error(e.code(), e.where(),
                e.detail() + "; the journal could not be reset either: if it reached the disk "
                             "whole, the next program that opens these tables completes the commit");
  }
  try {
    apply_all(files, im.fs->parallel_files());
  } catch (...) {
    // The journal holds the whole change: complete it from there (through the tables' own
    // handles, which hold the transaction's locks), or leave it to whoever opens the tables
    // next (its lock goes with it).
    journal::OpenFiles own;
    for (journal::StagedFile* f : files) own[path_utf8(path_from_utf8(f->path()).filename())] = &f->base();
    bool done = im.jnl->complete(own);
    if (!done) im.jnl->abandon();
    im.outcome = done ? Outcome::committed : Outcome::in_journal;
    im.end(true);
    std::string why = "writing a commit into the tables failed";
    Location where{im.dir.string(), {}, {}, {}};
    Errc code = Errc::io;
    try {
      throw;
    } catch (const Error& e) {
      why = e.detail();
      where = e.where();
      code = e.code();
    } catch (const std::exception& e) {
      why = e.what();
    } catch (...) {
    }
    throw Error(code, where,
                why + (done ? "; the commit was completed from its journal"
                            : "; the commit is in its journal and will be completed by the next "
                              "program that opens these tables"));
  }
  try {
    im.jnl->clear();
  } catch (const Error&) {
    // The tables are complete and synced but the journal cannot say so (the connection is
    // probably gone, and our locks with it). Given up, it is replayed by the next open or
    // by the next transaction that takes a lock in this folder; a range another program
    // changed meanwhile stops the replay (journal/journal.h).
    im.jnl->abandon();
  }
  im.end(true, im.locks_to_close, true);
}

void Transaction::leave_locks_to_close() { impl_->locks_to_close = true; }

void Transaction::release_beside(std::function<void()> release) { impl_->release_beside = std::move(release); }

void Transaction::rollback() {
  if (!impl_->active) return;
  impl_->end(false);
}

}  // namespace xbase

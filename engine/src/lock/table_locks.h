// The locks of one open table: which it holds and how it takes them. Record locks (RLOCK),
// the file lock (FLOCK), the automatic lock of a change to a record nobody locked, the short
// header, memo and index locks around appends and index changes, and the shared/exclusive
// use lock. Where each lies is the LockLayout's business (lock_layout.cc), how long to wait
// the LockWait's; this keeps the bookkeeping (what is held, in what order it is given up) in
// one place, out of the table's record and index code.
//
// In exclusive use every lock is implicit: taking one does nothing and every record counts as
// held.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/flat_set.hpp>
#include <boost/container/small_vector.hpp>

#include "lock/acquire.h"
#include "lock/whole_file_lock.h"
#include "xbase/file.h"
#include "xbase/lock.h"

namespace xbase::lock {

class TableLocks {
 public:
  TableLocks() = default;
  ~TableLocks();
  TableLocks(const TableLocks&) = delete;
  TableLocks& operator=(const TableLocks&) = delete;
  // Shared or exclusive use of the table (held while it is open), the first lock a table
  // takes; throws Errc::in_use. `dbf` outlives this object's locks (the table releases them
  // before closing it).
  // `env` gives the clock and pauses of every wait (the table's file system).
  void take_use(FileSystem& env, File& dbf, bool exclusive, const std::string& table);
  void release_use() {
    use_.release();
    whole_.release();
  }
  // Once the header is read: where the locks lie and how long to wait for them.
  void setup(bool shared, const LockLayout& layout, const LockWait& user, const LockWait& internal,
             uint32_t index_slot);
  // The structural-index flag changed: VFP locks records at other offsets then.
  void set_layout(const LockLayout& layout) { layout_ = layout; }
  const LockLayout& layout() const { return *layout_; }
  bool shared() const { return shared_; }
  const LockWait& internal_wait() const { return internal_; }

  // Takes `r` in `f` as `w` says, or throws Errc::lock_timeout naming `what` (and the record).
  // (`what` a view: a change takes locks with fixed names, and built strings cost allocations.)
  Held take(File& f, LockRange r, LockMode m, std::string_view what,
            std::optional<uint32_t> recno, const LockWait& w) const;
  [[noreturn]] void failed(const File& f, LockRange r, std::string_view what,
                           std::optional<uint32_t> recno, const LockWait& w) const;

  // Around appends and header rewrites; nothing in exclusive use.
  Held header();
  // The header lock if it is free now (nothing when another process holds it).
  std::optional<Held> try_header();
  // Around memo block allocation in `memo`; nothing in exclusive use or without a memo file.
  Held memo(File* memo);
  // A record's lock for one change when the caller holds none (VFP's automatic locking).
  Held auto_record(uint32_t recno);

  // --- RLOCK / FLOCK ---
  // All of them or none; records already held are skipped. Throws Errc::lock_timeout.
  void lock_records(std::span<const uint32_t> recnos);
  void lock_file();  // gives the record locks up into the file lock (it holds them implicitly)
  void unlock_record(uint32_t recno);
  void unlock_all();
  bool holds(uint32_t recno) const { return !shared_ || file_ || records_.count(recno); }
  bool holds_file() const { return !shared_ || file_; }
  // Locked by this table itself (not implied by exclusive use): no other cooperating writer
  // can change the record (or, for the file lock, any record) meanwhile.
  bool locked_here(uint32_t recno) const { return file_ || records_.count(recno); }
  bool file_locked_here() const { return file_; }
  // Shared use: whether any record or the file is locked by us.
  bool holds_any() const { return shared_ && (file_ || !records_.empty()); }
  // Moves on whenever a record or file lock may have been given up: what was read under one
  // of them is known unchanged only while this stays the same.
  uint64_t releases() const { return releases_; }

  // --- the index lock, over every open index file of the table (structural first) ---
  // Shared to read, exclusive to write; held by one guard at a time (index_held()).
  // (Held inline for a table's usual few index files: no allocation per change.)
  using IndexHolds = boost::container::small_vector<Held, 4>;
  IndexHolds index(std::span<File* const> files, bool write);
  void index_done() { index_held_ = false; }
  bool index_held() const { return index_held_; }
  // The shared range a reader takes in an index file (this table's slot of a pooled scheme).
  LockRange index_read() const { return layout_->index_read(index_slot_); }

  // Called when a record (or the file) lock cannot be had at once, before waiting for it: a
  // transaction gives up the index locks it keeps, so that it never waits for a record while
  // holding an index lock (another writer takes record before index, as VFP does).
  std::function<void()> before_record_wait;

  // --- transactions ---
  // Remembers what is held now: locks taken during the transaction go when it ends.
  void begin_transaction();
  // Keeps only the locks held before it began and not released meanwhile (`released` says
  // whether the transaction's end gives a range up).
  void end_transaction(const std::function<bool(LockRange)>& released);

 private:
  bool try_record(uint32_t recno, const LockWait& w);
  void release_record(uint32_t recno);
  void release_file();  // the file lock (lock_file), if held

  FileSystem* env_ = nullptr;
  File* dbf_ = nullptr;
  bool shared_ = false;
  std::optional<LockLayout> layout_;
  LockWait user_, internal_;
  uint32_t index_slot_ = 0;  // our byte of a pooled index lock
  Held use_;
  WholeFileLock whole_;  // flock(), as Harbour signals shared and exclusive use
  // The records locked (ordered, inline for the usual few: a lock is no allocation).
  using RecordSet = boost::container::small_flat_set<uint32_t, 8>;
  RecordSet records_;
  bool file_ = false;
  uint64_t releases_ = 0;
  bool index_held_ = false;  // an index guard holds the index lock
  RecordSet records_before_tx_;
  bool file_before_tx_ = false;
};

}  // namespace xbase::lock

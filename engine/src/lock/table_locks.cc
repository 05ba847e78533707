#include "lock/table_locks.h"

#include <fmt/format.h>

#include "lock/exclusive_hold.h"
#include "lock/whole_file_lock.h"
#include "xbase/error.h"

namespace xbase::lock {

void TableLocks::setup(bool shared, const LockLayout& layout, const LockWait& user,
                       const LockWait& internal, uint32_t index_slot) {
  shared_ = shared;
  layout_ = layout;
  user_ = user;
  internal_ = internal;
  index_slot_ = index_slot;
}

TableLocks::~TableLocks() {
  // The table closes the DBF right after, and closing a POSIX descriptor drops every lock of
  // its open file description (flock() and the byte-range locks alike): unlocking the use
  // lock or the record locks still held first would be a call more each, a round trip on a
  // share. Windows (where a closed handle's locks go only "eventually") and files of test file
  // systems unlock them.
  if (!use_) return;  // none taken (a repair's hold), or given up with its file (pack)
  if (os_descriptor(*dbf_) >= 0) {
    use_.forget();
    return;
  }
  // One by one: a refused unlock (a dropped connection) leaves the others to go; the close
  // lets that one go in the end.
  const RecordSet held = records_;
  for (uint32_t r : held) {
    try {
      release_record(r);
    } catch (...) {
    }
  }
  try {
    release_file();
  } catch (...) {
  }
}

void TableLocks::take_use(FileSystem& env, File& dbf, bool exclusive, const std::string& table) {
  env_ = &env;
  dbf_ = &dbf;
  // This process holds the table for a maintenance run (repair): its opens are covered.
  if (ExclusiveHold::covers(dbf.path())) return;
  LockRange r = LockLayout::open();
  if (!acquire(*env_, *dbf_, r, exclusive ? LockMode::exclusive : LockMode::shared, LockWait::immediate()))
    throw Error(Errc::in_use, {table, {}, {}, {}},
                exclusive ? "cannot open for exclusive use: another program has the table open"
                          : "another program has the table open for exclusive use");
  use_ = Held(*dbf_, r);
  if (!whole_.take(dbf, exclusive ? LockMode::exclusive : LockMode::shared)) {
    use_.release();
    throw Error(Errc::in_use, {table, {}, {}, {}},
                exclusive ? "cannot open for exclusive use: another program (flock, as Harbour "
                            "takes it) has the table open"
                          : "another program (flock, as Harbour takes it) has the table open for "
                            "exclusive use");
  }
}

void TableLocks::failed(const File& f, LockRange r, std::string_view what,
                        std::optional<uint32_t> recno, const LockWait& w) const {
  std::string waited = w.kind == LockWait::Kind::immediate ? ""
                       : w.kind == LockWait::Kind::retries
                           ? fmt::format(" (tried {} times)", w.retries + 1)
                           : fmt::format(" (waited {:.1f} s)", double(w.timeout.count()) / 1000);
  throw Error(Errc::lock_timeout, {f.path(), r.offset, recno, {}},
              fmt::format("{} is locked by another user{}", what, waited));
}

Held TableLocks::take(File& f, LockRange r, LockMode m, std::string_view what,
                      std::optional<uint32_t> recno, const LockWait& w) const {
  if (!acquire(*env_, f, r, m, w)) failed(f, r, what, recno, w);
  return Held(f, r);
}

Held TableLocks::header() {
  if (!shared_) return {};
  return take(*dbf_, layout_->header(), LockMode::exclusive, "the table header", {}, internal_);
}

std::optional<Held> TableLocks::try_header() {
  if (!shared_) return Held();
  const LockRange r = layout_->header();
  if (!acquire(*env_, *dbf_, r, LockMode::exclusive, LockWait::immediate())) return std::nullopt;
  return Held(*dbf_, r);
}

Held TableLocks::memo(File* memo) {
  if (!shared_ || !memo) return {};
  return take(*memo, LockLayout::memo(), LockMode::exclusive, "the memo file", {}, internal_);
}

Held TableLocks::auto_record(uint32_t recno) {
  if (!shared_ || file_ || records_.count(recno)) return {};
  if (before_record_wait) {
    LockRange r = layout_->record(recno);
    if (acquire(*env_, *dbf_, r, LockMode::exclusive, LockWait::immediate())) return Held(*dbf_, r);
    before_record_wait();
  }
  const LockRange r = layout_->record(recno);
  if (!acquire(*env_, *dbf_, r, LockMode::exclusive, user_)) failed(*dbf_, r, fmt::format("record {}", recno), recno, user_);
  return Held(*dbf_, r);
}

bool TableLocks::try_record(uint32_t recno, const LockWait& w) {
  if (!acquire(*env_, *dbf_, layout_->record(recno), LockMode::exclusive, w)) return false;
  records_.insert(recno);
  return true;
}

void TableLocks::release_record(uint32_t recno) {
  if (!records_.erase(recno)) return;
  ++releases_;
  LockRange lr = layout_->record(recno);
  dbf_->unlock(lr.offset, lr.length);
}

void TableLocks::lock_records(std::span<const uint32_t> recnos) {
  if (!shared_ || file_) return;  // exclusive use or FLOCK: implicit
  boost::container::small_vector<uint32_t, 8> taken;
  try {
    for (uint32_t r : recnos) {
      if (records_.count(r)) continue;
      if (before_record_wait && !try_record(r, LockWait::immediate())) before_record_wait();
      if (!records_.count(r) && !try_record(r, user_)) failed(*dbf_, layout_->record(r), fmt::format("record {}", r), r, user_);
      taken.push_back(r);
    }
  } catch (...) {
    for (uint32_t r : taken) release_record(r);
    throw;
  }
}

void TableLocks::lock_file() {
  if (!shared_ || file_) return;
  LockRange f = layout_->file();
  // The file range covers our own record locks: give them up first (the file lock holds
  // them implicitly), so that taking it does not conflict with ourselves on SMB.
  const RecordSet had = records_;
  for (uint32_t r : had) release_record(r);
  bool got = false;
  if (before_record_wait && !(got = acquire(*env_, *dbf_, f, LockMode::exclusive, LockWait::immediate())))
    before_record_wait();
  if (!got && !acquire(*env_, *dbf_, f, LockMode::exclusive, user_)) {
    for (uint32_t r : had) try_record(r, LockWait::immediate());
    failed(*dbf_, f, "the table (another user holds a record or file lock)", {}, user_);
  }
  file_ = true;
}

void TableLocks::unlock_record(uint32_t recno) { release_record(recno); }

void TableLocks::unlock_all() {
  const RecordSet held = records_;
  for (uint32_t r : held) release_record(r);
  release_file();
}

void TableLocks::release_file() {
  if (!file_) return;
  ++releases_;
  LockRange f = layout_->file();
  dbf_->unlock(f.offset, f.length);
  file_ = false;
}

TableLocks::IndexHolds TableLocks::index(std::span<File* const> files, bool write) {
  IndexHolds held;
  if (!shared_ || index_held_) return held;
  // Every open index file, always in the same order (structural first).
  LockRange r = write ? layout_->index_write() : index_read();
  for (File* f : files)
    held.push_back(take(*f, r, write ? LockMode::exclusive : LockMode::shared, "the index", {}, internal_));
  index_held_ = !held.empty();
  return held;
}

void TableLocks::begin_transaction() {
  records_before_tx_ = records_;
  file_before_tx_ = file_;
}

void TableLocks::end_transaction(const std::function<bool(LockRange)>& released) {
  ++releases_;  // the transaction's own locks go
  for (auto it = records_.begin(); it != records_.end();)
    it = records_before_tx_.count(*it) && !released(layout_->record(*it)) ? std::next(it)
                                                                           : records_.erase(it);
  file_ = file_ && file_before_tx_ && !released(layout_->file());
  records_before_tx_.clear();
}

}  // namespace xbase::lock

#include "store/folder/folder_storage.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <thread>
#include <variant>

#include "store/beside.h"
#include "store/errors.h"
#include "store/folder/index_keys.h"
#include "store/clock.h"
#include "xbase/check.h"
#include "xbase/cursor.h"
#include "xbase/file.h"

namespace fs = std::filesystem;
using xbase::Table;
using xbase::Value;

namespace invoicing::store::folder {

namespace {

uint32_t recno(RowId id) { return uint32_t(id); }

// A unique index on what people type (a code, a name), not on a generated ID.
bool typed_unique(const IndexDef& ix) { return ix.unique && !(ix.parts.size() == 1 && ix.parts[0].field == fld::id); }

// The unique index a duplicate key can only have come from: the one not on a generated ID.
std::string duplicate_index(Tbl t) {
  for (const auto& ix : table_def(t).indexes)
    if (typed_unique(ix)) return ix.name;
  return "ID";
}

}  // namespace

fs::path table_path(const fs::path& dir, const TableDef& t) { return dir / (t.name + ".DBF"); }

xbase::OpenOptions FolderStorage::table_options(bool read_only) {
  xbase::OpenOptions o;
  o.read_only = read_only;
  // Waits are the store's to decide (lock() polls up to the wait it is given); a change never
  // waits for a record lock it did not take first.
  o.lock_wait = xbase::LockWait::immediate();
  // A company folder is written by this program alone (every change under the index lock):
  // its scans may read each record once (docs/multi-user.md, "Read batches").
  o.batched_scans = true;
  // A program that opens the company for writing commits soon (a command) or for a day (the
  // front end, which keeps its journal once it has one anyway): the journal listing at its
  // first open keeps a spare for it (an open, a lock, a read and a stat fewer at its first
  // commit; round trips on a share).
  o.keep_spare_journal = !read_only;
  return o;
}

std::unique_ptr<FolderStorage> FolderStorage::open(const fs::path& dir, bool read_only,
                                                   std::unique_ptr<xbase::Table> schema) {
  std::unique_ptr<FolderStorage> s(new FolderStorage());
  s->dir_ = dir;
  s->read_only_ = read_only;
  s->options_ = table_options(read_only);
  if (schema) s->tables_[Tbl::schema] = std::move(schema);
  // The other tables open on first use (table()): a command needs a few of the company's
  // tables, and each open is a shared-use lock, an index lock and the headers read, which on a
  // share are network round trips (issue 30). The seat table opens now: it settles the
  // folder's journals like any open, and holds the seat. SETTINGS, which every command reads
  // next (the company, the licence), opens beside it where both open alike; when either fails
  // there, the seat table opens alone and SETTINGS at its first use, each saying why as before
  // (a folder whose SETTINGS is held still names who holds its seats).
  const fs::path seats = table_path(dir, table_def(Tbl::seats));
  if (!read_only) {
    try {
      auto both = Table::open_all({seats, table_path(dir, table_def(Tbl::settings))}, s->options_);
      s->seats_ = std::move(both[0]);
      s->tables_[Tbl::settings] = std::move(both[1]);
      return s;
    } catch (const std::exception&) {
    }
  }
  xbase::OpenOptions so = s->options_;
  so.read_only = false;  // a seat is taken even by a program that only reads
  s->seats_ = Table::open(seats, so);
  return s;
}

void FolderStorage::keep_schema(std::unique_ptr<Table> schema) {
  if (schema) tables_[Tbl::schema] = std::move(schema);
}

FolderStorage::~FolderStorage() {
  rollback();
  // The seat's lock goes with the seat table's close (the engine unlocks what a closing table
  // holds where a close does not drop it): no unlock call of its own, a round trip on a share.
  seat_ = 0;
  // The tables close side by side (Table::close_all), the commit gate beside them: a command
  // ends by closing a dozen tables, on a share a round trip per file and two per file that
  // holds a lock (the seat, and what the last commit left to the closes).
  std::vector<std::unique_ptr<Table>> closing;
  for (auto& [t, tb] : tables_) closing.push_back(std::move(tb));
  tables_.clear();
  if (seats_) closing.push_back(std::move(seats_));
  std::thread gate_closing;
  if (gate_ && !closing.empty()) {
    try {
      gate_closing = std::thread([this] { gate_.reset(); });
    } catch (...) {
      // No thread to be had: the gate closes after the tables, as a member.
    }
  }
  Table::close_all(closing);
  if (gate_closing.joinable()) gate_closing.join();
}

// The storage is used again after a commit that left its locks to the closes: they go now
// (every use of a table comes through table()).
void FolderStorage::release_left_locks() noexcept {
  locks_left_ = false;
  for (auto& [t, tb] : tables_) tb->release_left_locks();
  if (gate_) gate_->release_left();
}

std::string FolderStorage::describe() const { return "data folder " + dir_.string(); }

Table& FolderStorage::table(Tbl t) {
  if (locks_left_) release_left_locks();
  auto it = tables_.find(t);
  if (it != tables_.end()) return *it->second;
  if (t == Tbl::seats) throw std::logic_error("the seat table is not read as a table");
  auto opened = Table::open(table_path(dir_, table_def(t)), options_);
  return *tables_.emplace(t, std::move(opened)).first->second;
}

void FolderStorage::open_ahead(const std::vector<Tbl>& wanted, bool to_write) {
  std::vector<Tbl> missing;
  std::vector<fs::path> paths;
  for (Tbl t : wanted)
    if (t != Tbl::seats && !tables_.contains(t) && std::find(missing.begin(), missing.end(), t) == missing.end()) {
      missing.push_back(t);
      paths.push_back(table_path(dir_, table_def(t)));
    }
  if (missing.size() < 2) return;  // one alone opens at its first use, as before
  // The commit gate opens beside them for an action that will commit (a finalization, a
  // conversion): the gate's open is one more round trip on a share. One that fails opens again
  // at the commit, which reports it.
  std::future<std::unique_ptr<CommitGate>> gate;
  if (to_write && !read_only_ && !gate_)
    gate = beside([dir = dir_]() -> std::unique_ptr<CommitGate> {
      try {
        return std::make_unique<CommitGate>(dir);
      } catch (const std::exception&) {
        return nullptr;
      }
    });
  try {
    auto opened = Table::open_all(paths, options_);
    for (size_t i = 0; i < missing.size(); ++i) tables_.emplace(missing[i], std::move(opened[i]));
  } catch (const std::exception&) {
    // Each opens again at its first use, which reports a failure in its own words.
  }
  if (gate.valid()) gate_ = gate.get();
}

Row FolderStorage::row_of(Tbl t, const xbase::Record& r) {
  Row row;
  row.id = r.recno();
  const auto& fields = table(t).fields();
  for (size_t i = 0; i < fields.size(); ++i) row.add(fields[i].name, r.get(i));
  return row;
}

std::vector<std::pair<size_t, Value>> FolderStorage::changes_of(Tbl t, const Row& row) {
  std::vector<std::pair<size_t, Value>> out;
  Table& tb = table(t);
  for (const auto& [name, v] : row.values()) {
    auto i = tb.field_index(name);
    if (!i) throw std::logic_error(fmt::format("{} has no field {}", table_def(t).name, name));
    out.emplace_back(*i, v);
  }
  return out;
}

std::optional<Row> FolderStorage::get(Tbl t, RowId id) {
  Table& tb = table(t);
  if (id == 0 || id > UINT32_MAX) return std::nullopt;
  // No record_count() first (a size and a header read): the engine reads the count again
  // itself when asked for a record past the one it knows, and says not_found past the end.
  std::optional<xbase::Record> r;
  try {
    r = tb.read(recno(id));
  } catch (const xbase::Error& e) {
    if (e.code() != xbase::Errc::not_found) throw;
    return std::nullopt;
  }
  if (r->deleted()) return std::nullopt;
  return row_of(t, *r);
}

void FolderStorage::check_index(Tbl t, const IndexDef& ix) {
  const auto& tags = table(t).tags();
  if (std::none_of(tags.begin(), tags.end(), [&](const xbase::TagInfo& i) { return i.name == ix.name; }))
    throw UserError(fmt::format("{}: index {} is missing; rebuild the indexes with `invoicing repair-indexes` "
                                "(everyone out of the data folder)",
                                table_def(t).name, ix.name));
}

// The tags are not listed before each use (issue 30): in shared use the index file is read on
// its first use, under the lock that use takes, and a listing first cost a lock of its own and
// the index counter read again at the use.
template <class F>
auto FolderStorage::with_index(Tbl t, const IndexDef& ix, F&& use) {
  Table& tb = table(t);
  try {
    return use(tb);
  } catch (const xbase::Error& e) {
    if (e.code() == xbase::Errc::not_found) check_index(t, ix);
    throw;
  }
}

void FolderStorage::range(Tbl t, std::string_view index, const std::vector<Value>& prefix, const RowFn& fn) {
  const TableDef& def = table_def(t);
  const IndexDef& ix = index_def(t, index);
  with_index(t, ix, [&](Table& tb) {
    // A cursor of its own: fn may walk this table (or this index) itself.
    xbase::Cursor cur(tb, ix.name);
    std::optional<xbase::Record> first;
    bool ok = prefix.empty() ? cur.go_top() : cur.find(seek_value(tb, def, ix, prefix), xbase::SeekMode::partial, first);
    rows_along(t, tb, cur, ok, first, 1, [&](const xbase::Record& r) { return prefix.empty() || prefix_matches(tb, ix, r, prefix); },
               fn);
  });
}

size_t FolderStorage::batch_rows(size_t round) { return round < 2 ? 1 : round >= 5 ? 64 : size_t(8) << (round - 2); }

void FolderStorage::rows_along(Tbl t, Table& tb, xbase::Cursor& cur, bool ok, std::optional<xbase::Record> first,
                               int step, const std::function<bool(const xbase::Record&)>& in, const RowFn& fn) {
  size_t round = 0;    // the first two rows are read alone: most ranges end there
  bool moved = true;   // the cursor stands on the next row to read (moving on waits for fn)
  // What fails while reading ahead (a row that does not decode, a move or a read refused)
  // fails the range only where the caller reaches it, as when each row was read in turn.
  std::vector<std::variant<Row, std::exception_ptr>> rows;
  for (;; ++round) {
    rows.clear();
    bool end = false;  // past the last row, a row outside the range met, or a failure
    {
      // Inside an action no batch is taken and nothing is read ahead: a row the action
      // changes must be handed on as it is then.
      const bool batched = !in_action();
      const size_t ahead = batched ? batch_rows(round) : 1;
      std::optional<xbase::ReadBatch> batch;
      if (batched && ahead > 1) batch.emplace(tb);
      for (size_t n = 0; n < ahead && !end; ++n) {
        try {
          if (!moved) ok = cur.skip(step);
          moved = false;
          auto r = first ? first : ok && !cur.eof() ? std::optional(cur.read()) : std::nullopt;
          first.reset();
          if ((end = !r || !in(*r))) break;
          if (!r->deleted()) rows.emplace_back(row_of(t, *r));
        } catch (const std::exception&) {
          rows.emplace_back(std::current_exception());
          end = true;
        }
      }
    }
    for (auto& row : rows) {
      if (auto* failed = std::get_if<std::exception_ptr>(&row)) std::rethrow_exception(*failed);
      if (!fn(std::get<Row>(row))) return;
    }
    if (end) return;
  }
}

// Each key's rows in turn (all rows for an empty key), handed to `take(k, row)` until it says
// no more for that key; `first_only`: a key's first row by the index only. Under a read batch
// (one lock and one counter read: docs/multi-user.md, "Read batches") each key's rows are found
// by the index alone (the key as the cursor's scope), and then read together
// (Table::read_each: a run of neighbours in one read, the rest side by side): on a share a
// document's lines cost a round trip or two, not one each. Nothing of the caller's runs between
// the reads, so an action may read this way too: the engine takes no batch once the action has
// written the table (it reads as ever then). A failure fails the whole call (its caller asked
// for all of them at once).
void FolderStorage::gather(Tbl t, std::string_view index, const std::vector<std::vector<Value>>& keys, bool first_only,
                           const std::function<bool(size_t, Row&&)>& take) {
  const TableDef& def = table_def(t);
  const IndexDef& ix = index_def(t, index);
  // A key's rows in turn, as range() reads them (a seek loads the index under a lock of its own,
  // where a scope alone would not).
  auto in_turn = [&](size_t k) {
    if (!first_only)
      range(t, index, keys[k], [&](const Row& r) { return take(k, Row(r)); });
    else if (auto r = Storage::find(t, index, keys[k]))
      take(k, std::move(*r));
  };
  std::vector<size_t> again;  // keys whose first row the index named is deleted or another key's
  with_index(t, ix, [&](Table& tb) {
    xbase::Cursor cur(tb, ix.name);
    for (size_t k = 0; k < keys.size();) {
      xbase::ReadBatch batch(tb);
      // At most 64 keys a batch (and their rows, however many: a document's lines), as
      // rows_along: writers wait for it.
      const size_t upto = std::min(keys.size(), k + 64);
      if (!batch.active()) {  // the action wrote the table; exclusive use
        for (; k < upto; ++k) in_turn(k);
        continue;
      }
      std::vector<size_t> key_of;  // for each record found, the place of its key
      std::vector<uint32_t> recnos;
      for (; k < upto; ++k) {
        if (keys[k].empty()) {
          cur.set_scope(std::nullopt, std::nullopt);
        } else {
          const Value v = seek_value(tb, def, ix, keys[k]);
          cur.set_scope(v, v);
        }
        for (bool ok = cur.go_top(); ok && !cur.eof(); ok = !first_only && cur.skip()) {
          key_of.push_back(k);
          recnos.push_back(cur.recno());
        }
      }
      size_t i = 0, done_key = SIZE_MAX;
      tb.read_each(recnos, [&](const xbase::Record& r) {
        const size_t key = key_of[i++];
        if (key == done_key) return;
        const bool in = keys[key].empty() || prefix_matches(tb, ix, r, keys[key]);
        if (first_only && (!in || r.deleted())) again.push_back(key);
        if (in && !r.deleted() && !take(key, row_of(t, r))) done_key = key;
      });
    }
  });
  // Rare: the first row under a key deleted, or under a longer text key.
  for (size_t key : again) in_turn(key);
}

std::vector<Row> FolderStorage::range_all(Tbl t, std::string_view index, const std::vector<Value>& prefix) {
  std::vector<Row> out;
  gather(t, index, {prefix}, false, [&](size_t, Row&& r) {
    out.push_back(std::move(r));
    return true;
  });
  return out;
}

// Two keys or more (one alone costs a lock more than a seek's counter read): the first row of
// range() for each key.
std::vector<std::optional<Row>> FolderStorage::find_each(Tbl t, std::string_view index,
                                                         const std::vector<std::vector<Value>>& keys) {
  if (keys.size() < 2) return Storage::find_each(t, index, keys);
  std::vector<std::optional<Row>> out(keys.size());
  gather(t, index, keys, true, [&](size_t k, Row&& r) {
    out[k] = std::move(r);
    return false;
  });
  return out;
}

void FolderStorage::walk(Tbl t, std::string_view index, const std::vector<Value>& from, bool backward,
                         const RowFn& fn) {
  const TableDef& def = table_def(t);
  const IndexDef& ix = index_def(t, index);
  with_index(t, ix, [&](Table& tb) { walk_index(t, def, ix, tb, from, backward, fn); });
}

void FolderStorage::walk_index(Tbl t, const TableDef& def, const IndexDef& ix, Table& tb,
                               const std::vector<Value>& from, bool backward, const RowFn& fn) {
  xbase::Cursor cur(tb, ix.name);
  bool ok = false;
  std::optional<xbase::Record> first;  // a forward walk's first row, read with its seek
  if (from.empty()) {
    ok = backward ? cur.go_bottom() : cur.go_top();
  } else {
    // A soft seek stands on the first key at or after `from` (or past the end); backward, the
    // rows with that key come first, then the ones before it.
    // Forward, the record it lands on is the first row (read with the seek); backward it is
    // not always, and the walk reads on from it.
    const xbase::Value key = seek_value(tb, def, ix, from);
    const bool matched = backward ? cur.find(key, xbase::SeekMode::soft) : cur.find(key, xbase::SeekMode::soft, first);
    if (!backward) {
      ok = !cur.eof();
    } else if (cur.eof()) {
      ok = cur.go_bottom();
    } else if (matched) {
      bool more = true;
      while ((more = cur.skip()) && !cur.eof() && prefix_matches(tb, ix, cur.read(), from)) {
      }
      ok = more && !cur.eof() ? cur.skip(-1) : cur.go_bottom();
    } else {
      ok = cur.skip(-1);
    }
  }
  rows_along(t, tb, cur, ok, first, backward ? -1 : 1, [](const xbase::Record&) { return true; }, fn);
}

// From the tag's pages alone, no record read: a deleted record still in the tag counts too
// (asked of the OPEN index, whose final invoices are never deleted).
size_t FolderStorage::count(Tbl t, std::string_view index, const std::vector<Value>& from) {
  const TableDef& def = table_def(t);
  const IndexDef& ix = index_def(t, index);
  return with_index(t, ix, [&](Table& tb) -> size_t {
    if (from.empty()) return tb.key_count(ix.name);
    // The first key at or after `from`, and where its record stands in the tag's order (the
    // record numbers in that order come from the index pages, a leaf at a time).
    xbase::Cursor cur(tb, ix.name);
    cur.find(seek_value(tb, def, ix, from), xbase::SeekMode::soft);
    if (cur.eof()) return 0;
    const auto order = tb.tag_order(ix.name);
    auto at = std::find(order.begin(), order.end(), cur.recno());
    return size_t(order.end() - at);
  });
}

void FolderStorage::scan(Tbl t, const RowFn& fn) {
  table(t).scan([&](const xbase::Record& r) { return r.deleted() ? true : fn(row_of(t, r)); });
}

void FolderStorage::scan_fields(Tbl t, const std::vector<std::string_view>& fields, const RowFn& fn) {
  Table& tb = table(t);
  std::vector<std::pair<std::string, size_t>> at;
  for (auto name : fields)
    if (auto i = tb.field_index(name)) at.emplace_back(std::string(name), *i);
  tb.scan([&](const xbase::Record& r) {
    if (r.deleted()) return true;
    Row row;
    row.id = r.recno();
    for (const auto& [name, i] : at) row.add(name, r.get(i));
    return fn(row);
  });
}

void FolderStorage::begin() {
  if (tx_) throw std::logic_error("an action is running already");
  if (read_only_) throw UserError(fmt::format("you need write access to the data folder {}", dir_.string()));
  tx_.emplace();
  joined_.clear();
  last_written_.reset();
}

void FolderStorage::join(Tbl t) {
  if (!tx_) throw std::logic_error("a change outside an action");
  if (joined_.insert(t).second) tx_->add(table(t));
}

// Every action writes tables in one order (Tbl's), because a write keeps the table's header
// and index locks until the commit: two actions writing two tables in opposite orders would
// each hold what the other waits for. A write out of order is a bug in the store.
void FolderStorage::write_to(Tbl t) {
  join(t);
  if (last_written_ && t < *last_written_)
    throw std::logic_error(fmt::format("{} written after {} in one action (tables are written in dictionary order)",
                                       table_def(t).name, table_def(*last_written_).name));
  last_written_ = t;
}

void FolderStorage::commit() {
  if (!tx_) throw std::logic_error("commit outside an action");
  try {
    // A table whose index file is gone (xbase repair dropped it, a copy lost it) takes no
    // write: the record would go in unindexed, and the command that wrote it would fail after
    // (doc new made a draft, said "error", and a retry made a second one). Asked here, where
    // the writes have read the index file already, and the action is given up when a tag is
    // missing: nothing reached the files.
    for (Tbl t : joined_) {
      if (indexes_checked_.count(t)) continue;
      for (const auto& ix : table_def(t).indexes) check_index(t, ix);
      indexes_checked_.insert(t);
    }
    // A backup copying the folder sees every commit whole or not at all (folder_gate.h).
    if (!gate_) gate_ = std::make_unique<CommitGate>(dir_);
    CommitGate::Pass pass(*gate_, false, kGateWait);
    if (locks_to_close_)
      tx_->leave_locks_to_close();
    else  // the gate let go beside the tables' locks: one round trip fewer on a share
      tx_->release_beside([gate = gate_.get()] { gate->leave(); });
    tx_->commit();
    if (locks_to_close_) {
      gate_->leave_to_close();
      locks_left_ = true;
    }
  } catch (const xbase::Error& e) {
    const auto outcome = tx_->outcome();
    tx_.reset();
    // A colleague's program died while saving, and its change was completed during this one:
    // nothing was written (docs/transactions.md); the action is one to try again.
    if (e.code() == xbase::Errc::retry)
      throw Busy("another workstation's program stopped while saving a change, which was completed just now; "
                 "nothing was changed, try again");
    if (e.code() != xbase::Errc::disk_full) throw;
    throw_disk_full(e, outcome);
  } catch (...) {
    tx_.reset();
    throw;
  }
  tx_.reset();
}

// The engine's "write failed: No space left on device" (with the file and offset) tells the
// user little; what they need is which disk, and whether their action happened.
void FolderStorage::throw_disk_full(const xbase::Error& e, xbase::Transaction::Outcome outcome) const {
  using O = xbase::Transaction::Outcome;
  const char* what = outcome == O::rolled_back ? "nothing was changed"
                     : outcome == O::committed ? "the change was made all the same (completed from its journal)"
                     : outcome == O::in_journal
                         ? "the change is in its journal and is completed by the next program that opens the folder"
                         : "the change may or may not have been made (see the error below)";
  throw xbase::Error(xbase::Errc::disk_full, {dir_.string(), {}, {}, {}},
                     fmt::format("the data folder's disk is full: {}; free some space and try again{}", what,
                                 outcome == O::uncertain ? " (" + e.detail() + ")" : std::string()));
}

void FolderStorage::rollback() noexcept {
  if (!tx_) return;
  try {
    tx_->rollback();
  } catch (...) {
  }
  tx_.reset();
}

void FolderStorage::lock(Tbl t, RowId id, std::chrono::milliseconds wait) { lock_all(t, {id}, wait); }

void FolderStorage::lock_all(Tbl t, const std::vector<RowId>& ids, std::chrono::milliseconds wait) {
  if (ids.empty()) return;
  join(t);
  Table& tb = table(t);
  std::vector<uint32_t> recnos;
  recnos.reserve(ids.size());
  for (RowId id : ids) recnos.push_back(recno(id));
  const auto deadline = steady_now() + wait;
  auto pause = std::chrono::milliseconds(5);
  for (;;) {
    try {
      // One batch: the engine settles the folder once after it (issue 30).
      tb.lock_records(recnos);
      return;
    } catch (const xbase::Error& e) {
      if (e.code() != xbase::Errc::lock_timeout) throw;
      if (steady_now() >= deadline) {
        // The record whose lock was refused, as the engine names it; none named: the look at
        // the folder after the locks waited for a colleague's commit still being written.
        const auto refused = e.where().record;
        if (!refused)
          throw Busy(fmt::format("{}: another workstation's change is still being written; try again",
                                 table_def(t).name));
        throw Busy(fmt::format("{} record {} is locked by another workstation", table_def(t).name, *refused));
      }
    }
    sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

// The record number of the first key equal to `key` (0: none), no record read (a range reads
// each record twice, unlocked).
uint32_t FolderStorage::first_with_key(Tbl t, std::string_view index, const std::vector<Value>& key) {
  const TableDef& def = table_def(t);
  const IndexDef& ix = index_def(t, index);
  return with_index(t, ix, [&](Table& tb) -> uint32_t {
    xbase::Cursor cur(tb, ix.name);
    return cur.find(seek_value(tb, def, ix, key), xbase::SeekMode::partial) && !cur.eof() ? cur.recno() : 0;
  });
}

bool FolderStorage::has_key(Tbl t, std::string_view index, const std::vector<Value>& key) {
  return first_with_key(t, index, key) != 0;
}

std::optional<Row> FolderStorage::find_locked(Tbl t, std::string_view index, const std::vector<Value>& key,
                                              std::chrono::milliseconds wait) {
  const uint32_t at = first_with_key(t, index, key);
  if (!at) return std::nullopt;
  lock(t, at, wait);
  Table& tb = table(t);
  const xbase::Record r = tb.read(at);  // once, under the lock (and kept: the engine's held records)
  if (!r.deleted() && prefix_matches(tb, index_def(t, index), r, key)) return row_of(t, r);
  // Deleted, or changed before it was ours: found again as any backend finds it.
  return Storage::find_locked(t, index, key, wait);
}

RowId FolderStorage::insert(Tbl t, Row& row) {
  write_to(t);
  Table& tb = table(t);
  std::vector<Value> values(tb.fields().size(), Value::empty());
  for (const auto& [i, v] : changes_of(t, row)) values[i] = v;
  uint32_t n = 0;
  try {
    n = tb.append(values);
  } catch (const xbase::Error& e) {
    if (e.code() != xbase::Errc::duplicate) throw;
    // A code given again after its customer, supplier or article was deleted: the record
    // deleted earlier takes the new values and is recalled (its ID stays: nothing names it,
    // or it could not have been deleted).
    const auto holder = deleted_holder(t, values);
    if (!holder) throw DuplicateKey(t, duplicate_index(t));
    n = *holder;
    std::vector<std::pair<size_t, Value>> all;
    for (size_t i = 0; i < values.size(); ++i)
      if (!tb.fields()[i].autoinc) all.emplace_back(i, values[i]);
    tb.update(n, all);
    tb.recall(n);
  }
  row.id = n;
  // Generated fields (autoincrement IDs) as the table gave them.
  auto r = tb.read(n);
  for (size_t i = 0; i < tb.fields().size(); ++i)
    if (tb.fields()[i].autoinc) row.set(tb.fields()[i].name, r.get(i));
  return n;
}

// The record holding the key that `values` (a whole record's fields) give index `ix`, if any.
std::optional<uint32_t> FolderStorage::key_holder(Tbl t, const IndexDef& ix, const std::vector<Value>& values) {
  Table& tb = table(t);
  std::vector<Value> key;
  for (const auto& part : ix.parts) key.push_back(values[*tb.field_index(part.field)]);
  return tb.seek(ix.name, seek_value(tb, table_def(t), ix, key), xbase::SeekMode::exact);
}

// The engine keeps the keys of deleted records in CANDIDATE tags, as Visual FoxPro does, so a
// unique key once used stays taken after its record was deleted. The deleted record holding
// every unique key of `values` that is taken (none held by a live record), or nothing.
std::optional<uint32_t> FolderStorage::deleted_holder(Tbl t, const std::vector<Value>& values) {
  Table& tb = table(t);
  const TableDef& def = table_def(t);
  std::optional<uint32_t> holder;
  for (const auto& ix : def.indexes) {
    if (!typed_unique(ix)) continue;
    const auto hit = key_holder(t, ix, values);
    if (!hit) continue;
    const xbase::Record r = tb.read(*hit);
    if (!r.deleted() || (holder && *holder != *hit)) return std::nullopt;
    holder = *hit;
  }
  return holder;
}

// An edit giving a record a unique key that only a deleted record holds (see deleted_holder):
// that record gives it up. Its key fields get a value no one can type (U+007F, refused in text
// by field_rules, then its record number), so it stays deleted, unique and out of every list.
// False when a live record holds the key or the index has no text part to mark.
bool FolderStorage::release_deleted_keys(Tbl t, uint32_t n, const std::vector<std::pair<size_t, Value>>& changes) {
  Table& tb = table(t);
  const TableDef& def = table_def(t);
  const xbase::Record current = tb.read(n);
  std::vector<Value> values;
  for (size_t i = 0; i < tb.fields().size(); ++i) values.push_back(current.get(i));
  for (const auto& [i, v] : changes) values[i] = v;
  for (const auto& ix : def.indexes) {
    if (!typed_unique(ix)) continue;
    const auto hit = key_holder(t, ix, values);
    if (!hit || *hit == n) continue;
    if (!tb.read(*hit).deleted()) return false;
    std::optional<size_t> text_part;
    for (const auto& part : ix.parts) {
      const size_t i = *tb.field_index(part.field);
      if (tb.fields()[i].type == xbase::FieldType::character) text_part = i;
    }
    if (!text_part) return false;
    std::string mark(1, '\x7F');
    mark += std::to_string(*hit);
    tb.update(*hit, *text_part, Value::text(mark));
  }
  return true;
}

void FolderStorage::update(Tbl t, RowId id, const Row& changes) {
  write_to(t);
  auto ch = changes_of(t, changes);
  if (ch.empty()) return;
  auto duplicate = [&](const xbase::Error& e) { return e.code() == xbase::Errc::duplicate; };
  try {
    table(t).update(recno(id), ch);
    return;
  } catch (const xbase::Error& e) {
    if (!duplicate(e)) throw;
  }
  try {
    if (release_deleted_keys(t, recno(id), ch)) {
      table(t).update(recno(id), ch);
      return;
    }
  } catch (const xbase::Error& e) {
    if (!duplicate(e)) throw;
  }
  throw DuplicateKey(t, duplicate_index(t));
}

void FolderStorage::remove(Tbl t, RowId id) {
  write_to(t);
  table(t).remove(recno(id));
}

int FolderStorage::take_seat(int allowed, const Identity& who) {
  for (int slot = 1; slot <= allowed && slot <= int(seats_->record_count()); ++slot) {
    try {
      seats_->lock_record(uint32_t(slot));
    } catch (const xbase::Error& e) {
      if (e.code() != xbase::Errc::lock_timeout) throw;
      continue;
    }
    seat_ = slot;
    std::vector<std::pair<size_t, Value>> ch = {
        {seats_->field_index_or_throw(fld::user), Value::text(who.user)},
        {seats_->field_index_or_throw(fld::workstation), Value::text(who.workstation)},
        {seats_->field_index_or_throw(fld::pid), Value::integer(getpid())},
        {seats_->field_index_or_throw(fld::since), Value::datetime(now_datetime())},
        {seats_->field_index_or_throw(fld::busy), Value::text("")}};
    seats_->update(uint32_t(slot), ch);
    return slot;
  }
  return 0;
}

void FolderStorage::release_seat() {
  if (!seat_) return;
  try {
    seats_->unlock_all();
  } catch (...) {
  }
  seat_ = 0;
}

std::vector<SeatHolder> FolderStorage::seat_holders(int allowed) {
  std::vector<SeatHolder> out;
  // The count once (a read of the seat table each, a round trip on a share; seats are never
  // removed, and one added meanwhile was not held when this began).
  const int slots = std::min(allowed, int(std::min<uint32_t>(seats_->record_count(), INT32_MAX)));
  for (int slot = 1; slot <= slots; ++slot) {
    bool ours = slot == seat_, held = ours;
    if (!held) {
      try {
        seats_->lock_record(uint32_t(slot));
        seats_->unlock_record(uint32_t(slot));
      } catch (const xbase::Error&) {
        held = true;
      }
    }
    if (!held) continue;
    auto r = seats_->read(uint32_t(slot));
    Row row;
    for (size_t i = 0; i < seats_->fields().size(); ++i) row.set(seats_->fields()[i].name, r.get(i));
    out.push_back({slot, {row.text(fld::user), row.text(fld::workstation)}, row.text(fld::busy), ours});
  }
  return out;
}

void FolderStorage::set_busy(const std::string& what) {
  if (!seat_) return;
  seats_->update(uint32_t(seat_), seats_->field_index_or_throw(fld::busy), Value::text(what));
}

// Company files stay where a data folder has always kept them: layouts/invoice.ini,
// purchases/17/original.xml.
std::optional<std::string> FolderStorage::read_file(FileKind kind, std::string_view name) {
  check_file_name(name);
  const fs::path p = dir_ / file_kind_name(kind) / std::string(name);
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  try {
    return xbase::read_whole(xbase::FileSystem::os(), p);
  } catch (const xbase::Error& e) {
    throw UserError(fmt::format("cannot read {}: {}", p.string(), e.detail()));
  }
}

void FolderStorage::write_file(FileKind kind, std::string_view name, const std::string& bytes) {
  check_file_name(name);
  if (read_only_) throw UserError(fmt::format("you need write access to the data folder {}", dir_.string()));
  const fs::path p = dir_ / file_kind_name(kind) / std::string(name);
  try {
    auto& fsys = xbase::FileSystem::os();
    fsys.create_directories(p.parent_path());
    xbase::write_durably(fsys, p, bytes);
  } catch (const xbase::Error& e) {
    throw UserError(fmt::format("cannot write {}: {}", p.string(), e.detail()));
  }
}

std::vector<std::string> FolderStorage::list_files(FileKind kind) {
  std::vector<std::string> out;
  const fs::path root = dir_ / file_kind_name(kind);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it.depth() > 1 || !it->is_regular_file(ec)) continue;
    const std::string name = it->path().lexically_relative(root).generic_string();
    try {
      check_file_name(name);  // temporary files (".x.tmp-...") and foreign names are not company files
    } catch (const std::invalid_argument&) {
      continue;
    }
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool FolderStorage::remove_file(FileKind kind, std::string_view name) {
  check_file_name(name);
  const fs::path p = dir_ / file_kind_name(kind) / std::string(name);
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return false;
  try {
    auto& fsys = xbase::FileSystem::os();
    fsys.remove(p);
    fsys.sync_dir(p.parent_path());
  } catch (const xbase::Error& e) {
    throw UserError(fmt::format("cannot remove {}: {}", p.string(), e.detail()));
  }
  return true;
}

std::vector<std::string> FolderStorage::check() {
  std::vector<std::string> problems;
  for (const auto& def : dictionary()) {
    auto res = xbase::check_table(table_path(dir_, def));
    for (const auto& f : res.findings)
      if (f.severity == xbase::Finding::Severity::problem)
        problems.push_back(fmt::format("{}: {}{}", def.name, f.tag.empty() ? "" : "tag " + f.tag + ": ", f.message));
    if (def.id == Tbl::seats) continue;
    const auto& have = table(def.id).tags();
    for (const auto& ix : def.indexes) {
      auto want = tag_spec(def, ix);
      auto it = std::find_if(have.begin(), have.end(), [&](const xbase::TagInfo& i) { return i.name == want.name; });
      if (it == have.end())
        problems.push_back(fmt::format("{}: index {} is missing (invoicing repair-indexes rebuilds it)", def.name, ix.name));
      else if (it->key_expr != want.key || it->for_expr != want.for_expr)
        problems.push_back(fmt::format("{}: index {} is on \"{}\" instead of \"{}\" (invoicing repair-indexes rebuilds it)",
                                       def.name, ix.name, it->key_expr, want.key));
    }
  }
  return problems;
}

}  // namespace invoicing::store::folder

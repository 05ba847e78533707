// The inside of an open xbase::Table, shared by the files that implement it:
//   open.cc         opening and creating a table, finishing a pack that was interrupted
//   records.cc      the record window, appends, changes, the header and its date stamp
//   indexes.cc      the open index files, index locks and reads, creating and dropping tags
//   maintenance.cc  pack, zap, reindex
//   cursor.cc       xbase::Cursor (record and tag order, scope, seek)
//   table.cc        the rest of the public Table (flush, sync, close, fields, locking)
// The locks the table holds are lock::TableLocks (lock/table_locks.h); its files all go
// through a journal::StagingFs so that a transaction can hold its changes back.
#pragma once

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "cdx/cdx_file.h"
#include "dbf/field_codec.h"
#include "dbf/header.h"
#include "journal/journal.h"
#include "journal/recovery.h"
#include "journal/staged_file.h"
#include "lock/table_locks.h"
#include "memo/memo_file.h"
#include "table/index_set.h"
#include "table/table_tx.h"
#include "xbase/table.h"

namespace xbase {

struct Table::Impl {
  // Every file of the table goes through this layer (declared first: it outlives them), so
  // that a transaction can hold the table's changes back (journal/staged_file.h).
  std::unique_ptr<journal::StagingFs> staging;
  // Settles the folder's journals without listing it when nothing changed (recovery.h).
  std::shared_ptr<journal::FolderWatch> watch;
  uint64_t replays_seen = 0;  // watch->replay_changes() when this table last looked
  // Another process (or this one) completed a dead process's commit since this table last
  // looked: its indexes are read again at their next use, under its lock (pages decoded from
  // what the dead process left half written keep their counters: they would look current).
  void forget_indexes_after_recovery();
  // After an index failed to load: whether a dead process's commit was completed meanwhile
  // (a settle now, or one since this table last looked): what failed may be its half-written
  // bytes, not damage.
  bool recovered_meanwhile();
  FileSystem* fs = nullptr;  // staging
  // The transaction this table belongs to (null when none), and the journal of its folder
  // (kept while the table is open).
  TxLink* tx = nullptr;
  std::shared_ptr<journal::Journal> journal;
  std::filesystem::path path;
  std::unique_ptr<File> dbf;
  lock::TableLocks locks;  // every lock of the table (released before dbf closes)
  OpenOptions options;     // as opened (to reopen after pack)
  bool shared = false;
  bool read_only = false;
  bool write_behind = false;

  // --- what the header says ---
  dbf::Header hdr;
  TableInfo info;
  std::vector<Field> fields;  // user fields
  const Field* nullflags = nullptr;
  const Codepage* cp = nullptr;
  bool header_dirty = false;
  bool stamped = false;
  struct {
    uint8_t bytes[3] = {};  // the header's date before stamp() set today's
    Date date;
  } unstamped;
  std::vector<Warning> warnings;
  std::function<void(const Warning&)> on_warning;

  // --- records (records.cc) ---
  uint32_t count = 0;       // records, including pending ones
  uint32_t disk_count = 0;  // records in the file
  std::vector<uint8_t> window;  // records read in one go
  uint32_t win_first = 0, win_n = 0;
  // Shared use: records read under a record or file lock of ours (or appended by this
  // transaction), kept as long as no such lock went (lock_generation()): no cooperating
  // writer can change them meanwhile, so reading them again needs no file call. A store
  // action reads what it locked several times (to check, to change, for the journal).
  struct HeldRecords {
    using Map = std::map<uint32_t, std::vector<uint8_t>>;
    uint64_t generation = 0;
    Map bytes;
    // Entries let go, kept for the next records (their node and buffer): a change in shared
    // use keeps its record and lets it go with the lock, no allocation each time.
    std::vector<Map::node_type> spare;
    void clear() {
      constexpr size_t kSpare = 8;
      while (!bytes.empty() && spare.size() < kSpare) spare.push_back(bytes.extract(bytes.begin()));
      bytes.clear();
    }
    std::vector<uint8_t>& slot(uint32_t recno) {
      if (auto it = bytes.find(recno); it != bytes.end()) return it->second;
      if (spare.empty()) return bytes[recno];
      Map::node_type n = std::move(spare.back());
      spare.pop_back();
      n.key() = recno;
      return bytes.insert(std::move(n)).position->second;
    }
  } held_records;
  uint64_t tx_epoch = 0;  // moves on as a transaction begins and ends
  uint64_t lock_generation() const { return locks.releases() + tx_epoch; }
  const uint8_t* held_record(uint32_t recno);
  const uint8_t* record_under_lock(uint32_t recno);
  [[noreturn]] void past_end(uint32_t recno) const;  // a record the file ends before
  std::vector<uint8_t> locked_record;  // record_under_lock's copy
  // A change's record before and after (update, delete, recall): kept buffers, no allocation
  // per change.
  std::vector<uint8_t> change_was, change_rec;
  std::pair<const uint8_t*, uint8_t*> change_copies(const uint8_t* cur);
  // One change of this table at a time (append, update, delete, recall): a warning handler
  // (`on_warning`) called inside one, e.g. when the index is found damaged at its first use,
  // may not change the table again: the outer change would go on from the record, keys and
  // record number it had, and overwrite the inner one's. Refused with Errc::usage.
  bool changing = false;
  class ChangeScope {
   public:
    ChangeScope(Impl& im, std::string_view what);
    ~ChangeScope() { im_.changing = false; }
    ChangeScope(const ChangeScope&) = delete;
    ChangeScope& operator=(const ChangeScope&) = delete;

   private:
    Impl& im_;
  };
  template <class Changes>
  void update_fields(uint32_t recno, const Changes& changes);  // Table::update (records.cc)
  void keep_held(uint32_t recno, const uint8_t* bytes);
  uint32_t last_read = 0;
  bool scanning = false;  // a bulk scan may serve records from its window
  // The records each running batched scan is handing on (Table::scan, nested ones too): a
  // write of this table into one makes the rest of it stale (read again record by record).
  struct ScanChunk {
    uint32_t first = 0, n = 0;
    uint32_t next = 0;  // the first record not handed on yet: a write before it changes nothing
    bool stale = false;
  };
  std::vector<ScanChunk*> scan_chunks;
  // The record changed, or was read again under a lock, after the running scans' chunks were
  // read: a chunk that has not handed it on yet reads the rest of its records again.
  void chunks_out_of_date(uint32_t recno);  // records.cc
  std::vector<uint8_t> check_buf;
  std::vector<uint8_t> pending;  // write-behind records disk_count+1 .. count
  std::vector<uint8_t> scratch;
  std::vector<uint8_t> blank_record;  // every field blank: the start of each appended record
  mutable dbf::CodecContext codec_;

  // --- memo file ---
  // Shared use opens the memo file at its first memo read or write, not at open: most opens
  // read no memo, and on a share each open is six round trips (issue 30). Exclusive use
  // (memo cache, write-behind, pack) and OpenOptions::memo_at_open open it at once.
  std::unique_ptr<memo::MemoFile> memo;  // open; null: none, missing, not opened yet or unreadable
  std::filesystem::path memo_path;       // found at open (empty: the table has none, or it is missing)
  memo::MemoKind memo_kind = memo::MemoKind::none;
  std::optional<Error> memo_error;       // why it could not be opened: every memo use throws it
  bool memo_warned = false;              // memo_unreadable said (once per table)
  // The memo file, opened now if it is not yet; null when the table has none (or it is
  // missing); throws memo_error (naming the file) when it cannot be read.
  memo::MemoFile* open_memo();
  // What the field codec is given while the memo file is not open: a memo read, or a write of
  // a non-empty memo, opens it; an empty memo writes nothing, as MemoFile::write does.
  class MemoOnDemand final : public memo::MemoFile {
   public:
    explicit MemoOnDemand(Impl& im) : MemoFile(nullptr), im_(im) {}
    memo::Block read(uint32_t block, const Location& where) override { return real().read(block, where); }
    uint32_t write(uint32_t old_block, uint32_t type, std::string_view data) override {
      return data.empty() ? 0 : real().write(old_block, type, data);
    }
    void flush() override {}   // nothing written yet
    void reload() override {}  // the header is read when it opens
    void reset() override { real().reset(); }
    uint32_t block_size() const override { return real().block_size(); }
    uint64_t blocks_used(size_t n) const override { return real().blocks_used(n); }
    memo::MemoKind kind() const override { return im_.memo_kind; }

   private:
    memo::MemoFile& real() const { return *im_.open_memo(); }  // on_demand is given only with a memo_path
    Impl& im_;
  };
  mutable MemoOnDemand memo_on_demand{*this};

  // --- indexes (indexes.cc) ---
  std::unique_ptr<IndexSet> index;  // the structural CDX
  std::filesystem::path index_path;
  // Why the structural index could not be opened (empty when it was, or there is none): every
  // later "no index"/"no tag" error names the damaged file instead of only the missing tag.
  std::string index_problem;
  // Standalone CDX files opened with open_index (SET INDEX TO), kept up to date as well.
  std::vector<std::unique_ptr<IndexSet>> extra;
  std::vector<std::filesystem::path> extra_paths;
  std::vector<TagInfo> all_tags;  // tags of every open index, when there are standalone ones
  size_t sort_memory = 96u << 20;
  // What cursors (xbase/cursor.h) check before each move, drawn from one process-wide
  // counter so that a reopened table (after pack) never repeats a value: `sets_epoch` changes
  // whenever an index file is added, dropped or replaced (a cursor finds its tag again),
  // `positions_epoch` whenever record numbers or whole indexes were rebuilt (a cursor is then
  // unpositioned, as VFP leaves a work area after PACK).
  uint64_t sets_epoch = next_epoch();
  uint64_t positions_epoch = next_epoch();
  static uint64_t next_epoch() {
    static std::atomic<uint64_t> counter{0};
    return ++counter;
  }

  // ------------------------------------------------------------------ table.cc
  void warn(Warning w);
  void need_writable() const;
  // Before a change of records: the DBC's triggers and rules are not run (warned once, or
  // refused with OpenOptions::refuse_database_code).
  void database_code(std::string_view what);
  bool database_code_warned = false;
  // Reads the backlink's DBC and gives the fields their long names (before the indexes open).
  void follow_backlink();
  void need_no_tx(std::string_view what) const;
  void need_exclusive(std::string_view what) const;
  void build_fields();
  // Today's date on the table's file system clock (date stamps, two-digit header years).
  Date today() const;

  // ------------------------------------------------------------------ records.cc
  // The codec context for one record: kept, so that encoding or decoding a field does not
  // copy the table's path each time. Valid until the next call.
  const dbf::CodecContext& ctx(uint32_t recno) const;
  uint64_t record_offset(uint32_t recno) const {
    return uint64_t(hdr.header_len) + uint64_t(recno - 1) * hdr.record_len;
  }
  void check_recno(uint32_t recno);
  // The record's bytes: from the window, the pending appends, or the file.
  const uint8_t* record_bytes(uint32_t recno);
  // Shared use: a read that overlaps another process's write of the same bytes can return
  // part of each. Reading again until two reads agree rules that out; a writer holds the
  // record lock while it writes, so under our own lock one read is enough.
  size_t read_stable(uint64_t off, uint8_t* buf, size_t n, bool locked);
  // Shared use: the record count as the file holds it now (dbf/record_count.h). True when the
  // read brought the whole file (a small table) into header_scratch.
  bool refresh_count();
  // A scan's first window, from `from` on, out of the whole file refresh_count() just read.
  void window_from_whole_file(uint32_t from);
  // A table whose file, as last known, is shorter than one header read: the whole file in
  // `b`, read at once, and true when the read came back short (it ended at the file's end:
  // its size is b.size(), no question to the server). False, `b` undefined, otherwise.
  bool read_small_file(std::vector<uint8_t>& b);
  bool small_file() const;  // read_small_file() reads it whole
  void count_from(uint64_t size, uint64_t header_count);
  // Whether a transaction of this process holds the header lock (kept until it ends): then
  // no other process appends or rewrites the header, and the count and autoincrement
  // counters are the ones this process last read or wrote (docs/multi-user.md).
  bool header_ours();
  // Every record in runs, for the index builds (IndexSet::RecordScan).
  IndexSet::RecordScan record_scan();

  // A bulk scan: records may come from the window it reads (each window is read as a whole).
  struct Scanning {
    Impl& im;
    bool was;
    explicit Scanning(Impl& i) : im(i), was(i.scanning) {
      im.scanning = true;
      im.win_n = 0;  // nothing read before the scan began is served
    }
    ~Scanning() {
      im.scanning = was;
      if (!was && im.shared) im.win_n = 0;
    }
  };

  // A field whose values live in the memo file: memo fields, and dBASE's 'B' (a binary memo
  // outside Visual FoxPro, where 'B' is a double).
  static bool in_memo_file(const Field& f, Format format) {
    return f.is_memo() || (f.type == FieldType::double_ && format != Format::vfp);
  }
  // A value that puts bytes into the memo file. An empty text or binary writes none (the
  // field's pointer becomes 0), so it needs no memo lock.
  bool writes_memo(const Field& f, const Value& v) const;
  // The memo allocation lock, while memo blocks are written (shared use only).
  lock::Held memo_lock() { return locks.memo(open_memo() ? &memo->file() : nullptr); }

  // Shared use: writes the date stamp once, under the header lock, before any other lock is
  // taken for the change (header before index, as appends take them).
  void stamp_shared();
  bool stamp();
  // Writes the header; in shared use under the header lock, with the count as the file has it.
  // `wait` false: only when the header lock is free now (else false, nothing written).
  bool write_header_locked(bool wait = true);
  void unstamp();  // stamp() undone: the date as the file has it
  // Writes bytes 1..7 (date, count) and autoincrement counters of the header.
  void write_header();
  void flush_pending();
  void flush();
  // Shared use: count and autoincrement counters (and the date stamp) in one read.
  void refresh_header(bool date);
  uint64_t counters_end() const;  // where the header's last autoincrement counter ends (8: none)
  // The lock a change of the record takes (none when held), or an append's header lock, named
  // with the read that follows it in a transaction (journal::ReadForLock: made beside the look at
  // the folder after a new lock): the record, or refresh_header(false)'s read.
  lock::Held record_lock_to_change(uint32_t recno);
  lock::Held header_lock_to_append();
  journal::ReadForLock header_read_for_lock();
  std::vector<uint8_t> header_scratch;
  void set_autoinc_next(size_t hdr_index, int32_t next);

  // Appends a record given as its stored bytes (memo pointers must be 0 or point into this
  // table's memo file); for tools that move records that do not decode (repair's quarantine).
  uint32_t append_bytes(std::span<const uint8_t> bytes);
  uint32_t append_record(std::span<const Value> values);
  // The record in `scratch` becomes record `recno` (count + 1), its keys added (under the
  // header lock the caller holds).
  uint32_t store_appended(uint32_t recno);
  void set_deleted(uint32_t recno, bool deleted);
  // Replaces a record, keeping the tags in step. `before`: the record as the caller just read
  // it under the record's lock (no other cooperating writer can have changed it since), in a
  // buffer of its own (change_copies) that the change does not write.
  void change_record(uint32_t recno, const uint8_t* after, const uint8_t* before);
  void write_record(uint32_t recno, const uint8_t* bytes);
  // After a rollback: what this object derived from the forgotten changes (count, header
  // date and counters, memo allocation, index pages) is read again from the files.
  void reload_after_rollback();

  // ------------------------------------------------------------------ indexes.cc
  // A copy (a loop may set a damaged index aside), inline: no allocation per change.
  using IndexList = boost::container::small_vector<IndexSet*, 4>;
  IndexList indexes();
  IndexSet* find_set(std::string_view tag);
  // The index holding a tag (or, when none does, one that will say so by name).
  IndexSet& need_index(std::string_view what, std::string_view tag = {});
  // "the structural index is damaged and not used (T.CDX: why); run `xbase check T.DBF`".
  std::string damaged_index() const;
  // The indexes of this table in a CDX file.
  std::unique_ptr<IndexSet> make_set(std::unique_ptr<cdx::CdxFile> f);
  // Opens a CDX file of this table; warns about tags it cannot maintain. `lazy`: opened
  // without reading it (IndexSet::loaded), warnings then come with the first use.
  // `file`, `opened`: the index file already opened at `p` (Table::open), else opened here.
  std::unique_ptr<IndexSet> open_index_file(const std::filesystem::path& p, bool ro, bool lazy = false,
                                            std::unique_ptr<File> file = nullptr);
  void open_structural_index(const std::filesystem::path& p, bool ro, std::unique_ptr<File> opened = nullptr);
  void warn_tags(IndexSet& set);
  // Reads an index opened unloaded, under an index lock the caller holds. When the structural
  // index does not parse it is set aside (as a damaged one is at open) and false returned.
  bool load_index(IndexSet& set);
  // The structural index read before its tags are looked at outside an operation (tags(),
  // a new cursor): under the index read lock, as the open did before loading became lazy.
  void ready_indexes();
  // Indexes that failed their first load: kept (unused) so that the operation that found them
  // damaged can still release its locks and references.
  std::vector<std::unique_ptr<IndexSet>> dead_indexes;
  // Sets or clears the structural-index flag (header byte 28).
  void set_index_flag(bool on);
  // Before INDEX ON: exclusive use, buffered records written, a name no open index uses.
  void prepare_new_tag(const TagSpec& spec);

  // Shared use: the index lock for one operation. Takes it (shared to read, exclusive to
  // write), drops cached pages when another process changed the index, and on done() flushes
  // a writer's pages (which bumps the update counter) before releasing it.
  class IndexGuard {
   public:
    IndexGuard(Impl& im, bool write);
    IndexGuard(const IndexGuard&) = delete;
    IndexGuard& operator=(const IndexGuard&) = delete;
    void done();
    bool owns() const { return owner_; }  // took the lock (shared use, not held already)
    ~IndexGuard();

   private:
    [[noreturn]] static void damaged(Impl& im);
    Impl& im_;
    bool write_;
    bool owner_ = false;
    lock::TableLocks::IndexHolds held_;
  };

  // --- read batches (read_batch.cc) ---
  std::unique_ptr<IndexGuard> batch;  // the shared index lock a ReadBatch holds
  // The shared index lock one read operation took for itself (reading_index), in a table
  // opened with OpenOptions::batched_scans: a record read inside that operation (a seek that
  // reads what it lands on, Cursor::find's `landed`) is read once, as in a batch.
  bool operation_lock = false;
  // Whether a record read now needs no second read: a batch's or an operation's index lock.
  bool index_keeps_writers_out() const { return batch || operation_lock; }
  ReadBatch* batch_handle = nullptr;  // told when the batch ends from here (a close)
  bool begin_batch(ReadBatch& handle);
  void end_batch() noexcept;
  // Refuses what a read batch forbids: while this thread holds one on another table, any
  // read or change of this one in shared use; while this table holds one, a `change` (or a
  // record lock, or a second batch).
  void need_no_batch(std::string_view what, bool change) const;

  // Whether every open index file still reads as when its pages were cached (one read of
  // each header; false when there is none).
  bool indexes_unchanged();
  bool index_ours(IndexSet& s);
  bool writes_shared() const { return shared && !read_only; }
  // Shared use outside a transaction, before a read from the files: a dead process's commit
  // left half-applied is completed (the folder is looked at once a second at most, through
  // the journal marker and the journals of live owners: journal/recovery.h). True when a
  // commit was completed: what was read before may be older.
  bool settle_for_read();

  // --- lock order in a transaction (indexes.cc) ---
  // A transaction keeps its locks until it ends, but it must not wait for a record lock while
  // it keeps an index lock: a writer that takes record before index (VFP, and this engine
  // outside transactions) would wait for us while we wait for it. Before such a wait the
  // index locks are given up (their staged pages kept); the next index operation takes them
  // again and, when another writer changed the file meanwhile, makes the transaction's keys
  // again from its records on the file as it is now.
  struct YieldedIndex {
    IndexSet* set;
    uint8_t head[12];  // the base file's root, free list and update counter when given up
    uint64_t size;
  };
  std::vector<YieldedIndex> yielded;
  bool dead_yielded = false;  // the lock of an index set aside was given up with them
  // Each record the transaction changed or appended, as it was before (none: appended).
  std::map<uint32_t, std::optional<std::vector<uint8_t>>> tx_before;
  std::string tx_broken;  // why the transaction cannot commit (its keys could not be made again)
  Errc tx_broken_code = Errc::io;
  void note_tx_change(uint32_t recno, const uint8_t* before);
  void yield_index_locks();
  void retake_index_locks();  // under the index write lock just taken again
  void remake_tx_keys();
  bool tx_holds(LockRange r);  // records.cc
  bool holds_record(uint32_t recno);  // records.cc: locked by us, also by a transaction
  bool holds_file();                  // records.cc: the file lock, ours or a transaction's

  // A read of the index in shared use (or nothing to lock). When no index file changed since
  // its pages were read, the read runs on the cached pages without taking the lock: those
  // pages are the last version a writer completed. A page it would have to read from the
  // file sends it round again under the lock, so `fn` must be repeatable (work on a copy of
  // any state and commit it at the end).
  template <typename Fn>
  auto reading_index(Fn&& fn) {
    settle_for_read();
    forget_indexes_after_recovery();
    if (shared && !locks.index_held() && yielded.empty() && indexes_unchanged()) {
      const auto sets = indexes();
      struct CacheOnly {
        const IndexList& sets;
        explicit CacheOnly(const IndexList& s) : sets(s) {
          for (IndexSet* x : sets) x->file().store().set_cache_only(true);
        }
        ~CacheOnly() {
          for (IndexSet* x : sets) x->file().store().set_cache_only(false);
        }
      } only(sets);
      try {
        return fn();
      } catch (const cdx::PageStore::NotCached&) {
      }
    }
    IndexGuard g(*this, false);
    // As a read batch's lock (docs/multi-user.md, "Read batches"): this operation's own shared
    // lock of the structural index keeps every cooperating writer out of every record.
    struct OperationLock {
      bool& on;
      const bool was;
      OperationLock(bool& o, bool now) : on(o), was(o) { on = now; }
      ~OperationLock() { on = was; }
    } op(operation_lock, g.owns() && index && !tx && options.batched_scans);
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      g.done();
    } else {
      auto r = fn();
      g.done();
      return r;
    }
  }

  // Moves a tag cursor with fn(cursor) under reading_index; fn works on a copy, which becomes
  // the cursor when it is done (so that a second round starts from the same place).
  template <typename Fn>
  bool move_cursor(IndexSet::Cursor& cursor, Fn&& fn) {
    return reading_index([&] {
      IndexSet::Cursor c = cursor;
      bool ok = fn(c);
      cursor = std::move(c);
      return ok;
    });
  }

  // ------------------------------------------------------------------ maintenance.cc
  // Builds every tag of an index file again into a new file beside it, then renames that into
  // place; returns the new file opened.
  std::unique_ptr<IndexSet> rebuilt(std::unique_ptr<IndexSet> old, const std::filesystem::path& p);
  // Rebuilds every open index (zap, pack, reindex).
  void rebuild_index();
};

}  // namespace xbase

// xbase::Table: one DBF table with its memo file and structural index.
//
// Shared use (the default) lets other processes and other xBase programs on the same share
// work on the table at once: every change takes the locks of the chosen LockScheme, appends
// are serialised by the header lock, and nothing is served from a cache another process may
// have made stale (records are read from the file, the record count from its size, index
// pages are dropped when the index's update counter moved). Writes go through immediately.
// Exclusive use keeps everyone else out; only then may write-behind gather appended records
// in memory for large writes, and only then can tags be created or dropped, or the table
// packed, zapped or reindexed.
//
// A Table holds no position: xbase::Cursor (xbase/cursor.h) walks it in record or tag order.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xbase/error.h"
#include "xbase/file.h"
#include "xbase/index.h"
#include "xbase/lock.h"
#include "xbase/schema.h"
#include "xbase/value.h"

namespace xbase {

struct OpenOptions {
  FileSystem* fs = nullptr;  // nullptr: the real file system
  bool read_only = false;
  // Codepage to read text with, overriding the header mark (0: use the mark).
  int codepage = 0;
  // Codepage for tables whose mark is 0 (no codepage recorded).
  int default_codepage = 1252;
  // Exclusive use: refused while anyone else has the table open, and keeps them out.
  bool exclusive = false;
  // The lock offsets of the other programs sharing the files (reference section 6).
  LockScheme lock_scheme = LockScheme::vfp;
  // Waiting for record and file locks (RLOCK/FLOCK, and the automatic lock of an update).
  LockWait lock_wait = LockWait::up_to(std::chrono::seconds(10));
  // Waiting for the short header, index and memo locks other writers hold.
  std::chrono::milliseconds internal_lock_timeout{30000};
  // Gather appended records in memory and write them in large blocks (bulk loads; needs
  // exclusive use). Their index keys are gathered too and go into the tags sorted, all at
  // once, before a tag is next read or changed (a tag still empty is then built in bulk).
  bool write_behind = false;
  // A table of a Visual FoxPro database whose DBC defines insert/update/delete triggers or
  // field/record rules: the engine cannot run that FoxPro code. A write warns once
  // (database_code_not_run) that it was not run; with this set, writes are refused instead.
  bool refuse_database_code = false;
  // Shared use opens the memo file at the first memo read or write (each open of a file is
  // round trips on a share); this opens it with the table, as exclusive use always does: its
  // header's problems are then warnings of the open, and info() has its block size (tools
  // that report on the files).
  bool memo_at_open = false;
  // Shared use: scans read past their first 64 KiB in read batches, each record once instead
  // of twice, and a seek that takes the index lock reads the record it lands on once, under
  // that lock (Cursor::find's `landed`; docs/multi-user.md, "Read batches"). Sound only where
  // every writer of the table writes its records under the index lock: programs using this
  // engine, not Visual FoxPro or Harbour. The invoicing store sets it for its company folder.
  bool batched_scans = false;
  // A listing of the folder's journals while this process has no journal there (in practice
  // the one at its first open in the folder) keeps a spare journal it finds for this process,
  // its owner lock held, so that the first transaction takes it without opening, locking and
  // reading it again (docs/transactions.md, "Spare journals"). For a program that changes
  // something soon after it opens (the invoicing store opening for writing): one that never
  // commits holds it for nothing until its last table of the folder closes, and colleagues who
  // find no other spare meanwhile create a journal (two syncs more each).
  bool keep_spare_journal = false;
  // Called for every tolerant reading (also kept in Table::warnings()). It may run inside a
  // change of the table (an index found damaged at its first use); a change of the same table
  // from there is refused (Errc::usage): the outer change would overwrite it.
  std::function<void(const Warning&)> on_warning;
  // Memory for sorting keys when an index tag is built; larger builds sort in temporary
  // files beside the index. An entry costs its key length + 32 bytes: the default sorts a
  // million 40-byte keys in memory.
  size_t sort_memory = 96u << 20;
};

struct CreateOptions {
  FileSystem* fs = nullptr;
  Format format = Format::vfp;
  int codepage = 1252;          // 0: write mark 0 (no codepage recorded)
  uint32_t memo_block_size = 0; // 0: 64 for FPT, 512 for DBT
  bool write_behind = false;
  bool overwrite = false;       // replace existing files instead of refusing
  // The new table stays open for exclusive use, as CREATE TABLE leaves it, unless false.
  bool exclusive = true;
  LockScheme lock_scheme = LockScheme::vfp;
  // Visual FoxPro: the path of the database container (DBC) the table belongs to, relative to
  // the table (the header's 263-byte backlink); empty for a free table.
  std::string backlink;
};

struct TableInfo {
  uint8_t version = 0;
  Format format = Format::vfp;
  std::string version_name;  // "Visual FoxPro", "dBASE III with memo", ...
  uint8_t codepage_mark = 0;
  int codepage = 0;           // the codepage text is read with
  uint32_t header_count = 0;  // record count stored in the header when opened
  uint64_t count_by_size = 0; // records the file size holds
  uint16_t header_length = 0;
  uint16_t record_length = 0;
  Date last_update;           // as stored (year expanded)
  uint8_t flags = 0;          // byte 28
  bool structural_index = false;  // flag 0x01 set
  bool has_memo = false;
  // Empty when none, missing or unreadable; shared use finds a memo file unreadable, and
  // learns its block size (0 until then), when it opens it (OpenOptions::memo_at_open).
  std::string memo_path;
  uint32_t memo_block_size = 0;
  std::optional<std::string> structural_index_path;  // the .cdx file, when found
  std::string backlink;       // VFP database container path, empty for a free table
  // When the backlink's DBC was read: its path, the table's name there, and what code the
  // DBC defines for it (the engine reports it, it cannot run it).
  std::string database_path;
  std::string database_table;
  bool database_triggers = false;  // insert, update or delete triggers
  bool database_rules = false;     // field or record validation rules
};

class Table;

// A view of one record; valid until the next change to the table.
class Record {
 public:
  uint32_t recno() const { return recno_; }
  bool deleted() const { return bytes_.size() > 0 && bytes_[0] == '*'; }
  Value get(size_t field) const;
  Value get(std::string_view name) const;
  // The field's stored bytes, untranslated (memo fields: the pointer bytes).
  std::string_view raw(size_t field) const;
  std::span<const uint8_t> bytes() const { return bytes_; }

 private:
  friend class Table;
  Record(Table* t, uint32_t recno, std::span<const uint8_t> bytes)
      : table_(t), recno_(recno), bytes_(bytes) {}
  Table* table_;
  uint32_t recno_;
  std::span<const uint8_t> bytes_;
};

class Table {
 public:
  static std::unique_ptr<Table> open(const std::filesystem::path& path,
                                     const OpenOptions& opts = {});
  // Opens the tables at `paths` with the same options, side by side where the file system
  // allows (FileSystem::parallel_files), one thread per table: on a share each open is a few
  // round trips one after the other (the file's open, its shared-use lock, its header, its
  // index's open), so a command's tables open in the time of the slowest. In the order given;
  // the first failure is thrown once every open is back (the tables opened close again).
  // `opts.on_warning` may then be called from several threads at once.
  static std::vector<std::unique_ptr<Table>> open_all(const std::vector<std::filesystem::path>& paths,
                                                      const OpenOptions& opts = {});
  static std::unique_ptr<Table> create(const std::filesystem::path& path,
                                       std::vector<Field> fields,
                                       const CreateOptions& opts = {});
  ~Table();  // flushes; errors there are lost: call close() to see them
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  void flush();  // writes buffered records and the header, then syncs nothing (see sync())
  void sync();   // flush() and make the files durable (fsync)
  void close();
  // Closes every table of `tables` (the vector ends empty), side by side where their file
  // system allows (FileSystem::parallel_files), one thread per table: on a share each file's
  // close is a round trip to the server, and a locked file's two (the client unlocks it
  // first), so a command's tables close in the time of the slowest instead of the sum. In
  // turn when a table is in a transaction (whose bookkeeping is not shared across threads) or
  // no thread is to be had. Failures are lost, as with the destructor.
  static void close_all(std::vector<std::unique_ptr<Table>>& tables) noexcept;

  const TableInfo& info() const;
  const std::filesystem::path& path() const;
  // User fields in table order (the _NullFlags system field is not listed).
  const std::vector<Field>& fields() const;
  // Every field descriptor, system fields (_NullFlags) included.
  const std::vector<Field>& descriptors() const;
  std::optional<size_t> field_index(std::string_view name) const;
  size_t field_index_or_throw(std::string_view name) const;
  // In shared use, the count the file holds now (another process may have appended).
  uint32_t record_count() const;
  const std::vector<Warning>& warnings() const;

  // --- reading ---
  // In shared use every read goes to the file, so it sees what other processes wrote before;
  // inside a scan's fn from the scan's block, but a record this process holds locked is read
  // under the lock.
  Record read(uint32_t recno);
  // Reads records from `from` on, in record order, in large blocks (one read of the file per
  // block rather than per record), until fn returns false or the last record. The Record fn
  // is given is valid during fn only, and was read before any lock fn takes: read() the record
  // again under its lock before writing back a value computed from it.
  void scan(const std::function<bool(const Record&)>& fn, uint32_t from = 1);
  // read() of each record of `recnos`, handed to fn in that order (a Record valid during fn
  // only). Under this table's own read batch (ReadBatch) in shared use, records near each
  // other come in one read and the rest side by side where the file system allows
  // (FileSystem::parallel_files): on a share a document's ten lines are one round trip, not
  // ten. Elsewhere each is read as read() reads it.
  void read_each(const std::vector<uint32_t>& recnos, const std::function<void(const Record&)>& fn);
  Value get(uint32_t recno, size_t field) { return read(recno).get(field); }
  // Decoding tolerant of bad stored values: a value that does not decode becomes null
  // and a warning (with file, offset, record, field) is reported instead of an Error.
  Value get_tolerant(const Record& r, size_t field);

  // --- indexes: the structural CDX, and standalone CDX files opened with open_index ---
  // Tags of every open index, structural first (TagInfo::index_file says which file holds
  // each); empty when there is none or it could not be read (see warnings).
  const std::vector<TagInfo>& tags() const;
  // SET INDEX TO: opens a standalone (non-structural) CDX as well; while it is open its tags
  // can be used like the structural ones and are kept up to date by every change. A tag name
  // must not be in two open index files.
  void open_index(const std::filesystem::path& cdx);
  // Record numbers in the tag's order (FOR, UNIQUE and DESCENDING as stored in the index).
  std::vector<uint32_t> tag_order(std::string_view tag);
  size_t key_count(std::string_view tag);
  // The differences between a tag and the keys its expression gives for the records
  // (empty: the tag is right). Each line names the tag, the entry or record and the key.
  std::vector<std::string> verify_tag(std::string_view tag, size_t limit = 20);
  // The first record (in ascending key order) whose key matches; nullopt when none does.
  std::optional<uint32_t> seek(std::string_view tag, const Value& key,
                               SeekMode mode = SeekMode::partial);
  // INDEX ON ... TAG ...: builds the tag over the existing records (creating the structural
  // CDX when the table has none). Every tag is then kept up to date by every change.
  void create_tag(const TagSpec& spec);
  // INDEX ON ... TAG ... OF file: the tag goes into a standalone CDX (created when missing,
  // and opened as open_index does). The structural index's own path means create_tag(spec).
  void create_tag(const TagSpec& spec, const std::filesystem::path& file);
  void drop_tag(std::string_view tag);
  // Rebuilds all tags of every open index from their stored definitions into new files
  // renamed into place.
  void reindex();

  // --- writing ---
  uint32_t append();  // a blank record
  // Values in user field order; fewer values than fields leave the rest blank.
  uint32_t append(std::span<const Value> values);
  // A record given as its stored bytes (record_length of them, deletion flag first), for
  // tools that move records which do not decode; memo pointers must be 0.
  uint32_t append_bytes(std::span<const uint8_t> bytes);
  // Checks that append(values) would accept these values (types, lengths, codepage) without
  // writing anything; throws the Error append would throw.
  void validate(std::span<const Value> values);
  void update(uint32_t recno, size_t field, const Value& v);
  void update(uint32_t recno, std::span<const std::pair<size_t, Value>> changes);
  void remove(uint32_t recno);  // sets the deleted flag
  void recall(uint32_t recno);  // clears it
  void zap();                   // removes every record and memo
  // Removes deleted records and unused memo space. Writes new files beside the old ones,
  // then renames them into place; the originals stay as .bak files until that succeeded.
  void pack();

  // --- multi-user (shared use) ---
  bool exclusive() const;
  LockScheme lock_scheme() const;
  // RLOCK: locks records for this process until unlocked (all of them or none), waiting as
  // OpenOptions::lock_wait says; throws Errc::lock_timeout naming the record when it expires.
  // update/remove/recall lock the record themselves for the change when it is not locked.
  void lock_record(uint32_t recno);
  void lock_records(std::span<const uint32_t> recnos);
  // FLOCK: the whole table; record locks are then implicit.
  void lock_file();
  void unlock_record(uint32_t recno);
  void unlock_all();  // records and file
  bool holds_lock(uint32_t recno) const;  // locked by us (explicitly, or by the file lock)
  // Unlocks what a committed transaction left to this table's close
  // (Transaction::leave_locks_to_close); nothing when it left none.
  void release_left_locks() noexcept;
  bool holds_file_lock() const;

  struct Impl;

 private:
  friend class Record;
  friend class Cursor;  // navigation lives in xbase/cursor.h
  friend struct TxAccess;  // a transaction's access (engine/src/table/table_tx.h)
  friend class ReadBatch;
  explicit Table(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A short stretch of reads of one table in shared use under its shared index lock
// (docs/multi-user.md, "Read batches"). Every cooperating writer changes a record of a table
// with a structural index only under that index's exclusive lock, so while the batch holds it
// no record and no index page can change: seeks read no update counter, and a record is read
// once instead of twice (no torn read to rule out). One lock, one counter read and one unlock
// per index file for the whole batch.
//
// Writers of the table wait for the batch, so keep it short and bounded by the caller (a page
// of a list, a report's lookups), never across a pause for input. While it is open, this
// thread reads no other table in shared use (that table's lock could wait on a writer that
// waits for this batch), and changes and record locks of this table are refused
// (Errc::usage). It does nothing (reads go on as without it) in exclusive use, inside a
// transaction, or for a table without a usable structural index. Begin it, end it and close
// its table on one thread; closing the table ends it (the object may outlive the table).
class ReadBatch {
 public:
  explicit ReadBatch(Table& t);
  ~ReadBatch();
  ReadBatch(const ReadBatch&) = delete;
  ReadBatch& operator=(const ReadBatch&) = delete;
  void end();            // gives the lock up (the destructor does it too); never throws
  bool active() const;   // whether it holds the lock (records are read once)

 private:
  friend struct Table::Impl;  // a table closing ends its batch and lets go of this object
  Table* t_;
  bool active_ = false;
};

}  // namespace xbase

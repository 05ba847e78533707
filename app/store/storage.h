// The storage interface: what the store needs from where a company's data lives, so that the
// store's rules are written once and run on either backend (store/folder/: the xBase data
// folder every workstation shares; later PostgreSQL). Records travel as `Row`s keyed by the
// dictionary's field names; indexes are the dictionary's.
//
// Changes happen only inside an action (begin .. commit): all of it reaches the data or none,
// and the record locks taken in it are held until it ends. Reads outside an action see what
// others committed; inside one they also see the action's own changes. Every action takes its
// locks before it changes anything, and writes tables in dictionary order (documents.cc says
// why), so two workstations never wait on each other in a circle.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/dictionary.h"
#include "store/row.h"

namespace invoicing::store {

struct Identity {
  std::string user;
  std::string workstation;
};

struct SeatHolder {
  int slot = 0;
  Identity who;
  std::string busy;  // what it said it is doing under a lock others may wait for
  bool ours = false;
};

// The files a company keeps beside its tables, by kind: a data folder holds each kind in its
// subfolder (layouts/, import-profiles/, purchases/), a database in its company_file table.
enum class FileKind { layout, import_profile, purchase };
// "layouts", "import-profiles", "purchases": the folder, and the kind's name in a database.
const char* file_kind_name(FileKind k);
inline constexpr FileKind kFileKinds[] = {FileKind::layout, FileKind::import_profile, FileKind::purchase};
// A company file's name: one or two parts separated by '/' ("invoice.ini", "17/original.xml"),
// each of letters, digits, '.', '-', '_' and '%', not starting with '.', at most 200 characters:
// it becomes a file name in a data folder (nothing that leaves the folder or troubles
// Windows). Throws std::invalid_argument naming the name otherwise.
void check_file_name(std::string_view name);

// Returns false to stop.
using RowFn = std::function<bool(const Row&)>;

class Storage {
 public:
  virtual ~Storage() = default;
  // "data folder /srv/firma", for messages.
  virtual std::string describe() const = 0;

  // --- reading -----------------------------------------------------------------------------
  virtual std::optional<Row> get(Tbl t, RowId id) = 0;
  // Rows whose leading index fields equal `prefix` (all rows for an empty prefix), in the
  // index's order.
  virtual void range(Tbl t, std::string_view index, const std::vector<xbase::Value>& prefix, const RowFn& fn) = 0;
  // Rows in the index's order from the first whose leading key fields are at or after `from`
  // (from the first row for an empty `from`); `backward`: in reverse order from the last whose
  // key is at or before `from` (from the last row for an empty `from`). A page seeks to its
  // first key, and "the newest first" walks the ID index back, instead of reading all.
  virtual void walk(Tbl t, std::string_view index, const std::vector<xbase::Value>& from, bool backward,
                    const RowFn& fn) = 0;
  // Every row, in storage order (the fastest way through a whole table).
  virtual void scan(Tbl t, const RowFn& fn) = 0;
  // The same with rows holding at least `fields` (a backend may skip decoding the others): a
  // search through every customer reads four fields of each, not twenty.
  virtual void scan_fields(Tbl t, const std::vector<std::string_view>& fields, const RowFn& fn) {
    (void)fields;
    scan(t, fn);
  }
  // Runs `reads` so that everything it reads is of one moment, whatever others commit
  // meanwhile (a database: one REPEATABLE READ READ ONLY transaction). A data folder reads
  // as it always does: its callers that need one moment copy the files under the commit gate.
  virtual void at_one_moment(const std::function<void()>& reads) { reads(); }
  // How many rows the index holds from the first whose leading key fields are at or after
  // `from` (all of them for an empty `from`), from the keys alone where the backend can: the
  // dashboard counts 100,000 open invoices without reading one.
  virtual size_t count(Tbl t, std::string_view index, const std::vector<xbase::Value>& from);
  // The first row whose index fields equal `key`.
  std::optional<Row> find(Tbl t, std::string_view index, const std::vector<xbase::Value>& key);
  // range() gathered: every row whose leading index fields equal `prefix`, none handed on
  // before all are read (a document's lines). A data folder reads them in read batches, inside
  // an action too as long as it has not written the table (nothing of the caller's runs
  // between the reads).
  virtual std::vector<Row> range_all(Tbl t, std::string_view index, const std::vector<xbase::Value>& prefix);
  // find() for each key, answers in the keys' order: a report's lookups of one table (the
  // articles of a document's lines). A data folder reads them in read batches, as range_all.
  virtual std::vector<std::optional<Row>> find_each(Tbl t, std::string_view index,
                                                    const std::vector<std::vector<xbase::Value>>& keys);
  // Whether the index holds `key`, from its keys alone where the backend can (a data folder
  // reads no record: a removed row whose key the index still holds counts, so this is for
  // tables whose rows are never removed, as the numbering series).
  virtual bool has_key(Tbl t, std::string_view index, const std::vector<xbase::Value>& key) {
    return find(t, index, key).has_value();
  }

  // --- changing (inside an action) ---------------------------------------------------------
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual bool in_action() const = 0;
  // For a command that ends once its actions are done (the CLI): each commit leaves its locks
  // to the closes of the files, which drop them in the same call, instead of unlocking each (on
  // a share a round trip each); the next use of the storage unlocks them first. Destroy the
  // storage (close the company) right after the last action: until then other workstations
  // wait for those locks. Does nothing where closes do not drop locks.
  virtual void leave_locks_to_close() {}
  // Says which tables the action about to run reads or writes (`to_write`: an action that
  // will commit), or a listing reads: a data folder opens those not open yet side by side (on a
  // share each open is a few round trips, one after the other), instead of each at its first
  // use. Nothing else changes: a table that fails to open here opens (and says why) at its
  // first use.
  virtual void open_ahead(const std::vector<Tbl>& tables, bool to_write = true) {
    (void)tables;
    (void)to_write;
  }
  // Locks the record until the action ends, waiting up to `wait` for another workstation;
  // throws Busy naming the record after that.
  virtual void lock(Tbl t, RowId id, std::chrono::milliseconds wait) = 0;
  // lock() of each, in the order given (a data folder takes them as one batch: the folder's
  // journals are looked at once after the batch, not after each record).
  virtual void lock_all(Tbl t, const std::vector<RowId>& ids, std::chrono::milliseconds wait) {
    for (RowId id : ids) lock(t, id, wait);
  }
  // find(), then lock() what it found and read it again under the lock: the row as it is now
  // that it is ours (nullopt when there is none, or it went before it was ours). A data folder
  // takes the record number from the index's keys and reads the record once, under its lock,
  // where finding it first read it twice unlocked (the torn-read rule): two round trips fewer.
  virtual std::optional<Row> find_locked(Tbl t, std::string_view index, const std::vector<xbase::Value>& key,
                                         std::chrono::milliseconds wait);
  // Stores a new row; fields the backend generates (autoincrement IDs) are set in `row`.
  // A key a unique index holds already throws DuplicateKey.
  virtual RowId insert(Tbl t, Row& row) = 0;
  virtual void update(Tbl t, RowId id, const Row& changes) = 0;
  virtual void remove(Tbl t, RowId id) = 0;

  // --- seats: one per running program, freed when it ends (or dies) -------------------------
  // Takes the first free of `allowed` seats for `who`; 0 when all are taken.
  virtual int take_seat(int allowed, const Identity& who) = 0;
  virtual void release_seat() = 0;
  virtual std::vector<SeatHolder> seat_holders(int allowed) = 0;
  // Says in our seat what we are doing under a lock others may wait for ("" clears).
  virtual void set_busy(const std::string& what) = 0;

  // --- company files (FileKind) --------------------------------------------------------------
  // A file's bytes; nullopt when there is none.
  virtual std::optional<std::string> read_file(FileKind kind, std::string_view name) = 0;
  // Writes a file whole: a reader sees the old bytes or the new, never part (a folder: a
  // temporary file synced and renamed; a database: one row, in the running action when there is
  // one, else in a transaction of its own).
  virtual void write_file(FileKind kind, std::string_view name, const std::string& bytes) = 0;
  // The names of a kind's files, sorted ("17/original.xml" for a file in a subfolder).
  virtual std::vector<std::string> list_files(FileKind kind) = 0;
  // Removes a file; false when there was none.
  virtual bool remove_file(FileKind kind, std::string_view name) = 0;

  // --- administration ----------------------------------------------------------------------
  // Problems of the storage itself (the folder: every table and tag as `xbase check` sees
  // them, and every index the dictionary declares present).
  virtual std::vector<std::string> check() = 0;
};

// A key a unique index holds already.
struct DuplicateKey : std::runtime_error {
  DuplicateKey(Tbl t, std::string index)
      : std::runtime_error("duplicate key in index " + index), table(t), index(std::move(index)) {}
  Tbl table;
  std::string index;
};

// One all-or-nothing change: begins on construction, rolls back unless committed.
class Action {
 public:
  explicit Action(Storage& s) : s_(s) { s_.begin(); }
  ~Action() {
    if (active_) s_.rollback();
  }
  Action(const Action&) = delete;
  Action& operator=(const Action&) = delete;
  void commit() {
    s_.commit();
    active_ = false;
  }

 private:
  Storage& s_;
  bool active_ = true;
};

}  // namespace invoicing::store

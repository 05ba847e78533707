// The xBase data folder as a storage backend: one DBF (with FPT memo and CDX index) per table
// of the dictionary, opened for shared use so that every workstation works on the same files;
// an action is one xbase::Transaction (a crash leaves all of it or none); record locks are the
// engine's byte-range locks, which other workstations (and other xBase programs) see.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "store/folder/folder_gate.h"
#include "store/storage.h"
#include "xbase/cursor.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

namespace invoicing::store::folder {

class FolderStorage final : public Storage {
 public:
  // Opens the tables of a data folder of the current schema version for shared use.
  // `schema`: SCHEMA as the caller opened it with table_options() to read its stamp, kept
  // (the folder's journals stay settled while one of its tables is open: no second listing).
  static std::unique_ptr<FolderStorage> open(const std::filesystem::path& dir, bool read_only = false,
                                             std::unique_ptr<xbase::Table> schema = nullptr);
  // SCHEMA, opened beside the storage's open with table_options() to read its stamp, kept as
  // `schema` above.
  void keep_schema(std::unique_ptr<xbase::Table> schema);
  // How the storage opens a table of the folder.
  static xbase::OpenOptions table_options(bool read_only);
  ~FolderStorage() override;

  std::string describe() const override;
  const std::filesystem::path& dir() const { return dir_; }

  std::optional<Row> get(Tbl t, RowId id) override;
  void range(Tbl t, std::string_view index, const std::vector<xbase::Value>& prefix, const RowFn& fn) override;
  void walk(Tbl t, std::string_view index, const std::vector<xbase::Value>& from, bool backward,
            const RowFn& fn) override;
  std::vector<Row> range_all(Tbl t, std::string_view index, const std::vector<xbase::Value>& prefix) override;
  std::vector<std::optional<Row>> find_each(Tbl t, std::string_view index,
                                            const std::vector<std::vector<xbase::Value>>& keys) override;
  void scan(Tbl t, const RowFn& fn) override;
  void scan_fields(Tbl t, const std::vector<std::string_view>& fields, const RowFn& fn) override;
  size_t count(Tbl t, std::string_view index, const std::vector<xbase::Value>& from) override;

  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool in_action() const override { return tx_.has_value(); }
  void leave_locks_to_close() override { locks_to_close_ = true; }
  void open_ahead(const std::vector<Tbl>& tables, bool to_write = true) override;
  void lock(Tbl t, RowId id, std::chrono::milliseconds wait) override;
  void lock_all(Tbl t, const std::vector<RowId>& ids, std::chrono::milliseconds wait) override;
  bool has_key(Tbl t, std::string_view index, const std::vector<xbase::Value>& key) override;
  std::optional<Row> find_locked(Tbl t, std::string_view index, const std::vector<xbase::Value>& key,
                                 std::chrono::milliseconds wait) override;
  RowId insert(Tbl t, Row& row) override;
  void update(Tbl t, RowId id, const Row& changes) override;
  void remove(Tbl t, RowId id) override;

  int take_seat(int allowed, const Identity& who) override;
  void release_seat() override;
  std::vector<SeatHolder> seat_holders(int allowed) override;
  void set_busy(const std::string& what) override;

  std::optional<std::string> read_file(FileKind kind, std::string_view name) override;
  void write_file(FileKind kind, std::string_view name, const std::string& bytes) override;
  std::vector<std::string> list_files(FileKind kind) override;
  bool remove_file(FileKind kind, std::string_view name) override;

  std::vector<std::string> check() override;

 private:
  // UserError when the table's index file lacks a tag the dictionary declares (`xbase repair`
  // drops a damaged index): asked only once the engine failed to find it, or before a commit.
  void check_index(Tbl t, const IndexDef& ix);
  // Runs `use` on the table; an engine's "no tag" for `ix` becomes check_index()'s message.
  template <class F>
  auto with_index(Tbl t, const IndexDef& ix, F&& use);
  uint32_t first_with_key(Tbl t, std::string_view index, const std::vector<xbase::Value>& key);
  FolderStorage() = default;
  // The table, opened on its first use.
  xbase::Table& table(Tbl t);
  void join(Tbl t);
  void write_to(Tbl t);
  void walk_index(Tbl t, const TableDef& def, const IndexDef& ix, xbase::Table& tb,
                  const std::vector<xbase::Value>& from, bool backward, const RowFn& fn);
  // Hands fn the rows from the cursor's place on, moving by `step`, while `in` holds (a
  // range's prefix). Outside an action the first two rows are read alone (a find wants one;
  // a batch costs a lock and an unlock more, which pays from its second row on), then rows
  // are read ahead in read batches of 8, 16, 32, then 64 (xbase::ReadBatch: one index
  // lock and one counter read per batch, each record read once instead of twice with a
  // counter read before it, docs/multi-user.md "Read batches") and handed to fn once the
  // batch has let go: fn may read other tables, or begin an action, meanwhile. The rows
  // handed on are as read ahead (up to 64 rows before fn sees them).
  // `first`, when given, is the record the cursor stands on, read with its seek
  // (xbase::Cursor::find's `landed`: once, under the lock a first use of the index takes).
  void rows_along(Tbl t, xbase::Table& tb, xbase::Cursor& cur, bool ok, std::optional<xbase::Record> first,
                  int step, const std::function<bool(const xbase::Record&)>& in, const RowFn& fn);
  // range_all() and find_each(): each key's rows (`first_only`: its first) read in read
  // batches, handed to `take` (the key's place, the row) until it returns false for that key.
  void gather(Tbl t, std::string_view index, const std::vector<std::vector<xbase::Value>>& keys, bool first_only,
              const std::function<bool(size_t, Row&&)>& take);

 public:
  // Rows rows_along reads in its round `round` (0, 1, ...): 1, 1, 8, 16, 32, then 64.
  static size_t batch_rows(size_t round);

 private:
  [[noreturn]] void throw_disk_full(const xbase::Error& e, xbase::Transaction::Outcome outcome) const;
  Row row_of(Tbl t, const xbase::Record& r);
  std::vector<std::pair<size_t, xbase::Value>> changes_of(Tbl t, const Row& row);
  std::optional<uint32_t> key_holder(Tbl t, const IndexDef& ix, const std::vector<xbase::Value>& values);
  std::optional<uint32_t> deleted_holder(Tbl t, const std::vector<xbase::Value>& values);
  bool release_deleted_keys(Tbl t, uint32_t n, const std::vector<std::pair<size_t, xbase::Value>>& changes);

  std::filesystem::path dir_;
  bool read_only_ = false;
  xbase::OpenOptions options_;                            // how table() opens a table
  std::map<Tbl, std::unique_ptr<xbase::Table>> tables_;  // those opened so far (table())
  std::unique_ptr<xbase::Table> seats_;  // opened on its own: seat locks are never waited for
  std::optional<xbase::Transaction> tx_;
  std::unique_ptr<CommitGate> gate_;  // opened at the first commit or ahead (readers never pass it)
  bool locks_to_close_ = false;       // leave_locks_to_close()
  bool locks_left_ = false;           // a commit left its locks to the closes since
  void release_left_locks() noexcept;
  std::set<Tbl> joined_;
  std::optional<Tbl> last_written_;  // the order guard: tables are written in Tbl order
  std::set<Tbl> indexes_checked_;     // tables whose dictionary indexes were all found (commit)
  int seat_ = 0;
};

std::filesystem::path table_path(const std::filesystem::path& dir, const TableDef& t);

}  // namespace invoicing::store::folder

// A PostgreSQL database as a storage backend: the tables pg_schema.h makes from the
// dictionary, an action is one transaction, a record lock is SELECT ... FOR UPDATE with the
// wait as lock_timeout, unique indexes refuse duplicates, and a seat is a session advisory lock
// (the server frees it when the program's connection ends, however it ended) with the holder
// written in SEATS. Seats use a connection of their own, so that what a program says it is busy
// with is seen at once, not when its action commits.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "store/postgres/pg_connection.h"
#include "store/storage.h"

namespace invoicing::store::postgres {

class PgStorage final : public Storage {
 public:
  // Connects to a database holding a company of the current schema version.
  static std::unique_ptr<PgStorage> open(const std::string& target, bool read_only = false);
  ~PgStorage() override;

  std::string describe() const override;
  PgConnection& connection() { return *conn_; }

  std::optional<Row> get(Tbl t, RowId id) override;
  void range(Tbl t, std::string_view index, const std::vector<xbase::Value>& prefix, const RowFn& fn) override;
  void walk(Tbl t, std::string_view index, const std::vector<xbase::Value>& from, bool backward,
            const RowFn& fn) override;
  void scan(Tbl t, const RowFn& fn) override;
  void at_one_moment(const std::function<void()>& reads) override;
  size_t count(Tbl t, std::string_view index, const std::vector<xbase::Value>& from) override;

  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool in_action() const override { return in_action_; }
  void lock(Tbl t, RowId id, std::chrono::milliseconds wait) override;
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
  // Before a change to company_file (made in the running action, else alone: a statement is its
  // own transaction).
  void writable();
  // range() and walk(): rows with the index's leading fields equal to `prefix`, from `from` on
  // (`counted`: only how many, into it).
  void ordered(Tbl t, std::string_view index, const std::vector<xbase::Value>& prefix,
               const std::vector<xbase::Value>& from, bool backward, const RowFn& fn, size_t* counted = nullptr);
  PgStorage() = default;
  void read_rows(Tbl t, const std::string& sql, const Params& params, const RowFn& fn);
  void write_to(Tbl t);
  void ready();
  void reconnect();
  // Runs `body` so that a failing statement does not end the action (a savepoint around it).
  template <class F>
  auto guarded(F&& body);

  std::string target_;
  bool read_only_ = false;
  std::unique_ptr<PgConnection> conn_;
  std::unique_ptr<PgConnection> seat_conn_;
  bool in_action_ = false;
  std::string xid_;  // the running action's transaction id
  std::optional<Tbl> last_written_;
  bool seat_session_alive();
  int seat_ = 0;
  // For taking the seat again after the connection came back (a server restart ends the
  // session that held it).
  int seats_allowed_ = 0;
  Identity seat_who_;
};

// A move of the database's company under way (`invoicing migrate --from ...`): the moving
// program holds a session advisory lock for the whole copy, on a connection of its own, so that
// a program that starts meanwhile is told the company is being moved. The server frees it when
// that session ends, however it ended.
class MoveHold {
 public:
  // UserError when another program moves the company already.
  explicit MoveHold(const std::string& target);
  ~MoveHold();
  MoveHold(const MoveHold&) = delete;
  MoveHold& operator=(const MoveHold&) = delete;

 private:
  std::string target_;
  std::unique_ptr<PgConnection> conn_;
};

// Whether another program moves the company of the database now (this program's own move
// does not count).
bool move_under_way(PgConnection& c);

}  // namespace invoicing::store::postgres

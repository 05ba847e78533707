// One libpq connection to the PostgreSQL server that holds a company, and the few ways the
// store talks through it: statements with text parameters (NULL for a missing value), results
// read as text. Errors become the store's: a lost connection is StorageUnavailable (the server
// rolls back whatever was running), any other failure a PgError carrying the SQLSTATE so that
// callers can tell a lock wait or a duplicate key from a bug.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <functional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace invoicing::store::postgres {

// "postgresql://..." or "postgres://...": a database target rather than a data folder.
bool is_database_target(const std::string& target);
// The target without its password, for messages.
std::string display_target(const std::string& target);

struct PgError : std::runtime_error {
  PgError(std::string sqlstate, const std::string& message)
      : std::runtime_error(message), sqlstate(std::move(sqlstate)) {}
  std::string sqlstate;  // "23505": unique violation, "55P03": lock not available
};

class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  int rows() const;
  int columns() const;
  std::string column_name(int c) const;
  bool is_null(int row, int c) const;
  std::string text(int row, int c) const;

 private:
  pg_result* r_;
};

using Params = std::vector<std::optional<std::string>>;

class PgConnection {
 public:
  // Connects; StorageUnavailable naming the target (without its password) when it cannot.
  explicit PgConnection(const std::string& target);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PgResult exec(const std::string& sql, const Params& params = {});
  // Several statements separated by ';', no parameters.
  void exec_script(const std::string& sql);
  // The same, keeping the last statement's rows.
  PgResult query_script(const std::string& sql);
  // BEGIN, `work`, COMMIT: all of it or, when anything in it throws, ROLLBACK and the error
  // passed on (the connection is never left in a failed transaction).
  void in_transaction(const std::function<void()>& work);
  // Session settings, made now and again after every reconnect.
  void set_session(const std::string& sql);
  // Whether the connection still works; reconnects once when it broke (outside a transaction
  // only, the caller's business).
  bool reconnect_if_lost();
  // Whether libpq knows the connection is gone (it learns it from a failed statement).
  bool lost() const;
  const std::string& target() const { return target_; }
  // The data rows of a COPY ... TO STDOUT, one string per row (with its newline).
  std::vector<std::string> copy_out(const std::string& sql);
  // Sends rows (each with its newline) to a COPY ... FROM STDIN.
  void copy_in(const std::string& sql, const std::vector<std::string>& rows);

 private:
  [[noreturn]] void fail(pg_result* r, const std::string& sql);
  pg_conn* c_ = nullptr;
  std::string target_;
  std::string session_sql_;
};

// 'text' quoted as an SQL identifier or literal.
std::string quote_ident(const std::string& s);

}  // namespace invoicing::store::postgres

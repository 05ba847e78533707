#include "store/postgres/pg_connection.h"

#include <fmt/format.h>

#include <algorithm>
#include <libpq-fe.h>

#include "store/errors.h"

namespace invoicing::store::postgres {

PgResult::~PgResult() {
  if (r_) PQclear(r_);
}
int PgResult::rows() const { return PQntuples(r_); }
int PgResult::columns() const { return PQnfields(r_); }
std::string PgResult::column_name(int c) const { return PQfname(r_, c); }
bool PgResult::is_null(int row, int c) const { return PQgetisnull(r_, row, c); }
std::string PgResult::text(int row, int c) const {
  return std::string(PQgetvalue(r_, row, c), size_t(PQgetlength(r_, row, c)));
}

PgConnection::PgConnection(const std::string& target) : target_(target) {
  c_ = PQconnectdb(target.c_str());
  if (!c_ || PQstatus(c_) != CONNECTION_OK) {
    std::string why = c_ ? PQerrorMessage(c_) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (c_) PQfinish(c_);
    c_ = nullptr;
    const bool password = why.find("password") != std::string::npos;
    throw StorageUnavailable(fmt::format("cannot connect to the database {}: {}{}", display_target(target), why,
                                         password ? " (the password is taken from PGPASSWORD or the file ~/.pgpass; "
                                                    "the program never keeps it in its settings)"
                                                  : ""));
  }
  // Messages from the server stay out of the user's terminal; errors come back as exceptions.
  PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  if (c_) PQfinish(c_);
}

void PgConnection::fail(pg_result* r, const std::string& sql) {
  std::string state, msg;
  if (r) {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    state = s ? s : "";
    const char* m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    msg = m ? m : PQresultErrorMessage(r);
    PQclear(r);
  } else {
    msg = PQerrorMessage(c_);
  }
  if (PQstatus(c_) == CONNECTION_BAD || state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" ||
      state == "57P03") {
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    // Lost while COMMIT was on its way: the server may have committed before the answer was
    // lost, so "nothing was changed" would be a guess (the store asks the server afterwards).
    if (sql == "COMMIT")
      throw StorageUnavailable(fmt::format(
          "the connection to the database {} was lost while the change was being saved ({}); it may or may "
          "not have been saved: look before doing it again",
          display_target(target_), msg));
    throw StorageUnavailable(fmt::format(
        "the connection to the database {} was lost ({}); what was being done was rolled back, nothing was changed",
        display_target(target_), msg));
  }
  throw PgError(state, fmt::format("{} (in: {})", msg, sql.substr(0, 200)));
}

PgResult PgConnection::exec(const std::string& sql, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  pg_result* r = PQexecParams(c_, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
  const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(r, sql);
  return PgResult(r);
}

void PgConnection::exec_script(const std::string& sql) { query_script(sql); }

PgResult PgConnection::query_script(const std::string& sql) {
  pg_result* r = PQexec(c_, sql.c_str());
  const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(r, sql);
  return PgResult(r);
}

void PgConnection::in_transaction(const std::function<void()>& work) {
  exec_script("BEGIN");
  try {
    work();
    exec_script("COMMIT");
  } catch (...) {
    try {
      exec_script("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
}

void PgConnection::set_session(const std::string& sql) {
  session_sql_ = sql;
  exec_script(sql);
}

bool PgConnection::lost() const { return PQstatus(c_) != CONNECTION_OK; }

bool PgConnection::reconnect_if_lost() {
  if (PQstatus(c_) == CONNECTION_OK) return true;
  PQreset(c_);
  if (PQstatus(c_) != CONNECTION_OK) return false;
  if (!session_sql_.empty()) exec_script(session_sql_);
  return true;
}

std::vector<std::string> PgConnection::copy_out(const std::string& sql) {
  pg_result* r = PQexec(c_, sql.c_str());
  if (!r || PQresultStatus(r) != PGRES_COPY_OUT) fail(r, sql);
  PQclear(r);
  std::vector<std::string> rows;
  for (;;) {
    char* buf = nullptr;
    int n = PQgetCopyData(c_, &buf, 0);
    if (n == -1) break;
    if (n < 0) fail(nullptr, sql);
    rows.emplace_back(buf, size_t(n));
    PQfreemem(buf);
  }
  r = PQgetResult(c_);
  if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, sql);
  PQclear(r);
  while ((r = PQgetResult(c_))) PQclear(r);
  return rows;
}

void PgConnection::copy_in(const std::string& sql, const std::vector<std::string>& rows) {
  pg_result* r = PQexec(c_, sql.c_str());
  if (!r || PQresultStatus(r) != PGRES_COPY_IN) fail(r, sql);
  PQclear(r);
  std::string chunk;
  for (const auto& row : rows) {
    chunk += row;
    if (chunk.size() > (1 << 16)) {
      if (PQputCopyData(c_, chunk.data(), int(chunk.size())) != 1) fail(nullptr, sql);
      chunk.clear();
    }
  }
  if (!chunk.empty() && PQputCopyData(c_, chunk.data(), int(chunk.size())) != 1) fail(nullptr, sql);
  if (PQputCopyEnd(c_, nullptr) != 1) fail(nullptr, sql);
  r = PQgetResult(c_);
  if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, sql);
  PQclear(r);
  while ((r = PQgetResult(c_))) PQclear(r);
}

}  // namespace invoicing::store::postgres

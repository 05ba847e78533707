// The PostgreSQL backend in a build without libpq (the Windows build): opening a
// postgresql:// target is refused with what is missing; nothing else can be reached without
// a connection, so the other members only say the same.
#include <fmt/format.h>

#include "store/errors.h"
#include "store/postgres/pg_connection.h"

namespace invoicing::store::postgres {

namespace {
[[noreturn]] void absent(const std::string& target) {
  throw StorageUnavailable(fmt::format(
      "the database {}: PostgreSQL is not in this build (the Windows build has no libpq); use a data folder",
      display_target(target)));
}
}  // namespace

PgResult::~PgResult() = default;
int PgResult::rows() const { return 0; }
int PgResult::columns() const { return 0; }
std::string PgResult::column_name(int) const { return {}; }
bool PgResult::is_null(int, int) const { return true; }
std::string PgResult::text(int, int) const { return {}; }

PgConnection::PgConnection(const std::string& target) : target_(target) { absent(target); }
PgConnection::~PgConnection() = default;
void PgConnection::fail(pg_result*, const std::string&) { absent(target_); }
PgResult PgConnection::exec(const std::string&, const Params&) { absent(target_); }
void PgConnection::exec_script(const std::string&) { absent(target_); }
PgResult PgConnection::query_script(const std::string&) { absent(target_); }
void PgConnection::in_transaction(const std::function<void()>&) { absent(target_); }
void PgConnection::set_session(const std::string&) { absent(target_); }
bool PgConnection::reconnect_if_lost() { return false; }
bool PgConnection::lost() const { return true; }
std::vector<std::string> PgConnection::copy_out(const std::string&) { absent(target_); }
void PgConnection::copy_in(const std::string&, const std::vector<std::string>&) { absent(target_); }

}  // namespace invoicing::store::postgres

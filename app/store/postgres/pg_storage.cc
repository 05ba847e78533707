#include "store/postgres/pg_storage.h"

#include <fmt/format.h>
#include <unistd.h>

#include <mutex>
#include <set>

#include "store/errors.h"
#include "store/postgres/pg_schema.h"

using xbase::Value;

namespace invoicing::store::postgres {

namespace {

// The first key of the two-key advisory locks that are seats ("SEAT"); the second is the slot.
constexpr int kSeatLockSpace = 0x53454154;
// The lock a move holds ("MOVE", 0).
constexpr int kMoveLockSpace = 0x4D4F5645;

// The databases this process moves: its own sessions are no strangers to the lock.
std::mutex moving_mutex;
std::set<std::string>& moving() {
  static std::set<std::string> s;
  return s;
}
// A change never waits longer than this for a row it did not lock first (the store always locks
// first: this only turns a bug into an error instead of a hang).
constexpr const char* kBackstopLockTimeout = "60s";
// Reads in batches: a whole table never sits in memory at once.
constexpr int kFetch = 500;

// The fields of a table as the current schema has them, and the select list reading them.
struct Columns {
  std::vector<xbase::Field> fields;
  std::string select;  // "row_id", "code", ...
};

const Columns& columns(Tbl t) {
  static const std::map<Tbl, Columns> all = [] {
    std::map<Tbl, Columns> m;
    for (const auto& def : dictionary()) {
      Columns c;
      c.fields = fields_at(def, kSchemaVersion);
      c.select = "\"row_id\"";
      for (const auto& f : c.fields) c.select += ", " + column_name(f.name);
      m[def.id] = std::move(c);
    }
    return m;
  }();
  return all.at(t);
}

const xbase::Field& field_of(Tbl t, std::string_view name) {
  for (const auto& f : columns(t).fields)
    if (f.name == name) return f;
  throw std::logic_error(fmt::format("{} has no field {}", table_def(t).name, name));
}

// The unique index a duplicate key can only have come from: the one not on a generated ID.
std::string duplicate_index(Tbl t) {
  for (const auto& ix : table_def(t).indexes)
    if (ix.unique && !(ix.parts.size() == 1 && ix.parts[0].field == fld::id)) return ix.name;
  return "ID";
}

}  // namespace

std::unique_ptr<PgStorage> PgStorage::open(const std::string& target, bool read_only) {
  std::unique_ptr<PgStorage> s(new PgStorage());
  s->target_ = target;
  s->read_only_ = read_only;
  s->conn_ = std::make_unique<PgConnection>(target);
  s->conn_->set_session(fmt::format("SET lock_timeout = '{}'", kBackstopLockTimeout));
  return s;
}

PgStorage::~PgStorage() {
  rollback();
  release_seat();
}

std::string PgStorage::describe() const { return "database " + display_target(target_); }

// Asks the seat's own session (one round trip, only after a lost connection): when only our
// working session was ended, the seat is still ours and is kept.
bool PgStorage::seat_session_alive() {
  try {
    seat_conn_->exec("SELECT 1");
    return true;
  } catch (const StorageUnavailable&) {
    return false;
  }
}

// Outside an action a connection that broke is made again (a server restart is survived);
// inside one the action is lost, and the error says so.
void PgStorage::ready() {
  if (!in_action_ && conn_->lost()) reconnect();
}

void PgStorage::reconnect() {
  if (!conn_->reconnect_if_lost())
    throw StorageUnavailable(fmt::format("the database {} cannot be reached", display_target(target_)));
  // What ended our session most likely ended the seat's too (a restart ends them all): the
  // seat is taken again, on a fresh connection, before anything else is done.
  if (seat_ && !seat_session_alive()) {
    seat_ = 0;
    seat_conn_.reset();
    if (!take_seat(seats_allowed_, seat_who_))
      throw StorageUnavailable(fmt::format(
          "the connection to the database {} came back, but all {} seats are in use now: close the program on "
          "another workstation, then start this one again",
          display_target(target_), seats_allowed_));
  }
}

void PgStorage::read_rows(Tbl t, const std::string& sql, const Params& params, const RowFn& fn) {
  ready();
  const auto& cols = columns(t);
  // Batches by row_id keep memory small and let fn call back into the storage.
  std::string last = "0";
  for (;;) {
    Params p = params;
    p.push_back(last);
    auto r = conn_->exec(fmt::format(fmt::runtime(sql), p.size()) + fmt::format(" LIMIT {}", kFetch), p);
    for (int i = 0; i < r.rows(); ++i) {
      Row row;
      row.id = std::stoull(r.text(i, 0));
      for (size_t c = 0; c < cols.fields.size(); ++c)
        row.add(cols.fields[c].name, from_text(cols.fields[c], r.is_null(i, int(c + 1)), r.text(i, int(c + 1))));
      last = r.text(i, 0);
      if (!fn(row)) return;
    }
    if (r.rows() < kFetch) return;
  }
}

std::optional<Row> PgStorage::get(Tbl t, RowId id) {
  ready();
  const auto& cols = columns(t);
  auto r = conn_->exec(fmt::format("SELECT {} FROM {} WHERE \"row_id\" = $1", cols.select, table_name(table_def(t))),
                       {std::to_string(id)});
  if (r.rows() == 0) return std::nullopt;
  Row row;
  row.id = id;
  for (size_t c = 0; c < cols.fields.size(); ++c)
    row.add(cols.fields[c].name, from_text(cols.fields[c], r.is_null(0, int(c + 1)), r.text(0, int(c + 1))));
  return row;
}

void PgStorage::range(Tbl t, std::string_view index, const std::vector<Value>& prefix, const RowFn& fn) {
  ordered(t, index, prefix, {}, false, fn);
}

void PgStorage::walk(Tbl t, std::string_view index, const std::vector<Value>& from, bool backward, const RowFn& fn) {
  ordered(t, index, {}, from, backward, fn);
}

size_t PgStorage::count(Tbl t, std::string_view index, const std::vector<Value>& from) {
  size_t n = 0;
  ordered(t, index, {}, from, false, {}, &n);
  return n;
}

void PgStorage::ordered(Tbl t, std::string_view index, const std::vector<Value>& prefix, const std::vector<Value>& from,
                        bool backward, const RowFn& fn, size_t* counted) {
  const TableDef& def = table_def(t);
  const IndexDef& ix = index_def(t, index);
  if (prefix.size() > ix.parts.size() || from.size() > ix.parts.size())
    throw std::logic_error(fmt::format("index {} of {} has {} fields; {} values given", ix.name, def.name,
                                       ix.parts.size(), std::max(prefix.size(), from.size())));
  // Ordered by the index's parts, ties by row_id; paged by (parts, row_id) would need the
  // key of the last row: an index range is read whole (ranges are small: one document's
  // lines, one customer's documents), a full ordered walk in pages by OFFSET.
  std::string where, order, from_cols, from_args;
  Params params;
  const char* dir = backward ? " DESC" : "";
  for (size_t i = 0; i < ix.parts.size(); ++i) {
    const auto& p = ix.parts[i];
    const auto& f = field_of(t, p.field);
    const std::string col = p.upper ? fmt::format("upper({})", column_name(f.name)) : column_name(f.name);
    order += col + dir + ", ";
    if (i < prefix.size()) {
      auto v = to_param(f, prefix[i]);
      if (!v) {
        where += fmt::format(" AND {} IS NULL", column_name(f.name));  // a blank date
        continue;
      }
      params.push_back(std::move(v));
      const std::string arg = fmt::format("${}::{}", params.size(), cast_of(f));
      where += fmt::format(" AND {} = {}", col, p.upper ? "upper(" + arg + ")" : arg);
    }
    if (i < from.size()) {
      // A blank key part sorts first in the folder's index: it is the lowest bound.
      auto v = to_param(f, from[i]);
      if (!v) v = cast_of(f) == "text" ? "" : "0";
      params.push_back(std::move(v));
      const std::string arg = fmt::format("${}::{}", params.size(), cast_of(f));
      from_cols += (i ? ", " : "") + col;
      from_args += (i ? ", " : "") + (p.upper ? "upper(" + arg + ")" : arg);
    }
  }
  if (!from.empty()) where += fmt::format(" AND ({}) {} ({})", from_cols, backward ? "<=" : ">=", from_args);
  if (ix.skip_zero) {
    const auto& f = field_of(t, ix.parts.back().field);
    where += fmt::format(" AND {} {}", column_name(f.name), cast_of(f) == "text" ? "<> ''" : "> 0");
  }
  order += std::string("\"row_id\"") + dir;
  ready();
  if (counted) {
    auto r = conn_->exec(fmt::format("SELECT count(*) FROM {} WHERE true{}", table_name(def), where), params);
    *counted = size_t(std::stoull(r.text(0, 0)));
    return;
  }
  const auto& cols = columns(t);
  const std::string base = fmt::format("SELECT {} FROM {} WHERE true{} ORDER BY {}", cols.select,
                                       table_name(def), where, order);
  for (long offset = 0;; offset += kFetch) {
    auto r = conn_->exec(fmt::format("{} LIMIT {} OFFSET {}", base, kFetch, offset), params);
    for (int i = 0; i < r.rows(); ++i) {
      Row row;
      row.id = std::stoull(r.text(i, 0));
      for (size_t c = 0; c < cols.fields.size(); ++c)
        row.add(cols.fields[c].name, from_text(cols.fields[c], r.is_null(i, int(c + 1)), r.text(i, int(c + 1))));
      if (!fn(row)) return;
    }
    if (r.rows() < kFetch) return;
  }
}

void PgStorage::scan(Tbl t, const RowFn& fn) {
  read_rows(t,
            fmt::format("SELECT {} FROM {} WHERE \"row_id\" > ${{}}::bigint ORDER BY \"row_id\"", columns(t).select,
                        table_name(table_def(t))),
            {}, fn);
}

void PgStorage::at_one_moment(const std::function<void()>& reads) {
  if (in_action_) throw std::logic_error("at_one_moment inside an action");
  ready();
  conn_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  in_action_ = true;  // no reconnect in the middle: the snapshot would be gone
  try {
    reads();
  } catch (...) {
    rollback();
    throw;
  }
  in_action_ = false;
  conn_->exec("COMMIT");
}

void PgStorage::begin() {
  if (in_action_) throw std::logic_error("an action is running already");
  if (read_only_) throw UserError(fmt::format("you need write access to the database {}", display_target(target_)));
  ready();
  // The transaction's id comes with BEGIN (one round trip): when the answer to COMMIT is lost,
  // the server can still say whether it committed.
  xid_ = conn_->query_script("BEGIN; SELECT txid_current()").text(0, 0);
  in_action_ = true;
  last_written_.reset();
}

void PgStorage::commit() {
  if (!in_action_) throw std::logic_error("commit outside an action");
  in_action_ = false;
  try {
    conn_->exec("COMMIT");
  } catch (const StorageUnavailable& lost) {
    // Whether it was saved, asked on a new connection (txid_status: committed, aborted, or
    // unknown when the server is not back yet).
    std::string status;
    try {
      reconnect();
      auto r = conn_->exec("SELECT txid_status($1::bigint)", {xid_});
      status = r.is_null(0, 0) ? "" : r.text(0, 0);
    } catch (const StorageUnavailable&) {
    }
    if (status == "committed") return;
    if (status == "aborted")
      throw StorageUnavailable(fmt::format(
          "the connection to the database {} was lost; what was being done was rolled back, nothing was changed",
          display_target(target_)));
    throw;
  }
}

void PgStorage::rollback() noexcept {
  if (!in_action_) return;
  in_action_ = false;
  try {
    conn_->exec("ROLLBACK");
  } catch (...) {
  }
}

template <class F>
auto PgStorage::guarded(F&& body) {
  conn_->exec("SAVEPOINT store_step");
  try {
    auto out = body();
    conn_->exec("RELEASE SAVEPOINT store_step");
    return out;
  } catch (const PgError&) {
    conn_->exec("ROLLBACK TO SAVEPOINT store_step");
    conn_->exec("RELEASE SAVEPOINT store_step");
    throw;
  }
}

void PgStorage::lock(Tbl t, RowId id, std::chrono::milliseconds wait) {
  if (!in_action_) throw std::logic_error("a change outside an action");
  try {
    guarded([&] {
      conn_->exec(fmt::format("SET LOCAL lock_timeout = {}", std::max<long>(1, long(wait.count()))));
      conn_->exec(fmt::format("SELECT 1 FROM {} WHERE \"row_id\" = $1 FOR UPDATE", table_name(table_def(t))),
                  {std::to_string(id)});
      conn_->exec(fmt::format("SET LOCAL lock_timeout = '{}'", kBackstopLockTimeout));
      return 0;
    });
  } catch (const PgError& e) {
    if (e.sqlstate == "55P03" || e.sqlstate == "40P01")
      throw Busy(fmt::format("{} record {} is locked by another workstation", table_def(t).name, id));
    throw;
  }
}

// Every action writes tables in one order (Tbl's), as on the folder backend (storage.h): the
// same rule on both, so that a store bug shows on either.
void PgStorage::write_to(Tbl t) {
  if (!in_action_) throw std::logic_error("a change outside an action");
  if (last_written_ && t < *last_written_)
    throw std::logic_error(fmt::format("{} written after {} in one action (tables are written in dictionary order)",
                                       table_def(t).name, table_def(*last_written_).name));
  last_written_ = t;
}

RowId PgStorage::insert(Tbl t, Row& row) {
  write_to(t);
  const auto& cols = columns(t);
  std::string names, values, returning = "\"row_id\"";
  Params params;
  for (const auto& f : cols.fields) {
    if (f.autoinc) {
      returning += ", " + column_name(f.name);
      continue;
    }
    if (!row.has(f.name)) continue;
    params.push_back(to_param(f, row.get(f.name)));
    names += (names.empty() ? "" : ", ") + column_name(f.name);
    values += fmt::format("{}${}::{}", values.empty() ? "" : ", ", params.size(), cast_of(f));
  }
  for (const auto& [name, v] : row.values()) field_of(t, name);  // a field the table lacks is a bug
  const std::string sql =
      names.empty() ? fmt::format("INSERT INTO {} DEFAULT VALUES RETURNING {}", table_name(table_def(t)), returning)
                    : fmt::format("INSERT INTO {} ({}) VALUES ({}) RETURNING {}", table_name(table_def(t)), names,
                                  values, returning);
  try {
    return guarded([&] {
      auto r = conn_->exec(sql, params);
      row.id = std::stoull(r.text(0, 0));
      int c = 1;
      for (const auto& f : cols.fields)
        if (f.autoinc) row.set(f.name, Value::integer(std::stoll(r.text(0, c++))));
      return row.id;
    });
  } catch (const PgError& e) {
    if (e.sqlstate == "23505") throw DuplicateKey(t, duplicate_index(t));
    throw;
  }
}

void PgStorage::update(Tbl t, RowId id, const Row& changes) {
  write_to(t);
  std::string sets;
  Params params;
  for (const auto& [name, v] : changes.values()) {
    const auto& f = field_of(t, name);
    params.push_back(to_param(f, v));
    sets += fmt::format("{}{} = ${}::{}", sets.empty() ? "" : ", ", column_name(f.name), params.size(), cast_of(f));
  }
  if (sets.empty()) return;
  params.push_back(std::to_string(id));
  const std::string sql =
      fmt::format("UPDATE {} SET {} WHERE \"row_id\" = ${}", table_name(table_def(t)), sets, params.size());
  try {
    guarded([&] { return conn_->exec(sql, params).rows(); });
  } catch (const PgError& e) {
    if (e.sqlstate == "23505") throw DuplicateKey(t, duplicate_index(t));
    throw;
  }
}

void PgStorage::remove(Tbl t, RowId id) {
  write_to(t);
  conn_->exec(fmt::format("DELETE FROM {} WHERE \"row_id\" = $1", table_name(table_def(t))), {std::to_string(id)});
}

int PgStorage::take_seat(int allowed, const Identity& who) {
  if (seat_) return seat_;
  seats_allowed_ = allowed;
  seat_who_ = who;
  if (!seat_conn_) seat_conn_ = std::make_unique<PgConnection>(target_);
  for (int slot = 1; slot <= allowed; ++slot) {
    auto r = seat_conn_->exec("SELECT pg_try_advisory_lock($1::int, $2::int)",
                              {std::to_string(kSeatLockSpace), std::to_string(slot)});
    if (r.text(0, 0) != "t") continue;
    seat_ = slot;
    seat_conn_->exec(
        "INSERT INTO \"seats\" (\"slot\", \"username\", \"wstation\", \"pid\", \"since\", \"busy\") "
        "VALUES ($1, $2, $3, $4, now(), '') ON CONFLICT (\"slot\") DO UPDATE SET \"username\" = EXCLUDED.\"username\", "
        "\"wstation\" = EXCLUDED.\"wstation\", \"pid\" = EXCLUDED.\"pid\", \"since\" = EXCLUDED.\"since\", \"busy\" = ''",
        {std::to_string(slot), who.user, who.workstation, std::to_string(getpid())});
    return slot;
  }
  return 0;
}

void PgStorage::release_seat() {
  if (!seat_) return;
  seat_ = 0;
  seat_conn_.reset();  // ending the session frees its advisory lock
}

std::vector<SeatHolder> PgStorage::seat_holders(int allowed) {
  ready();
  auto r = conn_->exec(
      "SELECT s.\"slot\", s.\"username\", s.\"wstation\", s.\"busy\" FROM \"seats\" s JOIN pg_locks l "
      "ON l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1::bigint AND l.objsubid = 2 AND l.objid::bigint = s.\"slot\" "
      "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "WHERE s.\"slot\" <= $2::int ORDER BY s.\"slot\"",
      {std::to_string(kSeatLockSpace), std::to_string(allowed)});
  std::vector<SeatHolder> out;
  for (int i = 0; i < r.rows(); ++i) {
    const int slot = int(std::stod(r.text(i, 0)));
    out.push_back({slot, {r.text(i, 1), r.text(i, 2)}, r.text(i, 3), slot == seat_});
  }
  return out;
}

void PgStorage::set_busy(const std::string& what) {
  if (!seat_) return;
  seat_conn_->exec("UPDATE \"seats\" SET \"busy\" = $1 WHERE \"slot\" = $2", {what, std::to_string(seat_)});
}

std::optional<std::string> PgStorage::read_file(FileKind kind, std::string_view name) {
  ready();
  return get_file(*conn_, kind, name);
}

void PgStorage::writable() {
  if (read_only_) throw UserError(fmt::format("you need write access to the database {}", display_target(target_)));
  ready();
}

void PgStorage::write_file(FileKind kind, std::string_view name, const std::string& bytes) {
  writable();
  put_file(*conn_, kind, name, bytes);
}

std::vector<std::string> PgStorage::list_files(FileKind kind) {
  ready();
  // COLLATE "C": sorted by bytes, as a folder's names are.
  auto r = conn_->exec("SELECT \"name\" FROM \"company_file\" WHERE \"kind\" = $1 ORDER BY \"name\" COLLATE \"C\"",
                       {std::string(file_kind_name(kind))});
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

bool PgStorage::remove_file(FileKind kind, std::string_view name) {
  check_file_name(name);
  writable();
  auto r = conn_->exec("DELETE FROM \"company_file\" WHERE \"kind\" = $1 AND \"name\" = $2 RETURNING 1",
                       {std::string(file_kind_name(kind)), std::string(name)});
  return r.rows() > 0;
}

std::vector<std::string> PgStorage::check() {
  ready();
  return check_schema(*conn_);
}

MoveHold::MoveHold(const std::string& target) : target_(target), conn_(std::make_unique<PgConnection>(target)) {
  auto r = conn_->exec("SELECT pg_try_advisory_lock($1::int, 0)", {std::to_string(kMoveLockSpace)});
  if (r.text(0, 0) != "t")
    throw UserError(fmt::format("the company of the database {} is being moved already", display_target(target)));
  std::lock_guard<std::mutex> lock(moving_mutex);
  moving().insert(target_);
}

MoveHold::~MoveHold() {
  std::lock_guard<std::mutex> lock(moving_mutex);
  moving().erase(target_);
  conn_.reset();  // the session ends, and its lock with it
}

bool move_under_way(PgConnection& c) {
  {
    std::lock_guard<std::mutex> lock(moving_mutex);
    if (moving().count(c.target())) return false;
  }
  auto r = c.exec("SELECT pg_try_advisory_lock_shared($1::int, 0)", {std::to_string(kMoveLockSpace)});
  if (r.text(0, 0) != "t") return true;
  c.exec("SELECT pg_advisory_unlock_shared($1::int, 0)", {std::to_string(kMoveLockSpace)});
  return false;
}

}  // namespace invoicing::store::postgres

// The workload against SQLite (Debian's libsqlite3): one table with the same columns, indexes
// on ID and UPPER(NAME) (an expression index), WAL mode with synchronous=NORMAL (no fsync per
// commit, like our write-through engine), bulk inserts in one transaction. Exclusive use is
// PRAGMA locking_mode=EXCLUSIVE. SQLite has no record locks: lock-cycle takes and releases
// its write lock (BEGIN IMMEDIATE; COMMIT), and each update or shared append is a
// transaction of its own, as each of ours is one locked change.
#include <fmt/format.h>
#include <sqlite3.h>

#include <stdexcept>

#include "workload.h"

namespace bench {

namespace fs = std::filesystem;

namespace {

class Db {
 public:
  Db(const fs::path& p, const std::string& mode) {
    if (sqlite3_open(p.c_str(), &db_) != SQLITE_OK) fail("open");
    sqlite3_busy_timeout(db_, 60000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    if (mode == "exclusive") exec("PRAGMA locking_mode=EXCLUSIVE");
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(fmt::format("sqlite: {}: {}", sql, m));
    }
  }
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db_)));
  }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt(Db& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db.get(), sql, -1, &s_, nullptr) != SQLITE_OK) db.fail(sql);
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  bool step() {  // true: a row
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) db_.fail("step");
    return false;
  }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  int64_t column_int(int i) { return sqlite3_column_int64(s_, i); }

 private:
  Db& db_;
  sqlite3_stmt* s_ = nullptr;
};

fs::path db_path(const Config& c) { return c.dir / "cust.sqlite"; }

std::string due_text(uint32_t i) {
  // 2020-01-01 plus the day offset, as ISO text (SQLite has no date type).
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = due_day_of(i), y = 2020, m = 0;
  for (;;) {
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int len = kDays[m] - (m == 1 && !leap ? 1 : 0);
    if (d < len) break;
    d -= len;
    if (++m == 12) m = 0, ++y;
  }
  return fmt::format("{:04}-{:02}-{:02}", y, m + 1, d + 1);
}

void insert_rows(Db& db, uint32_t first, uint32_t count, uint32_t n, bool one_transaction) {
  Stmt ins(db, "INSERT INTO cust(id, name, city, amount, due, paid, note) VALUES (?,?,?,?,?,?,?)");
  if (one_transaction) db.exec("BEGIN");
  for (uint32_t i = first; i < first + count; ++i) {
    ins.bind(1, int64_t(i)).bind(2, name_of(i, n)).bind(3, city_of(i));
    ins.bind(4, amount_of(i)).bind(5, due_text(i)).bind(6, int64_t(i % 3 == 0)).bind(7, note_of(i));
    ins.step();
    ins.reset();
  }
  if (one_transaction) db.exec("COMMIT");
}

void build(const Config& c, bool with_indexes) {
  for (const char* s : {"", "-wal", "-shm"}) fs::remove(db_path(c).string() + s);
  Db db(db_path(c), "exclusive");
  db.exec("CREATE TABLE cust(id INTEGER, name TEXT, city TEXT, amount NUMERIC, due TEXT, paid INTEGER, note TEXT)");
  if (with_indexes) {
    db.exec("CREATE INDEX cust_id ON cust(id)");
    db.exec("CREATE INDEX cust_name ON cust(upper(name))");
  }
  insert_rows(db, 1, c.n, c.n, true);
}

uint32_t g_append_base = 0;

// Mode "batch": seeks k = 1 + i * kBatchSeeks ... in one read transaction each; k = kSeeks + 1
// ends the last one.
void next_batch(Db& db, const std::string& mode, uint32_t k) {
  if (mode != "batch" || (k - 1) % kBatchSeeks != 0) return;
  if (k > 1) db.exec("COMMIT");
  if (k <= kSeeks) db.exec("BEGIN");
}

}  // namespace

Engine sqlite_engine() {
  Engine e;
  e.name = "sqlite";
  auto& m = e.ops;
  m["append"] = [](const Config& c, const std::string&) {
    build(c, false);
    return std::string();
  };
  m["index-name"] = [](const Config& c, const std::string& mode) {
    Db db(db_path(c), mode);
    db.exec("CREATE INDEX cust_name ON cust(upper(name))");
    return std::string();
  };
  m["index-id"] = [](const Config& c, const std::string& mode) {
    Db db(db_path(c), mode);
    db.exec("CREATE INDEX cust_id ON cust(id)");
    return std::string();
  };
  m["append-indexed"] = [](const Config& c, const std::string&) {
    build(c, true);
    return std::string();
  };
  m["seek-id"] = [](const Config& c, const std::string& mode) {
    Db db(db_path(c), mode);
    Stmt q(db, "SELECT name FROM cust WHERE id = ?");
    uint32_t found = 0;
    for (uint32_t k = 1; k <= kSeeks; ++k) {
      next_batch(db, mode, k);
      q.bind(1, int64_t(seek_id_key(k, c.n)));
      if (q.step()) ++found;
      q.reset();
    }
    next_batch(db, mode, kSeeks + 1);
    if (found != kSeeks) throw std::runtime_error(fmt::format("sqlite seek-id found {} of {}", found, kSeeks));
    return std::string();
  };
  m["seek-name"] = [](const Config& c, const std::string& mode) {
    Db db(db_path(c), mode);
    Stmt q(db, "SELECT rowid FROM cust WHERE upper(name) = ?");
    uint32_t found = 0;
    for (uint32_t k = 1; k <= kSeeks; ++k) {
      next_batch(db, mode, k);
      q.bind(1, seek_name_key(k, c.n));
      if (q.step()) ++found;
      q.reset();
    }
    next_batch(db, mode, kSeeks + 1);
    if (found != kSeeks) throw std::runtime_error(fmt::format("sqlite seek-name found {} of {}", found, kSeeks));
    return std::string();
  };
  m["scan-filter"] = [](const Config& c, const std::string& mode) {
    Db db(db_path(c), mode);
    Stmt q(db, "SELECT count(*) FROM cust WHERE city = 'CITY07' AND amount > 500.00");
    q.step();
    return fmt::format("count {}", q.column_int(0));
  };
  m["update-indexed"] = [](const Config& c, const std::string& mode) {
    Db db(db_path(c), mode);
    Stmt u(db, "UPDATE cust SET name = ? WHERE rowid = ?");
    for (uint32_t k = 1; k <= kUpdates; ++k) {
      u.bind(1, fmt::format("UPD{:010}", k)).bind(2, int64_t(update_record(k, c.n)));
      u.step();
      u.reset();
    }
    return std::string();
  };
  m["lock-cycle"] = [](const Config& c, const std::string& mode) {
    Db db(db_path(c), mode);
    Stmt begin(db, "BEGIN IMMEDIATE"), commit(db, "COMMIT");
    for (uint32_t k = 1; k <= kUpdates; ++k) {
      begin.step();
      begin.reset();
      commit.step();
      commit.reset();
    }
    return std::string();
  };
  m["shared-append-2p"] = [](const Config& c, const std::string&) {
    uint32_t before = 0;
    {
      Db db(db_path(c), "shared");
      Stmt q(db, "SELECT count(*) FROM cust");
      q.step();
      before = uint32_t(q.column_int(0));
    }
    g_append_base = before;
    in_processes(2, [&](int p) {
      Db db(db_path(c), "shared");
      insert_rows(db, before + uint32_t(p) * kAppendsPerProcess + 1, kAppendsPerProcess, c.n, false);
    });
    return std::string("no record lost");
  };
  e.prepare = [](const Config& c, const std::string& op, int run) {
    if (op == "append" || op == "append-indexed") return;
    if (op == "index-name" || op == "index-id") {
      build(c, false);
      return;
    }
    if (run == 0 && !fs::exists(db_path(c))) build(c, true);
    if (run == 0 && op != "scan-filter") {
      Db db(db_path(c), "exclusive");  // both indexes, whatever ran before
      db.exec("CREATE INDEX IF NOT EXISTS cust_id ON cust(id)");
      db.exec("CREATE INDEX IF NOT EXISTS cust_name ON cust(upper(name))");
    }
  };
  e.check = [](const Config& c, const std::string& op) {
    if (op != "shared-append-2p") return;
    Db db(db_path(c), "shared");
    Stmt q(db, "SELECT count(*), count(DISTINCT id) FROM cust WHERE id > ?");
    q.bind(1, int64_t(g_append_base));
    q.step();
    if (q.column_int(0) != 2 * kAppendsPerProcess || q.column_int(1) != 2 * kAppendsPerProcess)
      throw std::runtime_error("sqlite shared-append-2p lost records");
  };
  return e;
}

}  // namespace bench

// xbase export: xBase tables into PostgreSQL, for admins who want to query old data with SQL.
// The whole export is one transaction: the database gets every table given or none of them,
// and a table that exists already is replaced only with --replace (and only when everything
// else went in too). Values go in with COPY in its text form.
#include <libpq-fe.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

#include "common.h"
#include "common/text/copy_text.h"
#include "targets.h"
#include "value_text.h"
#include "xbase/codepage.h"

namespace xbase::tool {

namespace {

// A target as it may be shown: without a password in the user part or among the parameters.
std::string shown_target(std::string t) {
  const size_t scheme = t.find("://");
  const size_t at = t.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos) {
    const size_t colon = t.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) t.erase(colon, at - colon);
  }
  for (size_t p = t.find("password="); p != std::string::npos; p = t.find("password=", p + 1)) {
    size_t e = t.find('&', p);
    t.replace(p, (e == std::string::npos ? t.size() : e) - p, "password=(hidden)");
  }
  return t;
}

std::string quoted(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::string trimmed_message(const char* m) {
  std::string s = m ? m : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The server's own words for a failed statement: its message, and its hint when it gives one.
std::string result_error(PGconn* c, const PGresult* r) {
  const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (!primary) return trimmed_message(PQerrorMessage(c));
  std::string m = primary;
  if (const char* hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT)) m += fmt::format(" ({})", hint);
  return m;
}

class Connection {
 public:
  explicit Connection(const std::string& target) : c_(PQconnectdb(target.c_str()), &PQfinish) {
    if (!c_ || PQstatus(c_.get()) != CONNECTION_OK)
      throw std::runtime_error(fmt::format("cannot connect to {}: {}", shown_target(target),
                                           trimmed_message(PQerrorMessage(c_.get()))));
  }
  PGconn* get() const { return c_.get(); }

  // Runs a statement that returns no rows; throws with the server's message.
  void run(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c_.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      throw std::runtime_error(result_error(c_.get(), r.get()));
  }

  bool table_exists(const std::string& schema, const std::string& table) {
    const char* params[2] = {schema.c_str(), table.c_str()};
    std::unique_ptr<PGresult, decltype(&PQclear)> r(
        PQexecParams(c_.get(), "SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2", 2,
                     nullptr, params, nullptr, nullptr, 0),
        &PQclear);
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      throw std::runtime_error(result_error(c_.get(), r.get()));
    return PQntuples(r.get()) > 0;
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> c_;
};

// What one field becomes: its column, and whether its text goes in as bytes.
struct Column {
  size_t field = 0;
  std::string name;
  std::string type;
  bool bytes = false;    // bytea: binary fields, and text fields holding NUL bytes
  std::string note;      // said on stderr when the column is not what its type suggests
};

bool binary_type(const Field& f) {
  switch (f.type) {
    case FieldType::general:
    case FieldType::picture:
    case FieldType::varbinary:
    case FieldType::blob: return true;
    // NOCPTRANS text: bytes never translated (VFP also sets the flag on I, Y, T, B fields).
    case FieldType::character:
    case FieldType::varchar:
    case FieldType::memo: return f.binary;
    default: return false;
  }
}

std::string sql_type(const Field& f) {
  if (binary_type(f)) return "bytea";
  switch (f.type) {
    case FieldType::character:
    case FieldType::varchar: return fmt::format("varchar({})", std::max<int>(1, f.length));
    case FieldType::memo: return "text";
    case FieldType::numeric:
    case FieldType::floating: return fmt::format("numeric({},{})", std::max<int>(1, f.length), f.decimals);
    case FieldType::integer: return "integer";
    case FieldType::currency: return "numeric(19,4)";
    case FieldType::double_: return "double precision";
    case FieldType::date: return "date";
    case FieldType::datetime: return "timestamp(3)";
    case FieldType::logical: return "boolean";
    default: return "text";
  }
}

// Digits before the decimal point of a canonical decimal ("-123.45" -> 3).
size_t integer_digits(const std::string& n) {
  size_t b = n[0] == '-' ? 1 : 0;
  size_t e = n.find('.');
  return (e == std::string::npos ? n.size() : e) - b;
}

// One pass over the records decides what the declared types cannot: a text field holding NUL
// bytes (binary data in a memo, which PostgreSQL text cannot hold) goes in as bytea, and a
// number with more integer digits than its field's declared decimals leave room for (written
// by a program that ignored them) makes the column an unconstrained numeric.
std::vector<Column> plan_columns(Table& t, bool with_deleted) {
  std::vector<Column> cols;
  const auto& fields = t.fields();
  for (size_t i = 0; i < fields.size(); ++i)
    cols.push_back({i, lower(fields[i].display_name()), sql_type(fields[i]), binary_type(fields[i]), {}});
  std::vector<size_t> nul(fields.size()), wide(fields.size());
  for (uint32_t r = 1; r <= t.record_count(); ++r) {
    Record rec = t.read(r);
    if (rec.deleted() && !with_deleted) continue;
    for (auto& c : cols) {
      if (c.bytes) continue;
      const Field& f = fields[c.field];
      if (f.type != FieldType::memo && f.type != FieldType::character && f.type != FieldType::varchar &&
          f.type != FieldType::numeric && f.type != FieldType::floating)
        continue;
      Value v = t.get_tolerant(rec, c.field);
      if (v.kind() == Value::Kind::text && v.str().find('\0') != std::string::npos) ++nul[c.field];
      if (v.kind() == Value::Kind::number && integer_digits(v.str()) + f.decimals > f.length) ++wide[c.field];
    }
  }
  for (auto& c : cols) {
    if (nul[c.field]) {
      c.bytes = true;
      c.type = "bytea";
      c.note = fmt::format("{} holds binary data (NUL bytes) in {} records: exported as bytea in the "
                           "table's codepage",
                           fields[c.field].display_name(), nul[c.field]);
    } else if (wide[c.field]) {
      c.type = "numeric";
      c.note = fmt::format("{} holds {} values wider than N({},{}): exported as numeric without a "
                           "precision",
                           fields[c.field].display_name(), wide[c.field], fields[c.field].length,
                           fields[c.field].decimals);
    }
  }
  return cols;
}

void append_bytea(std::string& out, std::string_view bytes) {
  static const char* hex = "0123456789abcdef";
  out += "\\\\x";  // COPY's text form doubles the backslash of bytea's hex form
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
}

void append_value(std::string& out, const Value& v, const Column& c, const Codepage& cp) {
  if (v.is_null() || v.is_empty()) {
    out += "\\N";
  } else if (c.bytes) {
    // A text value of a bytea column goes back to the bytes the table holds.
    append_bytea(out, v.kind() == Value::Kind::text ? cp.encode(v.str()) : v.str());
  } else if (v.kind() == Value::Kind::text) {
    common::append_copy_text(out, v.str());
  } else {
    common::append_copy_text(out, csv_text(v));
  }
}

struct Exported {
  uint64_t records = 0;
  uint64_t left_out = 0;  // deleted records, without --deleted
};

class CopyIn {
 public:
  CopyIn(Connection& db, const std::string& sql) : db_(db) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(db.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) throw std::runtime_error(result_error(db.get(), r.get()));
  }
  std::string& buf() { return buf_; }
  void maybe_send() {
    if (buf_.size() >= (1u << 20)) send();
  }
  // Ends the COPY; returns the rows the server says it took.
  uint64_t finish() {
    send();
    if (PQputCopyEnd(db_.get(), nullptr) != 1) throw std::runtime_error(trimmed_message(PQerrorMessage(db_.get())));
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQgetResult(db_.get()), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw std::runtime_error(result_error(db_.get(), r.get()));
    uint64_t n = std::strtoull(PQcmdTuples(r.get()), nullptr, 10);
    while (PGresult* more = PQgetResult(db_.get())) PQclear(more);
    return n;
  }

 private:
  void send() {
    if (!buf_.empty() && PQputCopyData(db_.get(), buf_.data(), int(buf_.size())) != 1)
      throw std::runtime_error(trimmed_message(PQerrorMessage(db_.get())));
    buf_.clear();
  }
  Connection& db_;
  std::string buf_;
};

Exported export_table(Table& t, Connection& db, const std::string& schema, const std::string& name,
                      bool with_deleted, bool replace, Progress& progress) {
  const std::vector<Column> cols = plan_columns(t, with_deleted);
  for (const auto& c : cols)
    if (!c.note.empty()) std::cerr << "xbase export: " << common::terminal_text(t.path().filename().string() + ": " + c.note) << "\n";
  const std::string target = quoted(schema) + "." + quoted(name);
  if (replace) db.run("DROP TABLE IF EXISTS " + target);
  std::string create = "CREATE TABLE " + target + " (";
  std::string list;
  for (const auto& c : cols) {
    create += (list.empty() ? "" : ", ") + quoted(c.name) + " " + c.type;
    list += (list.empty() ? "" : ", ") + quoted(c.name);
  }
  if (with_deleted) {
    create += std::string(cols.empty() ? "" : ", ") + "\"_deleted\" boolean NOT NULL";
    list += std::string(cols.empty() ? "" : ", ") + "\"_deleted\"";
  }
  db.run(create + ")");
  const auto& info = t.info();
  std::string comment = fmt::format("exported by xbase from {} ({}, codepage {})", t.path().filename().string(),
                                    info.version_name, info.codepage);
  std::string literal;
  for (char ch : comment) literal += ch == '\'' ? std::string("''") : std::string(1, ch);
  db.run("COMMENT ON TABLE " + target + " IS '" + literal + "'");

  const Codepage& cp = Codepage::get(info.codepage ? info.codepage : 1252);
  CopyIn copy(db, "COPY " + target + " (" + list + ") FROM STDIN");
  Exported e;
  const uint32_t n = t.record_count();
  for (uint32_t r = 1; r <= n; ++r) {
    Record rec = t.read(r);
    if (rec.deleted() && !with_deleted) {
      ++e.left_out;
      continue;
    }
    std::string& o = copy.buf();
    for (size_t k = 0; k < cols.size(); ++k) {
      if (k) o += '\t';
      append_value(o, t.get_tolerant(rec, cols[k].field), cols[k], cp);
    }
    if (with_deleted) o += cols.empty() ? (rec.deleted() ? "t" : "f") : (rec.deleted() ? "\tt" : "\tf");
    o += '\n';
    ++e.records;
    copy.maybe_send();
    if (r % 4096 == 0) progress.show(t.path().filename().string(), r, n);
  }
  const uint64_t taken = copy.finish();
  if (taken != e.records)
    throw std::runtime_error(fmt::format("the server took {} of the {} records sent", taken, e.records));
  return e;
}

}  // namespace

int cmd_export(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"to", "schema", "codepage"}, {"replace", "deleted"});
  if (a.positional.empty() || !a.options.count("to"))
    throw UsageError("usage: xbase export T.dbf|DIR... --to postgresql://... [--schema NAME] [--replace] [--deleted]");
  const std::string target = a.get("to");
  if (target.rfind("postgresql://", 0) != 0 && target.rfind("postgres://", 0) != 0)
    throw UsageError(fmt::format("--to takes a postgresql:// target, not \"{}\"", shown_target(target)));
  const std::string schema = a.get("schema", "public");
  if (schema.empty() || schema.size() > 63 || schema.find('\0') != std::string::npos)
    throw UsageError("--schema takes a name of 1 to 63 characters");
  const bool replace = a.has("replace"), with_deleted = a.has("deleted");

  Tables tables = expand_tables(a.positional);
  // Each table's name in the database: its file name, lower case, as pgdbf names it too.
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto& p : tables.paths) {
    std::string n = lower(p.stem().string());
    if (n.empty() || n.size() > 63)
      throw UsageError(fmt::format("{}: a table name in PostgreSQL has 1 to 63 characters", p.string()));
    if (!seen.insert(n).second)
      throw UsageError(fmt::format("two tables would both become {}.{} (one is {})", schema, n, p.string()));
    names.push_back(n);
  }
  if (tables.paths.empty()) return report_skipped(tables, kProblems);

  Connection db(target);
  db.run("SET client_encoding TO 'UTF8'");
  db.run("SET client_min_messages TO warning");  // no NOTICE for a schema that exists already
  db.run("BEGIN");
  if (schema != "public") db.run("CREATE SCHEMA IF NOT EXISTS " + quoted(schema));
  if (!replace)
    for (const auto& n : names)
      if (db.table_exists(schema, n))
        throw std::runtime_error(fmt::format(
            "{}.{} exists in the database: nothing was exported (--replace replaces it)", schema, n));
  int rc = kOk;
  Progress progress;
  std::vector<std::string> lines;
  for (size_t i = 0; i < tables.paths.size(); ++i) {
    auto t = open_table(tables.paths[i].string(), a, true);
    Exported e;
    try {
      e = export_table(*t, db, schema, names[i], with_deleted, replace, progress);
    } catch (const std::runtime_error& err) {
      throw std::runtime_error(fmt::format("{}: {}: nothing was exported", tables.paths[i].string(), err.what()));
    }
    progress.clear();
    rc = std::max(rc, report_warnings(*t));
    lines.push_back(fmt::format("{} -> {}.{}: {} records{}\n", tables.paths[i].string(), schema, names[i],
                                e.records, e.left_out ? fmt::format(" ({} deleted left out)", e.left_out) : ""));
  }
  db.run("COMMIT");
  for (const auto& l : lines) print_text("{}", l);
  print_text("{} table{} exported to {}\n", lines.size(), lines.size() == 1 ? "" : "s", shown_target(target));
  return report_skipped(tables, rc);
}

}  // namespace xbase::tool

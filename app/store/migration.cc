#include "store/migration.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string_view>
#include <thread>

#include <fstream>
#include <map>

#include "common/text/copy_text.h"
#include "domain/money.h"
#include "store/company.h"
#include "store/errors.h"
#include "store/folder/folder_move.h"
#include "store/folder/folder_schema.h"
#include "store/folder/folder_storage.h"
#include "store/licence_file.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_storage.h"
#include "xbase/error.h"
#include "xbase/file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;
using xbase::Value;

namespace invoicing::store {

namespace {

// The tables that move with a company (SCHEMA and SEATS describe the place, not the company).
bool moves(const TableDef& def) { return def.id != Tbl::schema && def.id != Tbl::seats; }

// A field's value in one form for both backends: text without trailing blanks, numbers at the
// field's scale, dates as ISO text, "" for blank.
std::string canonical(const xbase::Field& f, const Value& v) {
  auto p = postgres::to_param(f, v);
  if (!p) return "";
  if (f.type == xbase::FieldType::numeric || f.type == xbase::FieldType::floating) {
    if (auto d = domain::Decimal::parse(*p)) return d->to_string(f.decimals);
  }
  return *p;
}

std::vector<std::string> canonical_row(const std::vector<xbase::Field>& fields, const Row& r) {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(canonical(f, r.get(f.name)));
  return out;
}

using Skip = std::function<bool(Tbl, const Row&)>;

std::vector<Row> rows_of(Storage& s, Tbl t, const Skip& skip) {
  std::vector<Row> out;
  s.scan(t, [&](const Row& r) {
    if (!skip || !skip(t, r)) out.push_back(r);
    return true;
  });
  return out;
}

// Compares every moving table of two storages record by record, in storage order (the copy
// keeps it); throws UserError naming the first difference.
MigrationReport compare(Storage& from, Storage& to, const Skip& skip_from, const Skip& skip_to) {
  MigrationReport rep;
  std::map<std::string, std::pair<size_t, domain::Decimal>> series;
  for (const auto& def : dictionary()) {
    if (!moves(def)) continue;
    const auto fields = fields_at(def, kSchemaVersion);
    auto a = rows_of(from, def.id, skip_from), b = rows_of(to, def.id, skip_to);
    if (a.size() != b.size())
      throw UserError(fmt::format("the copy of {} has {} records, {} has {}", def.name, b.size(), from.describe(),
                                  a.size()));
    for (size_t i = 0; i < a.size(); ++i) {
      auto x = canonical_row(fields, a[i]), y = canonical_row(fields, b[i]);
      for (size_t k = 0; k < fields.size(); ++k)
        if (x[k] != y[k])
          throw UserError(fmt::format("the copy of {} record {} differs in {}: \"{}\" instead of \"{}\"", def.name,
                                      i + 1, fields[k].name, y[k], x[k]));
      if (def.id == Tbl::doc && a[i].integer(fld::number) > 0) {
        auto& s = series[fmt::format("{} {}", a[i].text(fld::type), a[i].integer(fld::year))];
        s.first++;
        s.second = s.second + a[i].dec(fld::total_incl);
      }
    }
    rep.records.emplace_back(def.name, a.size());
  }
  for (const auto& [name, s] : series)
    rep.totals.push_back(fmt::format("{}: {} numbered documents, {} including VAT", name, s.first, s.second.to_string(2)));
  return rep;
}

// Every company file of `from` copied into `to` (written whole each, storage.h).
void copy_files(Storage& from, const std::function<void(FileKind, const std::string&, const std::string&)>& put) {
  for (FileKind k : kFileKinds)
    for (const auto& name : from.list_files(k)) {
      auto bytes = from.read_file(k, name);
      if (!bytes) throw UserError(fmt::format("{}/{} of {} went while it was copied", file_kind_name(k), name, from.describe()));
      put(k, name, *bytes);
    }
}

// The company files of two storages, compared name by name and byte for byte; returns how
// many. Throws UserError naming the first difference.
size_t compare_files(Storage& from, Storage& to) {
  size_t n = 0;
  for (FileKind k : kFileKinds) {
    const auto a = from.list_files(k), b = to.list_files(k);
    if (a != b)
      throw UserError(fmt::format("the copy has {} {} files, {} has {} (or other names)", b.size(), file_kind_name(k),
                                  from.describe(), a.size()));
    for (const auto& name : a)
      if (from.read_file(k, name) != to.read_file(k, name))
        throw UserError(fmt::format("the copy of {}/{} differs from the original", file_kind_name(k), name));
    n += a.size();
  }
  return n;
}

// Where the tests hold a move while a second program tries the company: when
// INVOICING_TEST_PAUSE_AT names the point, the file INVOICING_TEST_PAUSE_FILE is written there
// and the move waits until the test removes it (a minute at most). Only tests set them.
void pause_point(const char* name) {
  const char* at = std::getenv("INVOICING_TEST_PAUSE_AT");
  const char* file = std::getenv("INVOICING_TEST_PAUSE_FILE");
  if (!at || !file || std::string_view(at) != name) return;
  std::ofstream(file) << name << "\n";
  for (int i = 0; i < 1200 && fs::exists(file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// Only this program may work in the company while it moves.
void require_alone(Company& c) {
  std::string others;
  for (const auto& o : c.other_workstations()) others += (others.empty() ? "" : "; ") + o;
  if (!others.empty())
    throw UserError(fmt::format("{} is in use ({}): everyone must close invoicing before the company moves",
                                c.storage().describe(), others));
}

// COPY's text form of one value.
std::string copy_text(const std::optional<std::string>& v) {
  if (!v) return "\\N";
  std::string out;
  common::append_copy_text(out, *v);
  return out;
}

void write_text_file(const fs::path& to, const std::string& text) {
  try {
    xbase::write_durably(xbase::FileSystem::os(), to, text);
  } catch (const xbase::Error& e) {
    throw StorageUnavailable(fmt::format("cannot write {}: {}", to.string(), e.detail()));
  }
}

std::unique_ptr<Company> open_source(const fs::path& where, const Identity& who) {
  OpenOptions o;
  o.who = who;
  auto c = Company::open(where, o);
  require_alone(*c);
  return c;
}

}  // namespace

std::string moved_from_folder(const fs::path& folder) {
  std::ifstream in(folder / kMovedFile);
  if (!in) return "";
  std::string line;
  std::getline(in, line);
  return line;
}

std::optional<fs::path> unfinished_move_into(Storage& database) {
  auto r = database.find(Tbl::settings, "KEY", {Value::text(kMovingFromSetting)});
  if (!r) return std::nullopt;
  const fs::path from = r->text(fld::note);
  // Stopped after the folder was marked, before the key was removed: the move is done.
  if (!moved_from_folder(from).empty()) return std::nullopt;
  return from;
}

MigrationReport migrate_to_database(const fs::path& folder, const std::string& target, const Identity& who) {
  // Held before the others are counted, until the folder is marked as moved: a program that
  // starts meanwhile is told the company is being moved (company.cc).
  folder::MoveHold hold(folder, fmt::format("to the database {} by {}", postgres::display_target(target), describe(who)));
  auto src = open_source(folder, who);
  Storage& from = src->storage();
  std::optional<std::string> licence_text;
  if (fs::exists(folder / kLicenceFile)) licence_text = read_licence_file(folder / kLicenceFile);

  postgres::PgConnection db(target);
  const std::string shown = postgres::display_target(target);
  const fs::path source = xbase::absolute_path(folder);
  if (postgres::schema_stamp(db).version) {
    // A move of this folder stopped after its copy (the folder is not marked: we hold it) is
    // done again from the start.
    const auto unfinished = unfinished_move_into(*postgres::PgStorage::open(target));
    if (!unfinished || *unfinished != source)
      throw UserError(fmt::format("the database {} holds a company already; a company moves into an empty database", shown));
    postgres::drop_schema(db);
  }
  // Everything in one transaction: the database holds all of the company or nothing.
  db.in_transaction([&] {
    db.exec_script(postgres::schema_ddl());
    for (const auto& def : dictionary()) {
      if (!moves(def)) continue;
      const auto fields = fields_at(def, kSchemaVersion);
      std::string cols;
      for (const auto& f : fields) {
        if (!cols.empty()) cols += ", ";
        cols += postgres::column_name(f.name);
      }
      std::vector<std::string> lines;
      from.scan(def.id, [&](const Row& r) {
        std::string line;
        for (size_t i = 0; i < fields.size(); ++i) {
          if (i) line += '\t';  // appended apart: GCC 12 warns (-Wrestrict) on ("" or "\t") + string
          line += copy_text(postgres::to_param(fields[i], r.get(fields[i].name)));
        }
        lines.push_back(line + "\n");
        return true;
      });
      db.copy_in(fmt::format("COPY {} ({}) FROM STDIN", postgres::table_name(def), cols), lines);
      // Autoincrement IDs go on after the highest copied.
      for (const auto& f : fields)
        if (f.autoinc)
          db.exec(fmt::format("SELECT setval(pg_get_serial_sequence('{}', '{}'), coalesce(max({}), 0) + 1, false) FROM {}",
                              postgres::table_name(def), postgres::column_name(f.name).substr(1, f.name.size()),
                              postgres::column_name(f.name), postgres::table_name(def)));
    }
    copy_files(from, [&](FileKind k, const std::string& name, const std::string& bytes) {
      postgres::put_file(db, k, name, bytes);
    });
    if (licence_text)
      db.exec("INSERT INTO \"settings\" (\"key\", \"note\") VALUES ($1, $2)", {std::string(kLicenceTextSetting), *licence_text});
    db.exec("INSERT INTO \"settings\" (\"key\", \"note\") VALUES ($1, $2)", {std::string(kMovingFromSetting), source.string()});
    db.exec("INSERT INTO \"schema\" (\"name\", \"version\", \"updated\", \"program\") VALUES ('DATA', $1, now(), $2)",
            {std::to_string(kSchemaVersion), program_name()});
  });
  MigrationReport rep;
  try {
    auto to = postgres::PgStorage::open(target);
    rep = compare(from, *to, nullptr, [](Tbl t, const Row& r) {
      return t == Tbl::settings && (r.text(fld::key) == kLicenceTextSetting || r.text(fld::key) == kMovingFromSetting);
    });
    rep.files = compare_files(from, *to);
    pause_point("migrate-compared");
  } catch (...) {
    postgres::drop_schema(db);  // the database as it was: empty
    throw;
  }
  write_text_file(folder / kMovedFile,
                  fmt::format("{}\nmoved on {:%Y-%m-%d %H:%M} by {}\n", shown, fmt::localtime(std::time(nullptr)), describe(src->who())));
  db.exec("DELETE FROM \"settings\" WHERE \"key\" = $1", {std::string(kMovingFromSetting)});
  return rep;
}

MigrationReport copy_to_folder(Company& src, const fs::path& folder) {
  Storage& from = src.storage();
  auto skip_licence = [](Tbl t, const Row& r) { return t == Tbl::settings && r.text(fld::key) == kLicenceTextSetting; };
  MigrationReport rep;
  from.at_one_moment([&] {
    auto licence_row = from.find(Tbl::settings, "KEY", {Value::text(kLicenceTextSetting)});
    folder::FolderInit fi;
    fi.program = program_name();
    for (const auto& def : dictionary()) {
      if (!moves(def)) continue;
      for (const auto& f : fields_at(def, kSchemaVersion))
        if (f.autoinc) {
          int64_t highest = 0;
          from.scan(def.id, [&](const Row& r) {
            highest = std::max(highest, r.integer(f.name));
            return true;
          });
          fi.autoinc_next[def.name] = int32_t(highest + 1);
        }
    }
    fi.fill = [&](const fs::path& tmp) {
      {
        auto to = folder::FolderStorage::open(tmp);
        for (const auto& def : dictionary()) {
          if (!moves(def)) continue;
          Action a(*to);
          from.scan(def.id, [&](const Row& r) {
            if (skip_licence(def.id, r)) return true;
            Row copy = r;
            copy.id = 0;
            to->insert(def.id, copy);
            return true;
          });
          a.commit();
        }
        copy_files(from, [&](FileKind k, const std::string& name, const std::string& bytes) {
          to->write_file(k, name, bytes);
        });
        rep = compare(from, *to, skip_licence, nullptr);
        rep.files = compare_files(from, *to);
      }
      if (licence_row && licence_row->get(fld::note).kind() == Value::Kind::text)
        write_licence_file(tmp, licence_row->get(fld::note).str());
    };
    folder::create_folder(folder, fi);
  });
  return rep;
}

MigrationReport migrate_to_folder(const std::string& target, const fs::path& folder, const Identity& who) {
  // As for a folder: held before the others are counted, until the database is marked.
  postgres::MoveHold hold(target);
  auto src = open_source(target, who);
  MigrationReport rep = copy_to_folder(*src, folder);
  pause_point("migrate-compared");
  src->set_setting(kMovedSetting, xbase::absolute_path(folder).string());
  return rep;
}

}  // namespace invoicing::store

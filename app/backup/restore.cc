#include "backup/restore.h"

#include <fmt/format.h>

#include <set>

#include "backup/archive.h"
#include "backup/kill_point.h"
#include "backup/names.h"
#include "backup/temp_folder.h"
#include "store/company.h"
#include "store/documents.h"
#include "store/field_rules.h"
#include "store/migration.h"
#include "store/folder/folder_files.h"
#include "store/folder/folder_schema.h"
#include "store/folder/folder_storage.h"
#include "store/folder/folder_swap.h"
#include "store/text_search.h"
#include "xbase/file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;
using invoicing::store::Tbl;
using invoicing::store::UserError;
namespace fld = invoicing::store::fld;
namespace folder = invoicing::store::folder;

namespace invoicing::backup {

namespace {

const char* kNothingChanged = "nothing was changed";

void check_versions(const RestoreOptions& o, const Manifest& m) {
  if (compare_versions(m.program_version, store::program_version()) > 0 || m.schema_version > store::kSchemaVersion)
    throw UserError(fmt::format("{} was made with {} (schema {}); this program is {} (schema {}): update the "
                                "program first ({})",
                                o.zip.filename().string(), m.program_version, m.schema_version,
                                store::program_version(), store::kSchemaVersion, kNothingChanged));
}

// Users this installation knows: its users, and whoever its audit log names.
std::set<std::string> known_users(const fs::path& dir, const std::string& restoring) {
  std::set<std::string> known = {store::upper_text(restoring)};
  for (Tbl t : {Tbl::users, Tbl::audit}) {
    const fs::path dbf = folder::table_path(dir, store::table_def(t));
    if (!fs::exists(dbf)) continue;
    folder::scan_records(dbf, [&](const folder::ScannedRecord& s) {
      known.insert(store::upper_text(s.row.text(t == Tbl::users ? fld::name : fld::user)));
    });
  }
  return known;
}

bool is_table_or_transient(const std::string& name) {
  if (name == folder::kGateFile || name == folder::kStagingMark || name == folder::kStagingLock || name == kLicenceName)
    return true;
  if (name.find(".xbj") != std::string::npos || name.find(".NEW.") != std::string::npos) return true;
  for (const auto& def : store::dictionary())
    for (const auto& f : folder::table_file_names(def))
      if (name == f) return true;
  return false;
}

// A file or folder of the current data folder into the new one: hard links where the file
// system has them (issued PDFs can be gigabytes; a symbolic link stays a link), else copies
// of what regular files (also through a link) hold.
void carry(xbase::FileSystem& fsys, const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(from, ec))) {
    fsys.create_directories(to);
    for (const auto& e : fs::directory_iterator(from)) carry(fsys, e.path(), to / e.path().filename());
  } else if (!fsys.hard_link(from, to) && fs::is_regular_file(fs::status(from, ec))) {
    xbase::copy_durably(fsys, from, to);
  }
}

// What the current folder has that a backup does not replace (issued PDFs when the backup has
// none, upgrade backups, a user's own files) goes along into the new folder.
std::vector<std::string> carry_over(const fs::path& dir, const fs::path& staging) {
  std::vector<std::string> carried;
  if (!fs::is_directory(dir)) return carried;
  auto& fsys = xbase::FileSystem::os();
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (is_table_or_transient(name) || fs::exists(fs::symlink_status(staging / e.path().filename()))) continue;
    carry(fsys, e.path(), staging / e.path().filename());
    carried.push_back(name + (e.is_directory() ? "/" : ""));
  }
  return carried;
}


// Into a database: the backup is restored into a data folder in a temporary place (checked
// whole as always), which then moves into the database (empty: a company there is never
// replaced) as `invoicing migrate` moves one, compared record by record.
RestoreReport append_into_database(const RestoreOptions& o);

RestoreReport restore_into_database(const RestoreOptions& o) {
  if (o.mode != RestoreMode::replace) return append_into_database(o);
  TempFolder stage;
  RestoreOptions into_folder = o;
  into_folder.data = stage.path / "company";
  RestoreReport rep = restore(into_folder);
  if (o.dry_run) return rep;
  const store::MigrationReport moved = store::migrate_to_database(into_folder.data, o.data.string(), o.who);
  size_t records = 0;
  for (const auto& [table, n] : moved.records) records += n;
  rep.notes.push_back(fmt::format("moved into the database: {} records in {} tables and {} files compared equal",
                                  records, moved.records.size(), moved.files));
  if (fs::exists(into_folder.data / "pdf"))
    rep.notes.push_back("the backup's pdf/ (issued PDFs) is not in the database: a database keeps no issued PDFs");
  return rep;
}

// Added to a company in a database (--append): the backup is restored into a data folder in a
// temporary place (checked whole and verified as always), and its records are merged into the
// database's company from there, in one action (store/merge), as into a folder.
RestoreReport append_into_database(const RestoreOptions& o) {
  store::OpenOptions oo;
  oo.who = o.who;
  oo.take_seat = false;
  auto target = store::Company::open(o.data, oo);  // a database holding a company, not moved away
  TempFolder stage;
  RestoreOptions into_folder = o;
  into_folder.mode = RestoreMode::replace;
  into_folder.dry_run = false;  // the temporary folder only: the merge below honours the dry run
  into_folder.data = stage.path / "company";
  const RestoreReport staged = restore(into_folder);
  RestoreReport rep;
  rep.manifest = staged.manifest;
  rep.skipped = staged.skipped;
  rep.verify_problems = staged.verify_problems;
  for (const auto& n : staged.notes)
    if (n.rfind("upgraded", 0) == 0) rep.notes.push_back(n);
  auto source = store::Company::open(into_folder.data, oo);
  store::MergeSource src = [&](Tbl t, const std::function<void(const store::Row&)>& fn) {
    source->storage().scan(t, [&](const store::Row& r) {
      fn(r);
      return true;
    });
  };
  rep.merged = store::merge(*target, src, "backup " + o.zip.filename().string(), o.dry_run);
  rep.changed = !o.dry_run;
  return rep;
}

}  // namespace

RestoreReport restore(const RestoreOptions& o) {
  if (store::is_database(o.data)) return restore_into_database(o);  // its TempFolder sweeps
  remove_abandoned_temp_folders();  // what killed backups and restores left (each a whole copy)
  RestoreReport rep;
  auto archive = BackupArchive::open_file(o.zip);
  const Manifest& m = archive->manifest();
  rep.manifest = m;
  check_versions(o, m);
  const bool replace = o.mode == RestoreMode::replace;
  const fs::path dir = xbase::absolute_path(o.data);
  if (replace) {
    folder::settle_replace(dir, true);
    if (fs::exists(dir) && !fs::is_empty(dir) && !folder::schema_version(dir))
      throw UserError(fmt::format("{} is not a company data folder; restore into a data folder or a new folder ({})",
                                  dir.string(), kNothingChanged));
    if (fs::exists(dir)) {
      auto users = folder::folder_users(dir);
      if (!users.empty()) {
        std::string who;
        for (const auto& u : users) who += (who.empty() ? "" : ", ") + u;
        throw UserError(fmt::format("{} is open on {}: close invoicing there first; a restore that replaces the data "
                                    "needs everyone out ({})",
                                    dir.string(), who, kNothingChanged));
      }
    }
  } else if (!folder::schema_version(dir)) {
    throw UserError(fmt::format("{} is not a company data folder to add the backup to", dir.string()));
  }

  folder::Staging staging(dir);
  const fs::path& st = staging.path();
  archive->extract_all(st);
  kill_point("restore-extracted");
  const int version = folder::schema_version(st);
  if (version != m.schema_version)
    throw UserError(fmt::format("{}: its manifest says schema {}, its SCHEMA table {} ({})", o.zip.filename().string(),
                                m.schema_version, version, kNothingChanged));
  for (const auto& def : store::dictionary())
    if (def.since <= version && !fs::exists(folder::table_path(st, def)))
      throw UserError(fmt::format("{} lacks the table {} ({})", o.zip.filename().string(), def.name, kNothingChanged));

  // Every table as `xbase check` sees it.
  std::map<Tbl, std::map<uint32_t, std::string>> damaged;
  std::set<Tbl> rewrite;
  for (const auto& def : store::dictionary()) {
    const fs::path dbf = folder::table_path(st, def);
    if (!fs::exists(dbf)) continue;
    for (const auto& p : folder::check_table_file(dbf)) {
      const bool in_record = (p.area == "record" || p.area == "memo") && p.recno;
      if (!o.ignore_faulty || !(in_record || p.area == "index"))
        throw UserError(fmt::format("the backup's {} is damaged{}: {} ({}{})", def.name,
                                    p.recno ? fmt::format(" in record {}", p.recno) : "", p.message, kNothingChanged,
                                    in_record || p.area == "index" ? "; --ignore-faulty restores what is intact" : ""));
      if (in_record) damaged[def.id][p.recno] = p.message;
      rewrite.insert(def.id);  // indexes are made anew from the records
    }
  }
  kill_point("restore-checked");
  RecordFindings faulty = find_faulty_records(st, damaged);
  if (!faulty.faulty.empty() && !o.ignore_faulty) {
    const auto& f = faulty.faulty.front();
    throw UserError(fmt::format("the backup's {} record {} is faulty: {} ({}; --ignore-faulty leaves the {} faulty "
                                "record{} out and lists {})",
                                f.table, f.recno, f.why, kNothingChanged, faulty.faulty.size(),
                                faulty.faulty.size() == 1 ? "" : "s", faulty.faulty.size() == 1 ? "it" : "them"));
  }
  rep.skipped = faulty.faulty;
  for (const auto& [t, recs] : faulty.recnos)
    if (!recs.empty()) rewrite.insert(t);

  // Audit entries of users this installation does not know: attributed to whoever restores,
  // the original name kept first in the text (append: the merge does the same).
  std::set<std::string> known;
  std::set<std::string> reattributed;
  if (replace) {
    known = known_users(dir, o.who.user);
    folder::scan_records(folder::table_path(st, store::table_def(Tbl::audit)), [&](const folder::ScannedRecord& s) {
      if (!known.count(store::upper_text(s.row.text(fld::user)))) rewrite.insert(Tbl::audit);
    });
  }
  for (Tbl t : rewrite) {
    const auto& recs = faulty.recnos[t];
    folder::rewrite_table(folder::table_path(st, store::table_def(t)), [&](uint32_t recno, store::Row& row) {
      if (recs.count(recno)) return false;
      if (replace && t == Tbl::audit && !known.count(store::upper_text(row.text(fld::user)))) {
        const std::string user = row.text(fld::user);
        reattributed.insert(user);
        row.text(fld::text, store::fitted_text(Tbl::audit, fld::text,
                                               fmt::format("[{} on {}] {}", user, row.text(fld::workstation),
                                                           row.text(fld::text))));
        row.text(fld::user, store::fitted_text(Tbl::audit, fld::user, o.who.user));
        row.text(fld::workstation, store::fitted_text(Tbl::audit, fld::workstation, o.who.workstation));
      }
      return true;
    });
  }
  for (const auto& u : reattributed)
    rep.notes.push_back(fmt::format("audit entries of {} (unknown here) are attributed to {}, with the original name "
                                    "kept in their text",
                                    u, o.who.user));
  if (!rewrite.empty() && version == store::kSchemaVersion) folder::rebuild_folder_indexes(st);

  if (replace) {
    // The licence is the installation's own: a backup's is used only where there is none yet.
    if (fs::exists(dir / kLicenceName)) {
      xbase::copy_durably(xbase::FileSystem::os(), dir / kLicenceName, st / kLicenceName);
      rep.notes.push_back("this installation's licence is kept (a backup's licence is never imported)");
    } else if (fs::exists(st / kLicenceName)) {
      rep.notes.push_back("the backup's licence is installed (there was none here)");
    }
    for (const auto& n : carry_over(dir, st)) rep.notes.push_back("kept from the current folder: " + n);
  }

  // Upgraded in place when older, then verified as `invoicing verify` does.
  {
    store::OpenOptions oo;
    oo.who = o.who;
    oo.take_seat = false;
    auto c = store::Company::open(st, oo);
    if (c->upgrade())
      rep.notes.push_back(fmt::format("upgraded from schema version {} to {}", c->upgrade()->from, c->upgrade()->to));
    auto problems = store::verify(*c);
    if (!problems.empty() && !o.ignore_faulty)
      throw UserError(fmt::format("the backup does not verify: {}{} ({})", problems.front(),
                                  problems.size() > 1 ? fmt::format(" (and {} more problems)", problems.size() - 1) : "",
                                  kNothingChanged));
    rep.verify_problems = problems;
  }
  kill_point("restore-verified");

  if (!replace) {
    store::OpenOptions oo;
    oo.who = o.who;
    oo.take_seat = false;
    auto target = store::Company::open(dir, oo);
    store::MergeSource src = [&](Tbl t, const std::function<void(const store::Row&)>& fn) {
      const fs::path dbf = folder::table_path(st, store::table_def(t));
      if (fs::exists(dbf)) folder::scan_records(dbf, [&](const folder::ScannedRecord& s) { fn(s.row); });
    };
    rep.merged = store::merge(*target, src, "backup " + o.zip.filename().string(), o.dry_run);
    rep.changed = !o.dry_run;
    return rep;
  }
  if (o.dry_run) return rep;
  staging.swap_into(dir, [](const char* step) { kill_point((std::string("restore-") + step).c_str()); });
  rep.changed = true;
  return rep;
}

}  // namespace invoicing::backup

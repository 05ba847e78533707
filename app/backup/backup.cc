#include "backup/backup.h"

#include <fmt/format.h>
#include <unistd.h>
#include <zip.h>

#include <chrono>
#include <ctime>

#include "backup/archive.h"
#include "backup/file_hash.h"
#include "backup/kill_point.h"
#include "backup/names.h"
#include "backup/retention.h"
#include "backup/temp_folder.h"
#include "backup/utf8_path.h"
#include "store/dictionary.h"
#include "store/migration.h"
#include "store/folder/folder_files.h"
#include "store/folder/folder_schema.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace invoicing::backup {

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Every file a backup copies, publishes or prunes goes through the engine's file system; only
// the archive itself is written by libzip (into a hidden ".part" file that is then synced and
// published through it).
xbase::FileSystem& fsys() { return xbase::FileSystem::os(); }

std::string created_at(const std::tm& tm) {
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

// Regular files below `from` (symbolic links are not followed), copied to `to` with the same
// relative names; returns the names with '/' separators.
std::vector<std::string> copy_tree(const fs::path& from, const fs::path& to, const std::string& prefix) {
  std::vector<std::string> out;
  if (!fs::is_directory(fs::symlink_status(from))) return out;
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator(); ++it) {
    const auto st = it->symlink_status();
    if (fs::is_symlink(st) || !fs::is_regular_file(st)) continue;
    std::string rel = prefix + "/" + it->path().lexically_relative(from).generic_string();
    if (!entry_name_problem(rel).empty()) continue;  // a name a restore would refuse
    fsys().create_directories((to / rel).parent_path());
    xbase::copy_file(fsys(), it->path(), to / rel);
    out.push_back(rel);
  }
  return out;
}


[[noreturn]] void zip_failed(zip_t* za, const std::string& what) {
  std::string why = zip_strerror(za);
  zip_discard(za);
  throw std::runtime_error(fmt::format("the backup could not be written ({}): {}", what, why));
}

void write_zip(const fs::path& part, const fs::path& from, const std::vector<std::string>& names,
               const std::string& manifest, int level) {
  int err = 0;
  zip_t* za = zip_open(utf8_of(part).c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!za) {
    zip_error_t e;
    zip_error_init_with_code(&e, err);
    std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw std::runtime_error(fmt::format("cannot create {}: {}", part.string(), why));
  }
  // libzip keeps the manifest's bytes until zip_close: `manifest` outlives it here.
  zip_source_t* ms = zip_source_buffer(za, manifest.data(), manifest.size(), 0);
  if (!ms) zip_failed(za, "manifest");
  zip_int64_t mi = zip_file_add(za, kManifestName, ms, ZIP_FL_ENC_UTF_8);
  if (mi < 0) {
    zip_source_free(ms);
    zip_failed(za, "manifest");
  }
  for (const auto& n : names) {
    zip_source_t* src = zip_source_file(za, utf8_of(from / n).c_str(), 0, -1);
    if (!src) zip_failed(za, n);
    zip_int64_t i = zip_file_add(za, n.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
      zip_source_free(src);
      zip_failed(za, n);
    }
    zip_set_file_compression(za, zip_uint64_t(i), ZIP_CM_DEFLATE, zip_uint32_t(level));
    // A plain file, readable by its owner and group (no symlink or device bits for a reader
    // to trust).
    zip_file_set_external_attributes(za, zip_uint64_t(i), 0, ZIP_OPSYS_UNIX, zip_uint32_t(0100640) << 16);
  }
  if (zip_close(za) != 0) zip_failed(za, "closing");
}

// Renames without replacing a backup that has the name already (two in one minute): the
// second gets -2, -3, ... before .zip.
fs::path publish(const fs::path& part, const fs::path& dir, const std::string& name) {
  const std::string stem = name.substr(0, name.size() - 4);
  for (int k = 1;; ++k) {
    fs::path final = dir / path_of_utf8(k == 1 ? name : fmt::format("{}-{}.zip", stem, k));
    if (fsys().rename_unless_exists(part, final)) return final;
  }
}


// A company in PostgreSQL: its tables as of one moment (one REPEATABLE READ snapshot, while
// colleagues keep working) become a data folder in a temporary place, compared record by
// record, and that folder is backed up as any other: the ZIP restores into a folder or a
// database alike.
BackupResult backup_of_database(store::Company& c, const BackupOptions& o) {
  const auto t0 = Clock::now();
  TempFolder stage;
  const fs::path copy = stage.path / "company";
  store::copy_to_folder(c, copy);
  const double copied = since(t0);
  store::OpenOptions oo;
  oo.who = c.who();
  oo.take_seat = false;
  auto folder = store::Company::open(copy, oo);
  BackupResult res = make_backup(*folder, o);
  res.gate_seconds = copied;  // the snapshot: nobody waited for it, but it is the copy's time
  res.total_seconds = since(t0);
  return res;
}

}  // namespace

BackupResult make_backup(store::Company& c, const BackupOptions& o) {
  if (store::is_database(c.dir())) return backup_of_database(c, o);
  const auto t0 = Clock::now();
  BackupResult res;
  TempFolder tmp;
  // The tables as of one moment (the gate closed), then everything else.
  const auto tg = Clock::now();
  std::vector<std::string> names = store::folder::copy_tables_at_one_moment(c.dir(), tmp.path);
  res.gate_seconds = since(tg);
  kill_point("backup-copied");
  if (fs::is_regular_file(c.dir() / kLicenceName)) {
    xbase::copy_file(fsys(), c.dir() / kLicenceName, tmp.path / kLicenceName);
    names.push_back(kLicenceName);
  }
  for (const auto& e : fs::directory_iterator(c.dir()))
    if (e.is_regular_file() && is_logo_name(e.path().filename().string())) {
      xbase::copy_file(fsys(), e.path(), tmp.path / e.path().filename());
      names.push_back(e.path().filename().string());
    }
  for (auto& n : copy_tree(c.dir() / "layouts", tmp.path, "layouts")) names.push_back(std::move(n));
  // The suppliers' e-invoices the purchase invoices were imported from (store/purchase_imports).
  for (auto& n : copy_tree(c.dir() / "purchases", tmp.path, "purchases")) names.push_back(std::move(n));
  // Import profiles (store/import_profiles): company files as layouts are, since schema 8.
  for (auto& n : copy_tree(c.dir() / "import-profiles", tmp.path, "import-profiles")) names.push_back(std::move(n));
  if (o.with_pdf)
    for (auto& n : copy_tree(c.dir() / "pdf", tmp.path, "pdf")) names.push_back(std::move(n));

  Manifest& m = res.manifest;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  m.program_version = store::program_version();
  m.schema_version = store::folder::schema_version(tmp.path);
  m.edition = domain::edition_name(c.edition());
  m.company = c.setting("company");
  m.vat = c.setting("vat");
  m.created_at = created_at(tm);
  m.user = c.who().user;
  m.workstation = c.who().workstation;
  m.automatic = o.automatic;
  m.with_pdf = o.with_pdf;
  for (const auto& n : names) m.files.push_back({n, fs::file_size(tmp.path / n), sha256_of_file(tmp.path / n)});
  for (const auto& def : store::dictionary())
    if (fs::exists(tmp.path / (def.name + ".DBF")))
      m.tables[def.name] = store::folder::stored_records(tmp.path / (def.name + ".DBF"));

  fsys().create_directories(o.to);
  const std::string name = backup_file_name(tm, m.program_version, m.schema_version, m.edition, m.company);
  // Hidden while incomplete, and never under the final name: a kill leaves only a ".part".
  const fs::path part = o.to / path_of_utf8(fmt::format(".{}.{}.part", name, getpid()));
  try {
    write_zip(part, tmp.path, names, m.to_json(), o.compression);
    fsys().open(part, xbase::OpenMode::read_write)->sync();  // Windows flushes writable handles only
    kill_point("backup-zipped");
    res.file = publish(part, o.to, name);
  } catch (...) {
    try {
      fsys().remove(part);
    } catch (const xbase::Error&) {
    }
    throw;
  }
  fsys().sync_dir(o.to);  // the rename made durable
  res.bytes = fs::file_size(res.file);
  if (o.automatic) res.removed = prune_automatic(c, o.to);
  res.total_seconds = since(t0);
  return res;
}

std::vector<fs::path> prune_automatic(store::Company& c, const fs::path& dir) {
  const int daily = c.int_setting("backup_keep_daily", 7), weekly = c.int_setting("backup_keep_weekly", 4);
  const std::string company = c.setting("company"), vat = c.setting("vat");
  std::vector<fs::path> files;
  std::vector<std::string> created;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (!e.is_regular_file() || n.size() < 5 || n.substr(n.size() - 4) != ".zip" || n[0] == '.') continue;
    try {
      auto a = BackupArchive::open_file(e.path());
      const Manifest& m = a->manifest();
      if (!m.automatic || m.company != company || m.vat != vat) continue;
      files.push_back(e.path());
      created.push_back(m.created_at);
    } catch (const std::exception&) {
      // Not one of ours, or damaged: never removed by the retention.
    }
  }
  std::vector<fs::path> removed;
  for (size_t i : backups_to_remove(created, daily, weekly)) {
    try {
      fsys().remove(files[i]);
      removed.push_back(files[i]);
    } catch (const xbase::Error&) {
      // Left for the next prune (read-only, or removed by someone else meanwhile).
    }
  }
  return removed;
}

}  // namespace invoicing::backup

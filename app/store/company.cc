#include "store/company.h"

#include <fmt/format.h>

#include <cctype>

#include "store/beside.h"
#include "store/field_rules.h"
#include "store/folder/folder_move.h"
#include "xbase/path_text.h"
#include "store/folder/folder_storage.h"
#include "store/folder/folder_swap.h"
#include "store/licence_file.h"
#include "store/migration.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_storage.h"
#include "store/version.h"

namespace fs = std::filesystem;
using xbase::Value;

namespace invoicing::store {

namespace {

// The numbers of "invoicing 0.10.2": {0, 10, 2}; empty when there is no version.
std::vector<int> version_numbers(const std::string& name) {
  std::vector<int> out;
  size_t i = name.find_first_of("0123456789");
  while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i]))) {
    int n = 0;
    while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i]))) n = n * 10 + (name[i++] - '0');
    out.push_back(n);
    if (i < name.size() && name[i] == '.') ++i;
  }
  return out;
}

}  // namespace

const char* program_version() { return INVOICING_VERSION; }
std::string program_name() { return std::string("invoicing ") + INVOICING_VERSION; }
const char* program_release_date() { return INVOICING_RELEASE_DATE; }

int compare_program_versions(const std::string& a, const std::string& b) {
  auto x = version_numbers(a), y = version_numbers(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

std::string describe(const Identity& who) { return who.user + " on " + who.workstation; }

void Company::init(const fs::path& dir, const InitOptions& o) {
  folder::FolderInit fi;
  fi.schema_version = o.schema_version;
  fi.program = program_name();
  std::string vat = o.vat;
  std::string installed;
  if (!o.licence.empty()) {
    auto v = licence::judge_new_licence(o.licence, vat, this_program());
    if (!v.licence || (v.state != licence::LicenceState::valid && v.state != licence::LicenceState::updates_ended))
      throw UserError("the licence is refused: " + v.reason);
    if (vat.empty()) vat = v.licence->vat;
    installed = licence::describe(*v.licence);
  }
  fi.settings = {{"company", o.company},
                 {"vat", vat},
                 {"country", o.country.empty() ? "BE" : o.country},
                 {"numbering", "serialized"},
                 {"numbering_wait", "60"}};
  if (!installed.empty()) fi.settings.emplace_back(kLicenceSetting, installed);
  // Checked before anything is made, in characters: the table would refuse it halfway.
  for (const auto& [k, v] : fi.settings)
    checked_text(Tbl::settings, fld::value, v, k == "company" ? std::string("a company name") : "the setting " + k);
  if (is_database(dir)) {
    postgres::PgConnection conn(dir.string());
    std::vector<std::pair<std::string, std::string>> notes;
    if (!o.licence.empty()) notes.emplace_back(kLicenceTextSetting, o.licence);
    postgres::create_schema(conn, fi.settings, notes, fi.program);
    return;
  }
  folder::create_folder(dir, fi);
  if (!o.licence.empty()) write_licence_file(dir, o.licence);
}

bool is_database(const fs::path& target) { return postgres::is_database_target(target.string()); }

std::string shown_target(const fs::path& target) {
  return is_database(target) ? postgres::display_target(target.string()) : xbase::path_utf8(target);
}

FolderInfo Company::inspect(const fs::path& dir) {
  FolderInfo info;
  if (is_database(dir)) {
    OpenOptions o;
    o.take_seat = false;
    o.read_only = true;
    auto c = open(dir, o);
    auto* pg = dynamic_cast<postgres::PgStorage*>(&c->storage());
    const auto stamp = postgres::schema_stamp(pg->connection());
    info.schema = {stamp.version, stamp.program};
    info.company = c->setting("company");
    info.licence = c->licence();
    return info;
  }
  info.schema = folder::schema_stamp(dir);
  if (!info.schema.version) return info;
  info.company = folder::folder_setting(dir, "company");
  info.licence = folder_licence(dir, folder::folder_setting(dir, "vat"), folder::folder_setting(dir, kLicenceSetting));
  return info;
}

int Company::schema_version_of(const fs::path& dir) {
  if (is_database(dir)) {
    postgres::PgConnection conn(dir.string());
    return postgres::schema_stamp(conn).version;
  }
  return folder::schema_version(dir);
}

std::vector<std::string> Company::rebuild_indexes(const fs::path& dir) {
  if (is_database(dir)) throw UserError("a database keeps its own indexes: nothing to rebuild");
  int v = folder::schema_version(dir);
  if (v == 0) throw UserError(fmt::format("{} is not a company data folder", dir.string()));
  if (v != kSchemaVersion)
    throw UserError(fmt::format("{} has schema version {}; open it once with this program (version {}) first",
                                dir.string(), v, kSchemaVersion));
  return folder::rebuild_folder_indexes(dir);
}

namespace {

// What a company's open reads of its folder besides the tables: the licence files and whether a
// move to a database is under way. Read beside the tables' opens: on a share each is a round
// trip or three that the open would otherwise wait for after the tables'.
struct FolderLooks {
  FolderLicenceFiles licence;
  std::string moving;
};

}  // namespace

std::unique_ptr<Company> Company::open(const fs::path& dir, const OpenOptions& opts) {
  if (is_database(dir)) return open_database(dir.string(), opts);
  // Whether the company moved to a database, asked beside the look for an interrupted restore
  // (each a round trip on a share): a restore that replaced the folder and was interrupted
  // leaves the old or the new folder, settled here either way.
  auto moved = beside([dir] { return moved_from_folder(dir); });
  folder::settle_replace(dir);
  if (auto to = moved.get(); !to.empty())
    throw UserError(fmt::format("the company of {} moved to the database {}: open it with --db {} (invoicing migrate "
                                "--from {} --data NEW-DIR brings it back)",
                                dir.string(), to, to, to));
  auto looks = beside([dir] { return FolderLooks{read_folder_licence(dir), folder::move_under_way(dir)}; });
  // SCHEMA opens here to read its stamp, the seat table and SETTINGS on a thread beside it (the
  // storage's own opens, FolderStorage::open). SCHEMA is then kept in the storage: its open
  // settled the folder's journals, and while a table of the folder is open the next opens need
  // not list it again (docs/transactions.md). When the folder must be had alone (an upgrade, a
  // newer program's stamp) the storage opened beside is closed first and opened again after.
  auto beside_storage = beside([dir, ro = opts.read_only] { return folder::FolderStorage::open(dir, ro); });
  // Opened without asking first whether it exists (a round trip on a share). Only its own
  // absence means "not a company folder", not that of a file beside it (its index, its memo).
  std::unique_ptr<xbase::Table> schema;
  const fs::path schema_file = folder::table_path(dir, table_def(Tbl::schema));
  try {
    schema = xbase::Table::open(schema_file, folder::FolderStorage::table_options(opts.read_only));
  } catch (const xbase::Error&) {
    if (fs::exists(schema_file)) throw;  // (a path through a file is "not there" too, as before)
  }
  const auto stamp = schema ? folder::schema_stamp(*schema) : folder::SchemaStamp{};
  const int v = stamp.version;
  if (v == 0)
    throw UserError(fmt::format("{} is not a company data folder (no SCHEMA.DBF); create one with `invoicing init`",
                                dir.string()));
  if (v > kSchemaVersion)
    throw UserError(fmt::format("{} has schema version {}, written by {}; this program ({}) knows schema versions up "
                                "to {}. Install {} or newer (a data folder is never downgraded)",
                                dir.string(), v, stamp.program.empty() ? "a newer invoicing" : stamp.program,
                                program_name(), kSchemaVersion,
                                stamp.program.empty() ? "the newer program" : stamp.program));
  std::unique_ptr<Company> c(new Company());
  c->dir_ = dir;
  c->opts_ = opts;
  c->commands_ = opts.one_command ? 1 : 0;
  // Names go into seat and audit records: made to fit there, whatever was typed.
  c->who_ = {fitted_text(Tbl::seats, fld::user, opts.who.user),
             fitted_text(Tbl::seats, fld::workstation, opts.who.workstation)};
  const bool upgrade = v < kSchemaVersion;
  if (upgrade && opts.read_only)
    throw UserError(fmt::format("{} has schema version {} and must be upgraded to {}: that needs write access",
                                dir.string(), v, kSchemaVersion));
  const bool restamp = !upgrade && !opts.read_only && compare_program_versions(program_name(), stamp.program) > 0;
  if (upgrade || restamp) {
    // Every table to itself: what opened beside goes first (its failure is the old tables').
    try {
      beside_storage.get().reset();
    } catch (const std::exception&) {
    }
    schema.reset();
    if (upgrade)
      c->upgrade_ = folder::upgrade_folder(dir, v, program_name());
    else  // a newer program over a folder of the same schema: it says so in SCHEMA, as an upgrade does
      folder::stamp_program(dir, program_name());
    c->storage_ = folder::FolderStorage::open(dir, opts.read_only);
  } else {
    auto storage = beside_storage.get();
    storage->keep_schema(std::move(schema));
    c->storage_ = std::move(storage);
  }
  const FolderLooks first = looks.get();
  c->licence_ = folder_licence(first.licence, c->setting("vat"), c->setting(kLicenceSetting));
  // Before the seat (the mover holds one: its own message, not "all seats are taken") and
  // after it: a move that starts now sees the seat (migration.cc holds, then counts seats), one
  // that started before is seen here.
  auto refuse_if_moving = [&](const std::string& moving) {
    if (!moving.empty())
      throw UserError(fmt::format("the company of {} is being moved ({}): open it again when the move is done",
                                  dir.string(), moving));
  };
  refuse_if_moving(first.moving);
  c->take_seat();
  refuse_if_moving(folder::move_under_way(dir));
  return c;
}

std::unique_ptr<Company> Company::open_database(const std::string& target, const OpenOptions& opts) {
  auto storage = postgres::PgStorage::open(target, opts.read_only);
  const auto stamp = postgres::schema_stamp(storage->connection());
  const std::string shown = postgres::display_target(target);
  if (stamp.version == 0)
    throw UserError(fmt::format("the database {} holds no company; create one with `invoicing init --db {}`", shown,
                                shown));
  // An older database is upgraded in place (new tables, columns and indexes, in one
  // transaction); a newer one is refused, as a folder is.
  if (stamp.version > kSchemaVersion || (stamp.version < kSchemaVersion && opts.read_only))
    throw UserError(fmt::format("the database {} has schema version {}, written by {}; this program ({}) works with "
                                "schema version {}{}",
                                shown, stamp.version, stamp.program.empty() ? "another invoicing" : stamp.program,
                                program_name(), kSchemaVersion,
                                stamp.version < kSchemaVersion ? " (upgrading it needs write access)" : ""));
  std::optional<UpgradeReport> upgraded;
  if (stamp.version < kSchemaVersion) {
    postgres::upgrade_schema(storage->connection(), stamp.version, program_name());
    upgraded = UpgradeReport{stamp.version, kSchemaVersion, {}};
  } else if (!opts.read_only && compare_program_versions(program_name(), stamp.program) > 0) {
    postgres::stamp_program(storage->connection(), program_name());
  }
  std::unique_ptr<Company> c(new Company());
  c->upgrade_ = upgraded;
  c->storage_ = std::move(storage);
  c->commands_ = opts.one_command ? 1 : 0;
  if (auto to = c->setting(kMovedSetting); !to.empty())
    throw UserError(fmt::format("the company of the database {} moved to the data folder {}: open it with --data {}",
                                shown, to, to));
  if (auto from = unfinished_move_into(*c->storage_))
    throw UserError(fmt::format("the company of the database {} is being moved here from the data folder {}, or that "
                                "move was stopped: work in the folder until `invoicing migrate --data {} --to {}` "
                                "ends",
                                shown, from->string(), from->string(), shown));
  c->dir_ = target;
  c->opts_ = opts;
  c->who_ = {fitted_text(Tbl::seats, fld::user, opts.who.user),
             fitted_text(Tbl::seats, fld::workstation, opts.who.workstation)};
  c->licence_ = c->stored_licence();
  // Before and after the seat, as for a folder.
  auto refuse_if_moving = [&] {
    if (postgres::move_under_way(dynamic_cast<postgres::PgStorage&>(*c->storage_).connection()))
      throw UserError(fmt::format("the company of the database {} is being moved to a data folder (invoicing "
                                  "migrate): open it again when the move is done",
                                  shown));
  };
  refuse_if_moving();
  c->take_seat();
  refuse_if_moving();
  return c;
}

licence::Verdict Company::stored_licence() {
  if (!is_database(dir_)) return folder_licence(dir_, setting("vat"), setting(kLicenceSetting));
  auto r = storage_->find(Tbl::settings, "KEY", {Value::text(kLicenceTextSetting)});
  std::optional<std::string> text;
  if (r) text = r->get(fld::note).kind() == Value::Kind::text ? r->get(fld::note).str() : std::string();
  return database_licence(text, setting("vat"), setting(kLicenceSetting));
}

void Company::take_seat() {
  auto* c = this;
  const auto& opts = opts_;
  if (opts.take_seat) {
    const int n = c->seats();
    c->seat_ = c->storage_->take_seat(n, c->who_);
    if (!c->seat_) {
      std::string who;
      for (const auto& h : c->storage_->seat_holders(n)) who += (who.empty() ? "" : "; ") + describe(h.who);
      throw UserError(fmt::format("all {} seat{} of the {} edition are in use ({}); close invoicing on another "
                                  "workstation, or upgrade the licence",
                                  n, n == 1 ? "" : "s", domain::edition_name(c->edition()), who));
    }
  }
}

void Company::require(domain::Feature f) const {
  if (auto why = domain::refusal(edition(), f)) {
    std::string m = *why;
    if (licence_.needs_note()) m += "; " + licence_.message;
    throw NeedsEdition(m);
  }
}

licence::Verdict Company::install_licence(const std::string& text) {
  if (opts_.read_only) throw UserError("installing a licence needs write access to the data folder");
  const std::string vat = setting("vat");
  auto v = licence::judge_new_licence(text, vat, this_program());
  if (!v.licence || (v.state != licence::LicenceState::valid && v.state != licence::LicenceState::updates_ended))
    throw UserError("the licence is refused, nothing was installed: " + v.reason);
  if (licence::vat_key(vat) == licence::kDemoCompanyVat)
    throw UserError("the demo company takes no licence: create your company with `invoicing init DIR --licence FILE`");
  // The record first: should the file not arrive, the folder reports a missing licence.
  if (vat.empty()) set_setting("vat", v.licence->vat);
  set_setting(kLicenceSetting, licence::describe(*v.licence));
  if (is_database(dir_)) {
    Action a(*storage_);
    forget_settings();
    auto r = storage_->find(Tbl::settings, "KEY", {Value::text(kLicenceTextSetting)});
    if (r) {
      storage_->lock(Tbl::settings, r->id, lock_wait());
      storage_->update(Tbl::settings, r->id, Row().text(fld::note, text));
    } else {
      Row row;
      row.text(fld::key, kLicenceTextSetting).text(fld::note, text);
      storage_->insert(Tbl::settings, row);
    }
    a.commit();
  } else {
    write_licence_file(dir_, text);
  }
  return licence_ = stored_licence();
}

Company::~Company() = default;

namespace {

// A settings key as the KEY index compares it (upper case); nullopt for a key the cache does
// not answer for (not plain ASCII, trailing blanks, longer than the field): read from the table.
std::optional<std::string> cache_key(std::string_view key) {
  if (key.empty() || key.size() > 30 || key.back() == ' ') return std::nullopt;
  std::string k;
  for (char ch : key) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u > 0x7E) return std::nullopt;
    k += char(std::toupper(u));
  }
  return k;
}

}  // namespace

Company::Command::Command(Company& c) : c_(c) { ++c_.commands_; }

Company::Command::~Command() {
  if (--c_.commands_ == 0) c_.settings_.reset();
}

void Company::forget_settings() {
  settings_.reset();
  settings_written_ = true;
}

// Whether the settings kept for the running command answer for `key`; `value` is then its
// value (nullopt: not set).
bool Company::kept_setting(std::string_view key, std::optional<std::string>& value) {
  if (commands_ == 0) return false;
  auto k = cache_key(key);
  if (!k) return false;
  if (settings_written_) {
    // Inside the action that wrote them the table shows its own writes; once it ended they
    // are read again (what it committed, or what was there if it rolled back).
    if (storage_->in_action()) return false;
    settings_written_ = false;
    settings_.reset();
  }
  if (!settings_) {
    std::map<std::string, std::string, std::less<>> all;
    storage_->scan_fields(Tbl::settings, {fld::key, fld::value}, [&](const Row& r) {
      if (auto rk = cache_key(r.text(fld::key))) all[*rk] = r.text(fld::value);
      return true;
    });
    settings_ = std::move(all);
  }
  auto it = settings_->find(*k);
  value = it == settings_->end() ? std::nullopt : std::optional<std::string>(it->second);
  return true;
}

std::string Company::setting(std::string_view key, std::string_view fallback) {
  if (std::optional<std::string> v; kept_setting(key, v)) return v ? *v : std::string(fallback);
  auto r = storage_->find(Tbl::settings, "KEY", {Value::text(std::string(key))});
  if (!r) return std::string(fallback);
  return r->text(fld::value);
}

int Company::int_setting(std::string_view key, int fallback) {
  std::string v = setting(key);
  if (v.empty()) return fallback;
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size()) return n;
  } catch (const std::exception&) {
  }
  throw UserError(fmt::format("the setting {} is \"{}\", not a whole number", key, v));
}

void Company::set_setting(std::string_view key, std::string_view value) {
  Action a(*storage_);
  put_setting(key, value);
  a.commit();
}

void Company::put_setting(std::string_view key, std::string_view value) {
  // The demo company runs as Pro for its VAT number: giving it another would make it a real
  // company with the demo's edition.
  if (key == "vat" && licence::vat_key(setting("vat")) == licence::kDemoCompanyVat &&
      licence::vat_key(value) != licence::kDemoCompanyVat)
    throw UserError("the demo company's VAT number cannot be changed: create your company with `invoicing init`");
  std::string k = checked_text(Tbl::settings, fld::key, std::string(key), "a setting's name");
  std::string v = checked_text(Tbl::settings, fld::value, std::string(value), "a setting's value");
  forget_settings();
  auto r = storage_->find(Tbl::settings, "KEY", {Value::text(k)});
  if (r) {
    storage_->lock(Tbl::settings, r->id, lock_wait());
    storage_->update(Tbl::settings, r->id, Row().text(fld::value, v));
  } else {
    Row row;
    row.text(fld::key, k).text(fld::value, v);
    try {
      storage_->insert(Tbl::settings, row);
    } catch (const DuplicateKey&) {
      throw Busy(fmt::format("the setting {} was just created by another workstation; try again", k));
    }
  }
}

std::vector<SeatHolder> Company::seat_holders() { return storage_->seat_holders(seats()); }

std::vector<std::string> Company::busy_with(std::string_view what) {
  std::vector<std::string> out;
  for (const auto& h : seat_holders())
    if (!h.ours && h.busy.rfind(what, 0) == 0) out.push_back(describe(h.who));
  return out;
}

Company::Doing::Doing(Company& c, const std::string& what) : c_(c) {
  c_.storage_->set_busy(fitted_text(Tbl::seats, fld::busy, what));
}

Company::Doing::~Doing() {
  try {
    c_.storage_->set_busy("");
  } catch (...) {
  }
}

}  // namespace invoicing::store

#include "store/company.h"

#include <fmt/format.h>

#include <fstream>

#include "store/field_rules.h"
#include "store/folder/folder_storage.h"
#include "store/folder/folder_swap.h"
#include "store/version.h"

namespace fs = std::filesystem;
using xbase::Value;

namespace invoicing::store {

namespace {

Edition licence_edition(const fs::path& dir) {
  std::ifstream lic(dir / "LICENCE.TXT");
  std::string line;
  while (std::getline(lic, line))
    if (line.rfind("edition=", 0) == 0) {
      std::string v = line.substr(8);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.pop_back();
      if (auto e = domain::edition_from_name(v)) return *e;
    }
  return Edition::free;
}

}  // namespace

const char* program_version() { return INVOICING_VERSION; }
std::string program_name() { return std::string("invoicing ") + INVOICING_VERSION; }

std::string describe(const Identity& who) { return who.user + " on " + who.workstation; }

void Company::init(const fs::path& dir, const InitOptions& o) {
  folder::FolderInit fi;
  fi.schema_version = o.schema_version;
  fi.program = program_name();
  fi.settings = {{"company", o.company},
                 {"vat", o.vat},
                 {"country", o.country.empty() ? "BE" : o.country},
                 {"numbering", "serialized"},
                 {"numbering_wait", "60"}};
  folder::create_folder(dir, fi);
  std::ofstream(dir / "LICENCE.TXT") << "edition=" << domain::edition_name(o.edition) << "\n";
}

int Company::schema_version_of(const fs::path& dir) { return folder::schema_version(dir); }

std::vector<std::string> Company::rebuild_indexes(const fs::path& dir) {
  int v = folder::schema_version(dir);
  if (v == 0) throw UserError(fmt::format("{} is not a company data folder", dir.string()));
  if (v != kSchemaVersion)
    throw UserError(fmt::format("{} has schema version {}; open it once with this program (version {}) first",
                                dir.string(), v, kSchemaVersion));
  return folder::rebuild_folder_indexes(dir);
}

std::unique_ptr<Company> Company::open(const fs::path& dir, const OpenOptions& opts) {
  // A restore that replaced the folder and was interrupted leaves the old or the new folder.
  folder::settle_replace(dir);
  int v = folder::schema_version(dir);
  if (v == 0)
    throw UserError(fmt::format("{} is not a company data folder (no SCHEMA.DBF); create one with `invoicing init`",
                                dir.string()));
  if (v > kSchemaVersion)
    throw UserError(fmt::format("{} has schema version {}, written by a newer invoicing; this program ({}) knows "
                                "versions up to {}. Install the newer program (a data folder is never downgraded)",
                                dir.string(), v, program_version(), kSchemaVersion));
  std::unique_ptr<Company> c(new Company());
  c->dir_ = dir;
  c->opts_ = opts;
  // Names go into seat and audit records: made to fit there, whatever was typed.
  c->who_ = {fitted_text(Tbl::seats, fld::user, opts.who.user),
             fitted_text(Tbl::seats, fld::workstation, opts.who.workstation)};
  if (v < kSchemaVersion) {
    if (opts.read_only)
      throw UserError(fmt::format("{} has schema version {} and must be upgraded to {}: that needs write access",
                                  dir.string(), v, kSchemaVersion));
    c->upgrade_ = folder::upgrade_folder(dir, v, program_name());
  }
  c->edition_ = licence_edition(dir);
  c->storage_ = folder::FolderStorage::open(dir, opts.read_only);
  if (opts.take_seat) {
    const int n = domain::seat_count(c->edition_);
    c->seat_ = c->storage_->take_seat(n, c->who_);
    if (!c->seat_) {
      std::string who;
      for (const auto& h : c->storage_->seat_holders(n)) who += (who.empty() ? "" : "; ") + describe(h.who);
      throw UserError(fmt::format("all {} seat{} of the {} edition are in use ({}); close invoicing on another "
                                  "workstation, or upgrade the licence",
                                  n, n == 1 ? "" : "s", domain::edition_name(c->edition_), who));
    }
  }
  return c;
}

Company::~Company() = default;

std::string Company::setting(std::string_view key, std::string_view fallback) {
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
  std::string k = checked_text(Tbl::settings, fld::key, std::string(key), "a setting's name");
  std::string v = checked_text(Tbl::settings, fld::value, std::string(value), "a setting's value");
  Action a(*storage_);
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
  a.commit();
}

std::vector<SeatHolder> Company::seat_holders() { return storage_->seat_holders(domain::seat_count(edition_)); }

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

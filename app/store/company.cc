#include "store/company.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "store/text.h"
#include "xbase/transaction.h"

namespace fs = std::filesystem;
using xbase::Table;
using xbase::Value;

namespace invoicing::store {

namespace {

constexpr int kSeatSlots = 50;  // SEATS records; the licence says how many may be used

fs::path table_path(const fs::path& dir, std::string_view name) { return dir / (std::string(name) + ".DBF"); }

std::string stamp_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

xbase::DateTime now_datetime() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  xbase::DateTime dt;
  dt.julian_day = xbase::julian_day({tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday});
  dt.millis = ((tm.tm_hour * 60 + tm.tm_min) * 60 + tm.tm_sec) * 1000;
  return dt;
}

// Creates a table of the dictionary with its tags (fields as of `version`).
void create_table(const fs::path& path, const TableDef& def, int version,
                  const std::vector<xbase::Field>* autoinc_from = nullptr) {
  auto fields = fields_at(def, version);
  if (autoinc_from)
    for (auto& f : fields)
      for (const auto& o : *autoinc_from)
        if (f.autoinc && o.name == f.name) f.autoinc_next = o.autoinc_next;
  xbase::CreateOptions c;
  c.format = xbase::Format::vfp;
  c.codepage = 1252;
  auto t = Table::create(path, fields, c);
  for (const auto& tg : def.tags)
    if (tg.since <= version) t->create_tag(tg.spec);
  t->close();
}

// The files of a table (DBF and its memo and index, when they exist).
std::vector<fs::path> files_of(const fs::path& dbf) {
  std::vector<fs::path> out;
  for (const char* ext : {".DBF", ".FPT", ".CDX"}) {
    fs::path p = dbf;
    p.replace_extension(ext);
    if (fs::exists(p)) out.push_back(p);
  }
  return out;
}

// Rebuilds a table with the dictionary's current fields: new files beside the old ones,
// records copied by field name (new fields blank, deleted records stay deleted), then swapped
// in. An interruption leaves NAME.NEW.* beside or instead of the old files: the next upgrade
// finishes the swap or starts again (the backup holds the originals).
void restructure(const fs::path& dir, const TableDef& def) {
  const fs::path path = table_path(dir, def.name);
  const fs::path fresh = dir / (def.name + ".NEW.DBF");
  for (const auto& f : files_of(fresh)) fs::remove(f);
  {
    xbase::OpenOptions ex;
    ex.exclusive = true;
    auto old = Table::open(path, ex);
    auto descriptors = old->descriptors();
    create_table(fresh, TableDef{def.name, def.since, def.fields, {}}, kSchemaVersion, &descriptors);
    xbase::OpenOptions wb = ex;
    wb.write_behind = true;
    auto neu = Table::open(fresh, wb);
    const auto& nf = neu->fields();
    std::vector<std::optional<size_t>> from(nf.size());
    for (size_t i = 0; i < nf.size(); ++i) from[i] = old->field_index(nf[i].name);
    old->scan([&](const xbase::Record& r) {
      std::vector<Value> vals(nf.size());
      for (size_t i = 0; i < nf.size(); ++i)
        vals[i] = from[i] ? r.get(*from[i]) : Value::empty();
      uint32_t n = neu->append(vals);
      if (r.deleted()) neu->remove(n);
      return true;
    });
    neu->close();
  }
  for (const auto& f : files_of(path)) fs::remove(f);
  for (const auto& f : files_of(fresh)) {
    fs::path to = f;
    to.replace_filename(def.name + f.extension().string());
    fs::rename(f, to);
  }
}

void copy_tree_files(const fs::path& dir, const fs::path& backup) {
  fs::create_directories(backup);
  for (const auto& def : dictionary())
    for (const auto& f : files_of(table_path(dir, def.name))) fs::copy_file(f, backup / f.filename());
  for (const char* extra : {"LICENCE.TXT"})
    if (fs::exists(dir / extra)) fs::copy_file(dir / extra, backup / extra);
}

UpgradeReport upgrade_folder(const fs::path& dir, int from) {
  // Everyone else out: every table once for exclusive use.
  {
    xbase::OpenOptions ex;
    ex.exclusive = true;
    std::vector<std::unique_ptr<Table>> all;
    for (const auto& def : dictionary()) {
      if (!fs::exists(table_path(dir, def.name))) continue;
      try {
        all.push_back(Table::open(table_path(dir, def.name), ex));
      } catch (const xbase::Error& e) {
        if (e.code() == xbase::Errc::in_use)
          throw UserError(fmt::format(
              "the data folder must be upgraded from schema version {} to {}, and {} is in use: "
              "close invoicing on every workstation, then start it again",
              from, kSchemaVersion, def.name));
        throw;
      }
    }
  }
  UpgradeReport rep{from, kSchemaVersion, dir / "backups" / fmt::format("schema-v{}-{}", from, stamp_now())};
  copy_tree_files(dir, rep.backup);
  for (const auto& def : dictionary()) {
    const fs::path path = table_path(dir, def.name);
    const fs::path fresh = dir / (def.name + ".NEW.DBF");
    if (!fs::exists(path) && fs::exists(fresh)) {  // a swap an earlier upgrade left halfway
      for (const auto& f : files_of(fresh)) {
        fs::path to = f;
        to.replace_filename(def.name + f.extension().string());
        fs::rename(f, to);
      }
    }
    if (!fs::exists(path)) {
      create_table(path, def, kSchemaVersion);
      continue;
    }
    bool missing_field = false;
    {
      xbase::OpenOptions ro;
      ro.read_only = true;
      auto t = Table::open(path, ro);
      for (const auto& f : fields_at(def, kSchemaVersion))
        if (!t->field_index(f.name)) missing_field = true;
    }
    if (missing_field) restructure(dir, def);
    xbase::OpenOptions ex;
    ex.exclusive = true;
    auto t = Table::open(path, ex);
    for (const auto& tg : def.tags) {
      bool have = std::any_of(t->tags().begin(), t->tags().end(),
                              [&](const xbase::TagInfo& i) { return i.name == tg.spec.name; });
      if (!have) t->create_tag(tg.spec);
    }
  }
  // The commit point: the version says the folder is complete.
  auto schema = Table::open(table_path(dir, "SCHEMA"));
  {
    xbase::Transaction tx{schema.get()};
    auto r = schema->seek("NAME", Value::text("DATA"), xbase::SeekMode::exact);
    if (!r) throw UserError("SCHEMA.DBF has no DATA record");
    std::vector<std::pair<size_t, Value>> ch = {
        {schema->field_index_or_throw("VERSION"), Value::integer(kSchemaVersion)},
        {schema->field_index_or_throw("UPDATED"), Value::datetime(now_datetime())}};
    schema->update(*r, ch);
    tx.commit();
  }
  return rep;
}

}  // namespace

const char* edition_name(Edition e) {
  switch (e) {
    case Edition::free: return "Free";
    case Edition::basic: return "Basic";
    case Edition::pro: return "Pro";
    case Edition::full: return "Full";
  }
  return "?";
}

int seat_count(Edition e) {
  switch (e) {
    case Edition::free: return 1;
    case Edition::basic: return 3;
    case Edition::pro: return 10;
    case Edition::full: return kSeatSlots;
  }
  return 1;
}

std::optional<Edition> edition_from_name(std::string_view s) {
  std::string l(s);
  for (auto& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (l == "free") return Edition::free;
  if (l == "basic") return Edition::basic;
  if (l == "pro") return Edition::pro;
  if (l == "full") return Edition::full;
  return std::nullopt;
}

std::string decimal_text(const Value& v) {
  if (v.kind() == Value::Kind::number) return v.str();
  if (v.kind() == Value::Kind::integer) return std::to_string(v.as_integer());
  return "0";
}

int folder_schema_version(const fs::path& dir) {
  const fs::path p = table_path(dir, "SCHEMA");
  if (!fs::exists(p)) return 0;
  xbase::OpenOptions ro;
  ro.read_only = true;
  auto t = Table::open(p, ro);
  auto r = t->seek("NAME", Value::text("DATA"), xbase::SeekMode::exact);
  if (!r) return 0;
  return int(t->read(*r).get("VERSION").as_real());
}

void Company::init(const fs::path& dir, const InitOptions& o) {
  fs::create_directories(dir);
  if (fs::exists(table_path(dir, "SCHEMA")))
    throw UserError(fmt::format("{} holds a company data folder already", dir.string()));
  for (const auto& def : dictionary())
    if (def.since <= o.schema_version) create_table(table_path(dir, def.name), def, o.schema_version);
  xbase::OpenOptions ex;
  ex.exclusive = true;
  {
    auto t = Table::open(table_path(dir, "SCHEMA"), ex);
    t->append(std::vector<Value>{Value::text("DATA"), Value::integer(o.schema_version),
                                 Value::datetime(now_datetime()), Value::text("invoicing 0.1")});
  }
  {
    auto t = Table::open(table_path(dir, "SETTINGS"), ex);
    auto put = [&](const char* k, const std::string& v) { t->append(std::vector<Value>{Value::text(k), Value::text(v)}); };
    put("company", o.company);
    put("vat", o.vat);
    put("country", o.vat.size() >= 2 ? o.vat.substr(0, 2) : "BE");
    put("numbering", "serialized");
    put("numbering_wait", "60");
  }
  {
    auto t = Table::open(table_path(dir, "SEATS"), ex);
    for (int i = 1; i <= kSeatSlots; ++i) t->append(std::vector<Value>{Value::integer(i)});
  }
  std::ofstream(dir / "LICENCE.TXT") << "edition=" << edition_name(o.edition) << "\n";
}

std::unique_ptr<Company> Company::open(const fs::path& dir, const OpenOptions& opts) {
  int v = folder_schema_version(dir);
  if (v == 0) throw UserError(fmt::format("{} is not a company data folder (no SCHEMA.DBF); create one with `invoicing init`", dir.string()));
  if (v > kSchemaVersion)
    throw UserError(fmt::format("{} has schema version {}, written by a newer invoicing; this program "
                                "knows versions up to {}. Install the newer program (a data folder "
                                "is never downgraded)",
                                dir.string(), v, kSchemaVersion));
  std::unique_ptr<Company> c(new Company());
  c->dir_ = dir;
  c->who_ = opts.who;
  c->opts_ = opts;
  if (v < kSchemaVersion) c->upgrade_ = upgrade_folder(dir, v);
  c->version_ = kSchemaVersion;
  std::ifstream lic(dir / "LICENCE.TXT");
  std::string line;
  while (std::getline(lic, line))
    if (line.rfind("edition=", 0) == 0)
      if (auto e = edition_from_name(trim(line.substr(8)))) c->edition_ = *e;
  c->open_tables(false);
  if (opts.take_seat) c->take_seat();
  return c;
}

Company::~Company() {
  if (seats_ && seat_) {
    try {
      seats_->unlock_all();
    } catch (...) {
    }
  }
}

void Company::open_tables(bool exclusive) {
  xbase::OpenOptions o;
  o.exclusive = exclusive;
  o.lock_wait = xbase::LockWait::up_to(opts_.lock_wait);
  for (const auto& def : dictionary()) {
    if (def.name == "SEATS") continue;
    tables_[def.name] = Table::open(table_path(dir_, def.name), o);
  }
  xbase::OpenOptions s;
  s.lock_wait = xbase::LockWait::immediate();
  seats_ = Table::open(table_path(dir_, "SEATS"), s);
}

Table& Company::table(std::string_view name) {
  auto it = tables_.find(name);
  if (it == tables_.end()) throw std::invalid_argument("no open table " + std::string(name));
  return *it->second;
}

void Company::take_seat() {
  const int n = seat_count(edition_);
  for (int slot = 1; slot <= n && slot <= int(seats_->record_count()); ++slot) {
    try {
      seats_->lock_record(uint32_t(slot));
    } catch (const xbase::Error& e) {
      if (e.code() != xbase::Errc::lock_timeout) throw;
      continue;
    }
    seat_ = slot;
    std::vector<std::pair<size_t, Value>> ch = {
        {seats_->field_index_or_throw("USERNAME"), Value::text(who_.user)},
        {seats_->field_index_or_throw("WSTATION"), Value::text(who_.workstation)},
        {seats_->field_index_or_throw("PID"), Value::integer(getpid())},
        {seats_->field_index_or_throw("SINCE"), Value::datetime(now_datetime())},
        {seats_->field_index_or_throw("BUSY"), Value::text("")}};
    seats_->update(uint32_t(slot), ch);
    return;
  }
  std::string who;
  for (const auto& h : seat_holders()) who += (who.empty() ? "" : "; ") + h;
  throw UserError(fmt::format("all {} seat{} of the {} edition are in use ({}); close invoicing on "
                              "another workstation, or upgrade the licence",
                              n, n == 1 ? "" : "s", edition_name(edition_), who));
}

std::vector<std::string> Company::seat_holders() {
  std::vector<std::string> out;
  const int n = seat_count(edition_);
  for (int slot = 1; slot <= n && slot <= int(seats_->record_count()); ++slot) {
    bool held = slot == seat_;
    if (!held) {
      try {
        seats_->lock_record(uint32_t(slot));
        seats_->unlock_record(uint32_t(slot));
      } catch (const xbase::Error&) {
        held = true;
      }
    }
    if (!held) continue;
    auto r = seats_->read(uint32_t(slot));
    std::string busy = trim(r.get("BUSY").str());
    out.push_back(fmt::format("seat {}: {} on {}{}", slot, trim(r.get("USERNAME").str()),
                              trim(r.get("WSTATION").str()), busy.empty() ? "" : " (" + busy + ")"));
  }
  return out;
}

void Company::set_busy(const std::string& what) {
  if (!seat_) return;
  seats_->update(uint32_t(seat_), seats_->field_index_or_throw("BUSY"), Value::text(what.substr(0, 60)));
}

std::string Company::setting(std::string_view key, std::string_view fallback) {
  auto& t = table("SETTINGS");
  auto r = t.seek("KEY", Value::text(upper(key)), xbase::SeekMode::exact);
  if (!r) return std::string(fallback);
  return trim(t.read(*r).get("VALUE").str());
}

void Company::set_setting(std::string_view key, std::string_view value) {
  auto& t = table("SETTINGS");
  xbase::Transaction tx{&t};
  auto r = t.seek("KEY", Value::text(upper(key)), xbase::SeekMode::exact);
  if (r)
    t.update(*r, t.field_index_or_throw("VALUE"), Value::text(std::string(value)));
  else
    t.append(std::vector<Value>{Value::text(std::string(key)), Value::text(std::string(value))});
  tx.commit();
}

}  // namespace invoicing::store

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli.h"
#include "xbase/file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;

namespace invoicing::cli {

Args parse(int argc, char** argv, int first, std::set<std::string> valued, std::set<std::string> flags) {
  valued.insert({"data", "db", "user", "workstation"});
  flags.insert("json");
  return common::cli::parse_args(argc, argv, first, valued, flags);
}

std::string environment_text(const char* name) {
#ifdef _WIN32
  // Read as wide characters: the narrow environment is in the ANSI codepage.
  const std::wstring wide_name(name, name + std::strlen(name));
  const wchar_t* v = _wgetenv(wide_name.c_str());
  return v ? path_utf8(fs::path(v)) : std::string();
#else
  const char* v = std::getenv(name);
  return v ? v : std::string();
#endif
}

std::string local_settings_path() {
#ifdef _WIN32
  // %APPDATA% (the user's roaming settings), read as wide characters.
  const wchar_t* appdata = _wgetenv(L"APPDATA");
  const fs::path base = appdata && *appdata ? fs::path(appdata) : fs::path(".");
#else
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home ? home : ".") / ".config";
#endif
  return path_utf8(base / "xbase-invoicing" / "local.ini");
}

namespace {
using Ini = std::map<std::string, std::map<std::string, std::string>>;
Ini read_ini() {
  Ini ini;
  std::ifstream in(path_from_utf8(local_settings_path()));
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    auto eq = line.find('=');
    if (eq != std::string::npos) ini[section][line.substr(0, eq)] = line.substr(eq + 1);
  }
  return ini;
}
}  // namespace

std::string local_setting(const std::string& key, const std::string& section) {
  auto ini = read_ini();
  auto s = ini.find(section);
  if (s == ini.end()) return "";
  auto k = s->second.find(key);
  return k == s->second.end() ? "" : k->second;
}

std::string change_local_setting(const std::string& key, const std::string& value, const std::string& section) {
  for (unsigned char ch : value)
    if (ch < 0x20 || ch == 0x7f)
      throw store::UserError(fmt::format("{}: a control character (line break, tab) cannot be in a setting", key));
  const bool every = section.empty();
  auto folder = [](const std::string& v) { return path_utf8(xbase::absolute_path(path_from_utf8(v))); };
  if (key == "data" && every) {
    if (value.empty()) throw store::UserError("data: the data folder this workstation opens; it cannot be empty");
    const std::string dir = store::is_database(path_from_utf8(value)) ? value : folder(value);
    if (!store::Company::schema_version_of(path_from_utf8(dir))) throw store::UserError(dir + " is not a company data folder");
    set_local_setting("data", dir);
    return fmt::format("this workstation now uses {}", dir);
  }
  if (key == "user" && !every) {
    set_local_setting("user", value, section);
    return value.empty() ? fmt::format("no user name set for {}", section)
                         : fmt::format("this workstation works as {} in {}", value, section);
  }
  if (key == "pdf_dir" && !every) {
    if (value.empty()) {
      set_local_setting("pdf_dir", "", section);
      return fmt::format("finalized documents of {} are no longer written as PDF on this workstation", section);
    }
    const std::string dir = folder(value);
    try {
      xbase::FileSystem::os().create_directories(path_from_utf8(dir));
    } catch (const std::exception& e) {
      throw store::UserError(fmt::format("pdf_dir: the folder {} cannot be made: {}", dir, e.what()));
    }
    set_local_setting("pdf_dir", dir, section);
    return fmt::format("each document of {} finalized on this workstation is written as PDF into {}", section, dir);
  }
  if (key == "backup_dir") {
    const std::string dir = value.empty() ? "" : folder(value);
    set_local_setting("backup_dir", dir, section);
    return fmt::format("backups of {} go to {}", every ? "every data folder" : section,
                       dir.empty() ? "the default folder" : dir);
  }
  throw store::UserError(fmt::format("{} cannot be set {} here (the local settings set here: data for every data "
                                     "folder; user, pdf_dir, backup_dir for this one; backup_dir for every one)",
                                     key, every ? "for every data folder" : "for one data folder"));
}

void set_local_setting(const std::string& key, const std::string& value, const std::string& section) {
  auto ini = read_ini();
  ini[section][key] = value;
  const fs::path p = path_from_utf8(local_settings_path());
  std::string text = "# invoicing: settings of this workstation (never in the shared data folder)\n";
  for (const auto& [sec, kv] : ini) {
    if (!sec.empty()) text += "[" + sec + "]\n";
    for (const auto& [k, v] : kv) text += k + "=" + v + "\n";
  }
  auto& fsys = xbase::FileSystem::os();
  fsys.create_directories(p.parent_path());
  xbase::write_durably(fsys, p, text);
}

std::string data_dir(const Args& a) {
  // --db postgresql://...: the company lives in a PostgreSQL database (store/postgres).
  if (a.options.count("db")) {
    if (a.options.count("data"))
      throw UsageError("give --data DIR or --db postgresql://..., not both (migrate moves a company between them)");
    std::string db = a.get("db");
    if (!store::is_database(db))
      throw UsageError(fmt::format("--db takes a PostgreSQL target such as postgresql://user@host/dbname, not \"{}\"", db));
    return db;
  }
  if (a.options.count("data")) return a.get("data");
  if (std::string e = environment_text("INVOICING_DATA"); !e.empty()) return e;
  std::string d = local_setting("data");
  if (store::is_database(d)) return d;
  if (d.empty())
    throw UsageError("no data folder: give --data DIR, or set one for this workstation with `invoicing use DIR`");
  // The folder moved, or the share is not mounted: say so, and how to point the workstation
  // at the data again.
  std::error_code ec;
  if (!fs::is_directory(path_from_utf8(d), ec)) {
    std::string unc = local_setting("unc", d);
    throw store::UserError(fmt::format(
        "this workstation's data folder {}{} cannot be found (local settings {}): is the share mounted? If the data "
        "moved, run `invoicing setup workstation {}`",
        d, unc.empty() ? "" : " (" + unc + ")", local_settings_path(), unc.empty() ? "//SERVER/SHARE/DIR" : unc));
  }
  return d;
}

store::Identity identity(const Args& a) {
  store::Identity id;
  id.user = a.get("user");
  if (id.user.empty()) {
    std::string dir;
    try {
      dir = path_utf8(xbase::absolute_path(path_from_utf8(data_dir(a))));
    } catch (const UsageError&) {
    }
    id.user = local_setting("user", dir);
  }
  if (id.user.empty()) {
    id.user = environment_text("USER");
    if (id.user.empty()) id.user = environment_text("USERNAME");  // Windows
    if (id.user.empty()) id.user = "user";
  }
  id.workstation = a.get("workstation");
  if (id.workstation.empty()) {
#ifdef _WIN32
    id.workstation = environment_text("COMPUTERNAME");
#else
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    id.workstation = host;
#endif
    if (id.workstation.empty()) id.workstation = "workstation";
  }
  return id;
}

std::string json_decimal(const domain::Decimal& d, int scale) {
  return json_string(scale < 0 ? d.to_string() : d.to_string(scale));
}

std::string date_text(const std::optional<xbase::Date>& d) {
  return d ? fmt::format("{:04}-{:02}-{:02}", d->year, d->month, d->day) : "";
}

std::optional<xbase::Date> date_option(const Args& a, const std::string& name) {
  if (!a.options.count(name)) return std::nullopt;
  const std::string s = a.get(name);
  // Exactly YYYY-MM-DD in digits: sscanf would take "2025-1-1", " 2025-01-01" or "+025-01-01".
  bool shape = s.size() == 10 && s[4] == '-' && s[7] == '-';
  for (size_t i = 0; shape && i < s.size(); ++i)
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) shape = false;
  if (!shape) throw UsageError(fmt::format("--{} \"{}\" is not a date YYYY-MM-DD (e.g. 2025-01-31)", name, s));
  xbase::Date d;
  d.year = std::stoi(s.substr(0, 4));
  d.month = std::stoi(s.substr(5, 2));
  d.day = std::stoi(s.substr(8, 2));
  static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
  if (d.month < 1 || d.month > 12)
    throw UsageError(fmt::format("--{} \"{}\" is not a date: there is no month {:02} (YYYY-MM-DD)", name, s, d.month));
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  const int days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.day < 1 || d.day > days[d.month - 1])
    throw UsageError(fmt::format("--{} \"{}\" is not a date: {} {} has {} days", name, s, kMonths[d.month - 1], d.year,
                                 days[d.month - 1]));
  if (!xbase::valid_date(d)) throw UsageError(fmt::format("--{} \"{}\" is not a date YYYY-MM-DD", name, s));
  return d;
}

int32_t id_of(const std::string& s, const char* what) {
  // Digits only: stol would take " 7", "+7" and "7abc" as far as it could read.
  bool digits = !s.empty() && s.size() <= 10;
  for (char ch : s)
    if (!std::isdigit(static_cast<unsigned char>(ch))) digits = false;
  const long long v = digits ? std::stoll(s) : 0;
  if (!digits || v <= 0 || v > INT32_MAX)
    throw UsageError(fmt::format("\"{}\" is not {} (a whole number from 1)", s, what));
  return int32_t(v);
}

void only_options(const Args& a, const std::string& command, const std::set<std::string>& allowed) {
  static const std::set<std::string> everywhere = {"data", "db", "user", "workstation", "json"};
  auto check = [&](const std::string& name) {
    if (!allowed.count(name) && !everywhere.count(name))
      throw UsageError(fmt::format("unknown option --{} for `invoicing {}` (see invoicing {} --help)", name, command,
                                   command));
  };
  for (const auto& [name, value] : a.options) check(name);
  for (const auto& name : a.flags) check(name);
}

std::string unexpected(const std::string& word) {
  return fmt::format("unexpected \"{}\" (quote a text with spaces, e.g. --name \"Café Zoë\")", word);
}

namespace {
const std::pair<const char*, domain::DocType> kTypeWords[] = {
    {"quote", domain::DocType::quote},     {"order", domain::DocType::order},
    {"delivery-note", domain::DocType::delivery_note}, {"invoice", domain::DocType::invoice},
    {"credit-note", domain::DocType::credit_note},     {"purchase-invoice", domain::DocType::purchase_invoice}};
}  // namespace

domain::DocType parse_doc_type(const std::string& s) {
  for (const auto& [w, t] : kTypeWords)
    if (s == w) return t;
  std::string u = s;
  for (auto& c : u) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (auto t = domain::doc_type_from_code(u)) return *t;
  throw UsageError(fmt::format("unknown document type \"{}\" (quote, order, delivery-note, invoice, credit-note, "
                               "purchase-invoice)",
                               s));
}

const char* doc_type_word(domain::DocType t) {
  for (const auto& [w, type] : kTypeWords)
    if (type == t) return w;
  return "?";
}

std::unique_ptr<store::Company> open_company(const Args& a, bool take_seat, bool one_command) {
  store::OpenOptions o;
  o.who = identity(a);
  o.take_seat = take_seat;
  o.one_command = one_command;
  auto c = store::Company::open(path_from_utf8(data_dir(a)), o);
  // A bought licence that is not in force is said at every start, never passed over silently.
  if (c->licence().needs_note()) std::fprintf(stderr, "invoicing: licence: %s\n", c->licence().message.c_str());
  if (c->upgrade() && c->upgrade()->backup.empty())
    std::fprintf(stderr, "invoicing: the database was upgraded from schema version %d to %d\n", c->upgrade()->from,
                 c->upgrade()->to);
  else if (c->upgrade())
    std::fprintf(stderr, "invoicing: the data folder was upgraded from schema version %d to %d; the "
                         "originals are in %s\n",
                 c->upgrade()->from, c->upgrade()->to, c->upgrade()->backup.string().c_str());
  return c;
}

}  // namespace invoicing::cli

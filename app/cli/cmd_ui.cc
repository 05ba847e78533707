// invoicing ui: the web front end (app/web) on this workstation's data folder.
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "doctor_report.h"
#include "store/company.h"
#include "web/ui.h"

namespace invoicing::cli {

namespace {

// What of `xbase doctor`'s report makes working in the folder unsafe: a sync client managing
// it or a conflict copy beside the tables (group "sync clients"), a failed lock or coherence
// test. A folder that could not be checked is said too: nobody knows it is safe.
std::vector<web::SafetyFinding> unsafe(const std::filesystem::path& dir) {
  std::vector<web::SafetyFinding> out;
  try {
    for (const auto& f : run_doctor(dir, "", std::cerr).findings) {
      const bool bad = f.severity == "error" || (f.severity == "warning" && f.group == "sync clients");
      if (bad && (f.group == "sync clients" || f.group == "locking" || f.group == "coherence"))
        out.push_back({f.group, f.message, f.fix});
    }
  } catch (const std::exception& e) {
    out.push_back({"check", std::string("the data folder could not be checked: ") + e.what(),
                   "install xbase with invoicing (or set INVOICING_XBASE to it), then check again"});
  }
  return out;
}

// The local settings the program reads (common.cc, cmd_backup.cc, cmd_output.cc): `data` for
// every data folder, the others in this folder's section (backup_dir also for every one).
web::LocalSettings local_settings(const std::string& dir) {
  web::LocalSettings out;
  out.file = local_settings_path();
  auto add = [&](const char* key, const std::string& scope, const char* meaning) {
    out.settings.push_back({key, local_setting(key, scope), scope, meaning});
  };
  add("data", "", "the data folder this workstation opens without --data (`invoicing use DIR`)");
  add("user", dir, "the user name this workstation works as in this data folder (`invoicing use DIR --user NAME`)");
  add("unc", dir, "the share the data folder is on, said when it cannot be found (`invoicing setup workstation`)");
  add("pdf_dir", dir, "where a PDF of each finalized document is written (`invoicing pdf-dir DIR`)");
  add("backup_dir", dir, "where backups of this data folder go (in its section of the file)");
  add("backup_dir", "", "where backups go for data folders without their own (`invoicing backup config --dir DIR`)");
  return out;
}

}  // namespace

int cmd_ui(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"port"}, {"no-browser"});
  if (!a.positional.empty()) throw UsageError(unexpected(a.positional[0]) + "\nusage: invoicing ui [--data DIR] [--port N] [--no-browser]");
  only_options(a, "ui", {"port", "no-browser"});
  web::UiOptions o;
  o.data = data_dir(a);
  o.who = identity(a);
  o.port = a.get_int("port", 0);
  if (o.port < 0 || o.port > 65535) throw UsageError("--port: a port number 1..65535 (0: any free port)");
  o.open_browser = !a.has("no-browser");
  // A database keeps its own locks: the checks are those of a data folder.
  if (!store::is_database(o.data)) {
    const auto dir = std::filesystem::absolute(o.data).lexically_normal();
    o.safety = [dir] { return unsafe(dir); };
  }
  const std::string section = store::is_database(o.data) ? o.data.string()
                                                         : std::filesystem::absolute(o.data).lexically_normal().string();
  o.local_settings = [section] { return local_settings(section); };
  o.change_local_setting = [section](const std::string& key, bool every, const std::string& value) {
    return change_local_setting(key, value, every ? "" : section);
  };
  return web::run_ui(o);
}

}  // namespace invoicing::cli

// invoicing setup server|workstation: installing the program on the file server (the shared
// data folder, checked with `xbase doctor`, and the Samba share settings to include) and on each
// workstation (the local settings pointing at the share, checked the same way). The checks are
// the doctor's own (doctor_report.h).
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"
#include "doctor_report.h"
#include "store/licence_file.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace fs = std::filesystem;

namespace invoicing::cli {

namespace {

// Shows the doctor's errors and warnings; true when there are no errors.
bool judge(const DoctorReport& r, const fs::path& dir) {
  for (const auto& f : r.findings) {
    if (f.severity != "error" && f.severity != "warning") continue;
    std::cout << fmt::format("  {} {}: {}\n", f.severity == "error" ? "ERROR  " : "WARNING",
                             f.group, f.message);
    if (!f.fix.empty()) std::cout << "          fix: " << f.fix << "\n";
  }
  std::cout << fmt::format("xbase doctor: {} ({} file system): {} error{}, {} warning{}\n",
                           dir.string(), r.fs_kind, r.errors, r.errors == 1 ? "" : "s", r.warnings,
                           r.warnings == 1 ? "" : "s");
  return r.errors == 0;
}

// The refusal: every error the doctor found, as one message.
[[noreturn]] void refuse(const DoctorReport& r, const std::string& what) {
  std::string reasons;
  for (const auto& f : r.findings)
    if (f.severity == "error") reasons += (reasons.empty() ? "" : "; ") + f.message;
  throw store::UserError(fmt::format("{}: {}", what, reasons));
}

// The share stanza ../shared/smb-lab/README.md recommends, for `dir` as share `share`.
std::string samba_stanza(const fs::path& dir, const std::string& share, const fs::path& file) {
  return fmt::format(
      "# Samba settings for the invoicing data folder {0}, written by `invoicing setup server`.\n"
      "# Include this file at the end of /etc/samba/smb.conf:  include = {2}\n"
      "# then check with `testparm -s` and reload Samba (`systemctl reload smbd`).\n"
      "# Why: with oplocks or leases a hanging workstation makes every other one wait about 35 s\n"
      "# at each open; strict locking refuses reads and writes inside another workstation's "
      "locked\n"
      "# range; the short TCP keepalive frees a dead workstation's locks in about 11 s, not 2 "
      "hours.\n"
      "[global]\n"
      "  smb2 leases = no\n"
      "  socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 TCP_KEEPINTVL=2 TCP_KEEPCNT=3\n"
      "[{1}]\n"
      "  path = {0}\n"
      "  read only = no\n"
      "  oplocks = no\n"
      "  level2 oplocks = no\n"
      "  kernel oplocks = no\n"
      "  strict locking = yes\n"
      "  posix locking = yes\n"
      "  veto oplock files = "
      "/*.dbf/*.DBF/*.cdx/*.CDX/*.fpt/*.FPT/*.dbt/*.DBT/*.idx/*.IDX/*.ntx/*.NTX/\n",
      dir.string(), share, file.string());
}

void write_text_file(const fs::path& to, const std::string& text) {
  try {
    xbase::write_durably(xbase::FileSystem::os(), to, text);
  } catch (const xbase::Error& e) {
    throw store::UserError(fmt::format("cannot write {}: {}", to.string(), e.detail()));
  }
}

std::string host_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host[0] ? host : "SERVER";
}

int setup_server(const Args& a) {
  if (a.positional.size() != 2)
    throw UsageError(
        "usage: invoicing setup server DIR [--company NAME --vat VAT --licence FILE] [--share "
        "NAME] "
        "[--samba-include FILE] [--smb-conf FILE]");
  const fs::path dir = fs::absolute(a.positional[1]).lexically_normal();
  const int version = store::Company::schema_version_of(dir);
  std::error_code ec;
  if (!version && fs::exists(dir) && !fs::is_empty(dir, ec))
    throw store::UserError(
        fmt::format("{} holds files but no company data folder: give a new or empty folder, "
                    "or the data folder itself",
                    dir.string()));
  const std::string licence_text =
      a.options.count("licence") ? store::read_licence_file(a.get("licence")) : "";
  // The doctor tests inside the folder, so a new one exists (empty) while it runs.
  const bool made = !fs::exists(dir);
  if (made) xbase::FileSystem::os().create_directories(dir);
  // std::filesystem::remove below takes away only the folder made here while it is empty.
  DoctorReport report;
  try {
    report = run_doctor(dir, a.get("smb-conf"));
  } catch (...) {
    if (made) fs::remove(dir, ec);
    throw;
  }
  const bool fit = judge(report, dir);
  const std::string share = a.get("share", "invoicing");
  const fs::path include = a.options.count("samba-include")
                               ? fs::absolute(a.get("samba-include"))
                               : dir.parent_path() / (dir.filename().string() + ".smb.conf");
  write_text_file(include, samba_stanza(dir, share, include));
  std::cout << "wrote the recommended Samba share settings to " << include.string() << "\n";
  if (!fit) {
    if (made) fs::remove(dir, ec);
    refuse(report,
           fmt::format(
               "{} is not fit for the shared data (nothing was created; the Samba settings that "
               "fix a share are in {})",
               dir.string(), include.string()));
  }

  if (!version) {
    store::InitOptions o;
    o.company = a.get("company", "My company");
    o.vat = a.get("vat");
    o.licence = licence_text;
    if (made) fs::remove(dir, ec);  // init builds the folder under a temporary name
    store::Company::init(dir, o);
    std::cout << "created the data folder " << dir.string() << "\n";
  } else {
    store::OpenOptions oo;
    oo.who = identity(a);
    oo.take_seat = false;
    auto c = store::Company::open(dir, oo);  // upgrades an older folder (with a backup first)
    if (c->upgrade())
      std::cout << fmt::format(
          "upgraded the data folder from schema version {} to {}; the originals are in {}\n",
          c->upgrade()->from, c->upgrade()->to, c->upgrade()->backup.string());
    if (!licence_text.empty()) c->install_licence(licence_text);
    std::cout << "adopted the data folder " << dir.string() << " (schema version "
              << store::kSchemaVersion << ")\n";
  }
  const auto info = store::Company::inspect(dir);
  std::cout << fmt::format("{}: the {} edition, {} seat{}; {}\n", info.company,
                           domain::edition_name(info.licence.edition), info.licence.seats,
                           info.licence.seats == 1 ? "" : "s", info.licence.message);
  if (local_setting("data").empty()) set_local_setting("data", dir.string());
  const std::string host = host_name();
  std::cout << fmt::format(
      "\nnext, on this server: include {0} in /etc/samba/smb.conf and reload Samba; for the "
      "nightly backup set\n"
      "  INVOICING_DATA={1} in /etc/default/invoicing and run `systemctl enable --now "
      "invoicing-backup@OWNER.timer`\n"
      "on each workstation: install invoicing, then\n"
      "  Linux:   mount //{2}/{3} (e.g. mount -t cifs //{2}/{3} /mnt/invoicing -o "
      "username=NAME,uid=$(id -u),"
      "gid=$(id -g))\n"
      "           and run `invoicing setup workstation //{2}/{3}`\n"
      "  Windows: run `invoicing setup workstation \\\\{2}\\{3}`\n",
      include.string(), dir.string(), host, share);
  return 0;
}

// ---- workstation -----------------------------------------------------------------------------

struct Unc {
  std::string server, share, rest;  // rest: the folder inside the share ("" for its root)
  std::string root() const { return "//" + server + "/" + share; }
};

std::optional<Unc> parse_unc(std::string s) {
  for (auto& ch : s)
    if (ch == '\\') ch = '/';
  if (s.rfind("//", 0) != 0) return std::nullopt;
  std::vector<std::string> parts;
  std::stringstream in(s.substr(2));
  for (std::string p; std::getline(in, p, '/');)
    if (!p.empty()) parts.push_back(p);
  if (parts.size() < 2) throw UsageError(fmt::format("{} names no share: //SERVER/SHARE[/DIR]", s));
  Unc u{parts[0], parts[1], ""};
  for (size_t i = 2; i < parts.size(); ++i) u.rest += (u.rest.empty() ? "" : "/") + parts[i];
  return u;
}

bool same_text_nocase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// "\040" -> " " as /proc/self/mountinfo escapes names.
std::string unescape_mount(const std::string& s) {
  std::string o;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      o += char(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      o += s[i];
    }
  }
  return o;
}

// Where this machine mounts //server/share (an SMB mount listed in /proc/self/mountinfo).
std::optional<std::string> mount_point_of(const Unc& u) {
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    std::stringstream f(line);
    std::vector<std::string> w;
    for (std::string x; f >> x;) w.push_back(x);
    auto dash = std::find(w.begin(), w.end(), "-");
    if (w.size() < 5 || dash == w.end() || dash + 2 >= w.end()) continue;
    const std::string type = *(dash + 1), source = unescape_mount(*(dash + 2));
    if (type != "cifs" && type != "smb3") continue;
    auto s = parse_unc(source);
    if (s && same_text_nocase(s->server, u.server) && same_text_nocase(s->share, u.share) &&
        s->rest.empty())
      return unescape_mount(w[4]);
  }
  return std::nullopt;
}

int setup_workstation(const Args& a) {
  if (a.positional.size() != 2)
    throw UsageError(
        "usage: invoicing setup workstation //SERVER/SHARE[/DIR] | MOUNTPOINT [--mount DIR] "
        "[--user NAME]");
  const std::string target = a.positional[1];
  fs::path dir;
  std::string mount;
  auto unc = parse_unc(target);
  if (unc) {
    // On Linux a share is reached through its mount point: named with --mount (kept in the local
    // settings), else the one kept, else found among this machine's SMB mounts.
    mount = a.get("mount");
    if (mount.empty()) mount = local_setting(unc->root(), "mounts");
    if (mount.empty()) mount = mount_point_of(*unc).value_or("");
    if (mount.empty())
      throw store::UserError(
          fmt::format("{} is not mounted on this workstation: mount it (e.g. `mount -t cifs {} "
                      "/mnt/invoicing -o "
                      "username=NAME,uid=$(id -u),gid=$(id -g)`) and run this again, or name its "
                      "mount point with --mount DIR",
                      unc->root(), unc->root()));
    dir = fs::path(mount) / unc->rest;
  } else {
    dir = target;
  }
  dir = fs::absolute(dir).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();  // "/mnt/data/" -> "/mnt/data"
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw store::UserError(fmt::format("{}{} cannot be found: is the share mounted?", dir.string(),
                                       unc ? " (" + target + ")" : ""));
  const auto info = store::Company::inspect(dir);
  if (!info.schema.version)
    throw store::UserError(
        fmt::format("{} is not a company data folder: run `invoicing setup server DIR` on the "
                    "server first",
                    dir.string()));
  auto report = run_doctor(dir, a.get("smb-conf"));
  if (!judge(report, dir))
    refuse(report,
           fmt::format(
               "{} is not fit for working in the shared data (the local settings were not changed)",
               dir.string()));
  set_local_setting("data", dir.string());
  if (unc) {
    set_local_setting("unc", unc->root() + (unc->rest.empty() ? "" : "/" + unc->rest),
                      dir.string());
    set_local_setting(unc->root(), fs::absolute(mount).lexically_normal().string(), "mounts");
  }
  if (a.options.count("user")) set_local_setting("user", a.get("user"), dir.string());
  std::cout << fmt::format("this workstation now works in {} ({}), kept in {}\n", dir.string(),
                           info.company, local_settings_path());
  std::cout << fmt::format(
      "  schema version {}{}; the {} edition, {} seat{}; {}\n", info.schema.version,
      info.schema.version < store::kSchemaVersion ? " (this program upgrades it when it opens it)"
                                                  : "",
      domain::edition_name(info.licence.edition), info.licence.seats,
      info.licence.seats == 1 ? "" : "s", info.licence.message);
  return 0;
}

}  // namespace

int cmd_setup_install(int argc, char** argv) {
  Args a = parse(argc, argv, 2,
                 {"company", "vat", "licence", "share", "samba-include", "smb-conf", "mount"}, {});
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "server") return setup_server(a);
  if (sub == "workstation") return setup_workstation(a);
  throw UsageError(
      "usage: invoicing setup server DIR ... | invoicing setup workstation //SERVER/SHARE[/DIR] "
      "...");
}

}  // namespace invoicing::cli

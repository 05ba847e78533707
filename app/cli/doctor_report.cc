#include "doctor_report.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "store/errors.h"

namespace fs = std::filesystem;

namespace invoicing::cli {

namespace {

std::string quoted(const std::string& s) {
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

}  // namespace

std::string xbase_program() {
  if (const char* e = std::getenv("INVOICING_XBASE"); e && *e) return e;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && fs::exists(self.parent_path() / "xbase"))
    return (self.parent_path() / "xbase").string();
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string d; std::getline(dirs, d, ':');)
    if (!d.empty() && ::access((fs::path(d) / "xbase").c_str(), X_OK) == 0)
      return (fs::path(d) / "xbase").string();
  throw store::UserError(
      "the xbase program (installed with invoicing) was not found beside invoicing or on the PATH; "
      "set "
      "INVOICING_XBASE to it");
}

// `xbase doctor DIR --json`: the lock and coherence tests, mount options, sync-client markers
// and the Samba share's settings. Its progress goes to our stderr.
DoctorReport run_doctor(const fs::path& dir, const std::string& smb_conf, std::ostream& say) {
  std::string cmd = quoted(xbase_program()) + " doctor " + quoted(dir.string()) + " --json";
  if (!smb_conf.empty()) cmd += " --smb-conf " + quoted(smb_conf);
  say << "checking " << dir.string()
            << " with xbase doctor (lock and coherence tests, mount, sync "
            << "clients, Samba)\n"
            << std::flush;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot start xbase doctor");
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int st = ::pclose(p);
  const int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  if (rc != 0 && rc != 1)
    throw store::UserError(fmt::format(
        "xbase doctor could not check {} (exit {}): see its message above", dir.string(), rc));
  DoctorReport r;
  try {
    auto j = nlohmann::json::parse(out);
    r.fs_kind = j.at("filesystem").at("kind").get<std::string>();
    for (const auto& f : j.at("findings"))
      r.findings.push_back({f.at("group").get<std::string>(), f.at("severity").get<std::string>(),
                            f.at("message").get<std::string>(), f.at("fix").get<std::string>()});
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(
        fmt::format("xbase doctor's report did not read ({}): is xbase the one installed "
                    "with this invoicing?",
                    e.what()));
  }
  for (const auto& f : r.findings) {
    r.errors += f.severity == "error";
    r.warnings += f.severity == "warning";
  }
  return r;
}

}  // namespace invoicing::cli

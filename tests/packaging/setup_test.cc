// invoicing setup server|workstation on local folders (the SMB counterparts are in
// setup_smb_test.sh): creating or adopting the data folder after xbase doctor's checks, the
// Samba settings written for the admin, the local settings of a workstation, a UNC name mapped
// to its mount point, refusals inside a cloud-sync folder, and moving to a new PC.

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

// One "machine": its own local settings (XDG_CONFIG_HOME) and the xbase beside invoicing.
RunResult run(const fs::path& machine, const std::vector<std::string>& args) {
  fs::create_directories(machine);
  return run_program(INVOICING_TOOL, args, machine,
                     "XDG_CONFIG_HOME=" + shell_quote((machine / "config").string()) +
                         " INVOICING_XBASE=" + shell_quote(XBASE_TOOL));
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string local_settings(const fs::path& machine) {
  auto p = machine / "config/xbase-invoicing/local.ini";
  return fs::exists(p) ? read_file(p) : "";
}

}  // namespace

TEST_CASE(
    "setup server creates the data folder after the doctor's checks and writes the Samba settings",
    "[app][setup]") {
  TempDir d;
  const fs::path server = d / "server", dir = d / "srv" / "data";
  auto r = run(server, {"setup", "server", dir.string(), "--company", "Bakkerij Peeters", "--share",
                        "boekhouding"});
  INFO(r.out << r.err);
  REQUIRE(r.rc == 0);
  CHECK(has(r.out, "checking " + dir.string() + " with xbase doctor"));
  CHECK(has(r.out, "0 errors"));
  CHECK(has(r.out, "created the data folder " + dir.string()));
  CHECK(fs::exists(dir / "SCHEMA.DBF"));
  const std::string conf = read_file(d / "srv" / "data.smb.conf");
  for (const char* line :
       {"[boekhouding]", "oplocks = no", "level2 oplocks = no", "smb2 leases = no",
        "strict locking = yes", "posix locking = yes", "veto oplock files = /*.dbf/"})
    CHECK(has(conf, line));
  CHECK(has(conf, "path = " + dir.string()));
  CHECK(has(r.out, "invoicing setup workstation //"));
  CHECK(has(r.out, "/boekhouding"));
  CHECK(has(local_settings(server), "data=" + dir.string()));
  // Run again: the folder is adopted, not replaced.
  auto again = run(
      server, {"setup", "server", dir.string(), "--samba-include", (d / "share.conf").string()});
  CHECK(again.rc == 0);
  CHECK(has(again.out, "adopted the data folder"));
  CHECK(fs::exists(d / "share.conf"));
  // A folder holding other files is not taken.
  fs::create_directories(d / "other");
  write_file(d / "other" / "notes.txt", "x");
  auto other = run(server, {"setup", "server", (d / "other").string()});
  CHECK(other.rc == 1);
  CHECK(has(other.err, "holds files but no company data folder"));
}

TEST_CASE(
    "setup server and setup workstation refuse a folder inside a cloud-sync folder, with the "
    "reason",
    "[app][setup]") {
  TempDir d;
  // A Dropbox root above the data folder.
  fs::create_directories(d / "Dropbox");
  write_file(d / "Dropbox" / ".dropbox", "{}");
  const fs::path dir = d / "Dropbox" / "firma" / "data";
  auto r = run(d / "server", {"setup", "server", dir.string()});
  CHECK(r.rc == 1);
  CHECK(has(r.err, "not fit for the shared data"));
  CHECK(has(r.err, "Dropbox manages this folder"));
  CHECK(!fs::exists(dir));  // nothing was created
  CHECK(local_settings(d / "server").empty());

  // A data folder someone put there anyway: a workstation does not start working in it.
  const fs::path elsewhere = d / "plain" / "data";
  REQUIRE(run(d / "server", {"setup", "server", elsewhere.string()}).rc == 0);
  fs::create_directories(dir.parent_path());
  fs::copy(elsewhere, dir, fs::copy_options::recursive);
  auto w = run(d / "pc", {"setup", "workstation", dir.string()});
  CHECK(w.rc == 1);
  CHECK(has(w.err, "Dropbox manages this folder"));
  CHECK(has(w.err, "local settings were not changed"));
  CHECK(local_settings(d / "pc").empty());
}

TEST_CASE(
    "setup workstation keeps the data folder in the local settings, a UNC name through its mount "
    "point",
    "[app][setup]") {
  TempDir d;
  const fs::path mount = d / "mnt" / "invoicing", dir = mount / "firma";
  REQUIRE(
      run(d / "server", {"setup", "server", dir.string(), "--company", "Bakkerij Peeters"}).rc ==
      0);
  const fs::path pc = d / "pc";
  // //SERVER/SHARE is not mounted here and no mount point is known: it says what to do.
  auto unmounted = run(pc, {"setup", "workstation", "//fileserver/invoicing/firma"});
  CHECK(unmounted.rc == 1);
  CHECK(has(unmounted.err, "//fileserver/invoicing is not mounted on this workstation"));
  CHECK(has(unmounted.err, "--mount"));
  // With its mount point named once, the UNC name is mapped and kept.
  auto w = run(pc, {"setup", "workstation", "\\\\fileserver\\invoicing\\firma", "--mount",
                    mount.string(), "--user", "anna"});
  INFO(w.out << w.err);
  REQUIRE(w.rc == 0);
  CHECK(has(w.out, "this workstation now works in " + dir.string() + " (Bakkerij Peeters)"));
  const std::string ini = local_settings(pc);
  CHECK(has(ini, "data=" + dir.string()));
  CHECK(has(ini, "[mounts]\n//fileserver/invoicing=" + mount.string()));
  CHECK(has(ini, "unc=//fileserver/invoicing/firma"));
  CHECK(has(ini, "user=anna"));
  // The program now finds its data without --data.
  auto v = run(pc, {"version"});
  CHECK(has(v.out, "data folder: " + dir.string()));
  CHECK(run(pc, {"customer", "list"}).rc == 0);
  // The mapping is reused.
  CHECK(run(pc, {"setup", "workstation", "//fileserver/invoicing/firma"}).rc == 0);
  // A folder that is not a data folder is refused.
  fs::create_directories(d / "empty");
  auto e = run(pc, {"setup", "workstation", (d / "empty").string()});
  CHECK(e.rc == 1);
  CHECK(has(e.err, "not a company data folder"));
}

TEST_CASE(
    "moving to a new PC: copy the folder and run setup server there, the old workstation is told "
    "where to look",
    "[app][setup]") {
  TempDir d;
  const fs::path old_dir = d / "old-pc" / "data", new_dir = d / "new-pc" / "data";
  REQUIRE(
      run(d / "old", {"setup", "server", old_dir.string(), "--company", "Bakkerij Peeters"}).rc ==
      0);
  REQUIRE(
      run(d / "old", {"customer", "add", "--code", "PEETERS", "--name", "Bakkerij Peeters"}).rc ==
      0);
  fs::create_directories(new_dir.parent_path());
  fs::copy(old_dir, new_dir, fs::copy_options::recursive);
  auto r = run(d / "new", {"setup", "server", new_dir.string()});
  INFO(r.out << r.err);
  REQUIRE(r.rc == 0);
  CHECK(has(r.out, "adopted the data folder " + new_dir.string()));
  auto list = run(d / "new", {"customer", "list", "--json"});
  CHECK(has(list.out, "PEETERS"));
  CHECK(run(d / "new", {"verify"}).rc == 0);
  // The old machine's folder is gone: its program says so and what to run.
  fs::remove_all(old_dir);
  auto gone = run(d / "old", {"customer", "list"});
  CHECK(gone.rc == 1);
  CHECK(has(gone.err, old_dir.string() + " cannot be found"));
  CHECK(has(gone.err, "invoicing setup workstation"));
}

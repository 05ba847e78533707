// `xbase doctor`: its rules on real-looking /proc/self/mountinfo lines and testparm output,
// and the binary on a local folder, with and without the hooks that make its live tests fail.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "test_util.h"
#include "xbase/doctor_checks.h"

using namespace xbase::test;
using namespace xbase::tool::doctor;
namespace fs = std::filesystem;

namespace {

bool has(const std::vector<Finding>& fs, Severity s, const std::string& words) {
  for (const auto& f : fs)
    if (f.severity == s && f.message.find(words) != std::string::npos) return true;
  return false;
}

std::string dump(const std::vector<Finding>& fs) {
  std::string s;
  for (const auto& f : fs) s += std::string(severity_name(f.severity)) + ": " + f.message + "\n";
  return s;
}

MountEntry mount_of(const std::string& line) {
  auto m = parse_mountinfo_line(line);
  REQUIRE(m);
  return *m;
}

std::vector<Finding> judge(const std::string& line, uint64_t magic) {
  auto m = mount_of(line);
  return check_mount(classify_fs(magic, m.fstype), magic, m);
}

const char* kExt4 = "29 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro";
const char* kCifsNobrl =
    "512 29 0:52 / /mnt/data rw,relatime shared:280 - cifs //10.0.2.100/data "
    "rw,vers=3.0,cache=strict,username=smblab,uid=0,noforceuid,gid=0,noforcegid,addr=10.0.2.100,"
    "file_mode=0755,dir_mode=0755,soft,nounix,serverino,mapposix,nobrl,rsize=4194304,"
    "wsize=4194304,bsize=1048576,echo_interval=60,actimeo=1,closetimeo=1";
const char* kCifsGood =
    "512 29 0:52 / /mnt/data rw,relatime shared:280 - cifs //10.0.2.100/data "
    "rw,vers=3.0,cache=strict,username=smblab,uid=0,noforceuid,gid=0,noforcegid,addr=10.0.2.100,"
    "file_mode=0755,dir_mode=0755,soft,nounix,serverino,mapposix,rsize=4194304,wsize=4194304,"
    "bsize=1048576,echo_interval=60,actimeo=1,closetimeo=1";
const char* kSmb3Loose =
    "77 25 0:48 /invoices /srv/office\\040data rw,nosuid,nodev,relatime shared:41 - smb3 "
    "//fs01/office rw,vers=3.1.1,cache=loose,username=anna,domain=OFFICE,uid=1000,forceuid,"
    "gid=1000,forcegid,addr=192.168.1.5,file_mode=0644,dir_mode=0755,hard,nounix,serverino,"
    "mapposix,rsize=4194304,wsize=4194304,bsize=1048576,echo_interval=60,actimeo=1";
const char* kNfs3Nolock =
    "89 29 0:45 / /srv/nfs rw,relatime shared:50 - nfs 192.168.1.10:/export/data "
    "rw,vers=3,rsize=1048576,wsize=1048576,namlen=255,hard,nolock,proto=tcp,timeo=600,retrans=2,"
    "sec=sys,mountaddr=192.168.1.10,mountvers=3,mountport=20048,mountproto=udp,local_lock=all,"
    "addr=192.168.1.10";
const char* kNfs4Posix =
    "90 29 0:46 / /data rw,relatime shared:51 - nfs4 fs:/data "
    "rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,soft,proto=tcp,timeo=600,retrans=2,"
    "sec=sys,clientaddr=192.168.1.20,local_lock=posix,addr=192.168.1.10";
const char* kNfs4Good =
    "90 29 0:46 / /data rw,relatime shared:51 - nfs4 fs:/data "
    "rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,"
    "sec=sys,clientaddr=192.168.1.20,local_lock=none,addr=192.168.1.10";
const char* kSshfs =
    "120 29 0:60 / /home/u/remote rw,nosuid,nodev,relatime shared:70 - fuse.sshfs "
    "u@host:/data rw,user_id=1000,group_id=1000";
const char* kMergerfs =
    "121 29 0:61 / /pool rw,relatime shared:71 - fuse.mergerfs pool rw,user_id=0,group_id=0,"
    "default_permissions,allow_other";

}  // namespace

TEST_CASE("mountinfo lines are parsed, escapes and optional fields included", "[tools][doctor]") {
  auto m = mount_of(kSmb3Loose);
  CHECK(m.mount_point == "/srv/office data");
  CHECK(m.root == "/invoices");
  CHECK(m.fstype == "smb3");
  CHECK(m.source == "//fs01/office");
  CHECK(m.mount_options == "rw,nosuid,nodev,relatime");
  CHECK(parse_options(m.super_options)["cache"] == "loose");
  // No optional fields at all, and a line without the separator.
  auto e = mount_of("30 1 8:3 / /home rw - xfs /dev/sda3 rw,attr2,inode64");
  CHECK(e.fstype == "xfs");
  CHECK(e.super_options == "rw,attr2,inode64");
  CHECK_FALSE(parse_mountinfo_line("30 1 8:3 / /home rw xfs /dev/sda3 rw"));
  CHECK_FALSE(parse_mountinfo_line(""));
}

TEST_CASE("the mount holding a folder is the longest mount point above it", "[tools][doctor]") {
  std::string info = std::string(kExt4) + "\n" + kCifsNobrl + "\n" +
                     "600 29 8:5 / /mnt/database rw - ext4 /dev/sdb1 rw\n" + kSmb3Loose + "\n";
  CHECK(find_mount(info, "/mnt/data/invoices")->fstype == "cifs");
  CHECK(find_mount(info, "/mnt/data")->fstype == "cifs");
  CHECK(find_mount(info, "/mnt/database")->source == "/dev/sdb1");  // not /mnt/data's
  CHECK(find_mount(info, "/mnt/dat")->mount_point == "/");
  CHECK(find_mount(info, "/srv/office data/2024")->fstype == "smb3");
  // Mounted twice on the same point: the later one is on top.
  std::string twice = info + "700 512 0:70 / /mnt/data rw - tmpfs tmpfs rw\n";
  CHECK(find_mount(twice, "/mnt/data/x")->fstype == "tmpfs");
}

TEST_CASE("file system kinds come from the statfs magic, with the type name as fallback",
          "[tools][doctor]") {
  CHECK(classify_fs(0xEF53, "ext4") == FsKind::local);
  CHECK(classify_fs(0x01021994, "tmpfs") == FsKind::local);
  CHECK(classify_fs(0xFF534D42, "cifs") == FsKind::smb);
  CHECK(classify_fs(0xFE534D42, "smb3") == FsKind::smb);
  CHECK(classify_fs(0x6969, "nfs4") == FsKind::nfs);
  CHECK(classify_fs(0x65735546, "fuse.sshfs") == FsKind::fuse);
  CHECK(classify_fs(0, "cifs") == FsKind::smb);
  CHECK(classify_fs(0, "fuseblk") == FsKind::fuse);
  CHECK(classify_fs(0x12345678, "weirdfs") == FsKind::unknown);
  CHECK(magic_name(0xFE534D42) == "smb2");
}

TEST_CASE("mount options that break xBase locking are flagged", "[tools][doctor]") {
  SECTION("local ext4 passes") {
    auto f = judge(kExt4, 0xEF53);
    INFO(dump(f));
    CHECK(worst(f) == Severity::ok);
    CHECK(has(f, Severity::ok, "local file system ext4"));
  }
  SECTION("cifs with nobrl") {
    auto f = judge(kCifsNobrl, 0xFE534D42);
    INFO(dump(f));
    CHECK(has(f, Severity::ok, "SMB/CIFS mount //10.0.2.100/data"));
    CHECK(has(f, Severity::error, "nobrl"));
    CHECK(worst(f) == Severity::error);
  }
  SECTION("cifs with the defaults passes (soft is cifs's default, not flagged)") {
    auto f = judge(kCifsGood, 0xFE534D42);
    INFO(dump(f));
    CHECK(worst(f) == Severity::ok);
  }
  SECTION("smb3 with cache=loose") {
    auto f = judge(kSmb3Loose, 0xFE534D42);
    INFO(dump(f));
    CHECK(has(f, Severity::error, "cache=loose"));
  }
  SECTION("cifs cache=none is only a note") {
    std::string l = kCifsGood;
    l.replace(l.find("cache=strict"), 12, "cache=none");
    auto f = judge(l, 0xFF534D42);
    CHECK(worst(f) == Severity::info);
  }
  SECTION("NFSv3 with nolock and local_lock=all") {
    auto f = judge(kNfs3Nolock, 0x6969);
    INFO(dump(f));
    CHECK(has(f, Severity::error, "nolock"));
    CHECK(has(f, Severity::error, "local_lock=all"));
  }
  SECTION("NFSv4 with local_lock=posix and soft") {
    auto f = judge(kNfs4Posix, 0x6969);
    INFO(dump(f));
    CHECK(has(f, Severity::error, "local_lock=posix"));
    CHECK(has(f, Severity::warning, "soft mount"));
  }
  SECTION("NFSv4 hard with local_lock=none passes") {
    auto f = judge(kNfs4Good, 0x6969);
    INFO(dump(f));
    CHECK(worst(f) == Severity::ok);
  }
  SECTION("sshfs does not forward locks; other FUSE file systems are a warning") {
    auto s = judge(kSshfs, 0x65735546);
    INFO(dump(s));
    CHECK(has(s, Severity::error, "fuse.sshfs"));
    auto m = judge(kMergerfs, 0x65735546);
    INFO(dump(m));
    CHECK(worst(m) == Severity::warning);
    CHECK(has(m, Severity::warning, "depend on the implementation"));
  }
  SECTION("a read-only mount") {
    auto f = judge("31 1 8:4 / /ro ro,relatime - ext4 /dev/sda4 ro", 0xEF53);
    CHECK(has(f, Severity::error, "read-only"));
  }
  SECTION("without mountinfo the magic still names the file system") {
    auto f = check_mount(FsKind::smb, 0xFE534D42, std::nullopt);
    CHECK(has(f, Severity::ok, "SMB/CIFS"));
  }
}

namespace {

// Trimmed `testparm -s -v` output of Samba 4.17 for the lab's server started with Samba's
// defaults (every parameter in [global], the share's own below).
const char* kTestparmDefaults = R"(# Global parameters
[global]
	bind interfaces only = Yes
	deadtime = 0
	disable netbios = Yes
	keepalive = 30
	smb2 leases = Yes
	smb ports = 44700
	socket options = TCP_NODELAY
	fake oplocks = No
	kernel oplocks = No
	level2 oplocks = Yes
	locking = Yes
	oplocks = Yes
	posix locking = Yes
	read only = Yes
	strict locking = Auto
	veto oplock files = 


[data]
	create mask = 0664
	directory mask = 0775
	force user = smblab
	guest ok = Yes
	path = /tmp/xbase-doctor-smb.x1/share
	read only = No
)";

// `testparm -s` (not verbose: only what differs from the defaults) for the settings the lab's
// README recommends.
const char* kTestparmRecommended = R"(# Global parameters
[global]
	deadtime = 0
	keepalive = 30
	smb2 leases = No
	smb ports = 44701
	socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 TCP_KEEPINTVL=2 TCP_KEEPCNT=3
	idmap config * : backend = tdb


[data]
	create mask = 0664
	force user = smblab
	guest ok = Yes
	level2 oplocks = No
	oplocks = No
	path = /srv/xbase
	read only = No
	strict locking = Yes
	veto oplock files = /*.dbf/*.DBF/*.cdx/*.CDX/*.fpt/*.FPT/*.idx/*.IDX/*.ntx/*.NTX/*.dbt/*.DBT/
)";

}  // namespace

TEST_CASE("smb.conf and testparm output are parsed into sections", "[tools][doctor]") {
  auto c = parse_smb_conf(kTestparmDefaults);
  REQUIRE(c.sections.size() == 2);
  CHECK(c.sections[0].name == "global");
  CHECK(c.global_param("veto oplock files", "x").empty());
  const auto* data = c.section("DATA");
  REQUIRE(data);
  CHECK(c.share_param(*data, "read only", "yes") == "No");  // the share's own
  CHECK(c.share_param(*data, "oplocks", "no") == "Yes");    // from [global]
  CHECK(c.share_param(*data, "strict locking", "none") == "Auto");
  CHECK(c.share_param(*data, "nonexistent", "dflt") == "dflt");
  // A hand-written file: comments, odd spacing and case, a continued line, params before a
  // section header, a repeated [global].
  auto h = parse_smb_conf(
      "workgroup = X\n; comment\n[Data]\n  Level2   Oplocks=no\n  path = /a/\\\n  b\n# c\n"
      "[global]\n  smb2 leases = no\n");
  REQUIRE(h.section("global"));
  CHECK(h.section("global")->params.at("workgroup") == "X");
  CHECK(h.section("global")->params.at("smb2 leases") == "no");
  CHECK(h.section("data")->params.at("level2 oplocks") == "no");
  CHECK(h.section("data")->params.at("path") == "/a/  b");
  CHECK(h.sections.front().name == "global");
  CHECK(smb_bool("True", false));
  CHECK_FALSE(smb_bool("off", true));
  CHECK(smb_bool("Auto", true));
}

TEST_CASE("the share exporting a folder is found by path", "[tools][doctor]") {
  auto c = parse_smb_conf(
      "[global]\n[homes]\npath = /home\n[all]\npath = /srv\n[data]\npath = /srv/xbase/\n"
      "[user]\npath = /srv/%U\n");
  CHECK(share_for(c, "/srv/xbase")->name == "data");
  CHECK(share_for(c, "/srv/xbase/2024")->name == "data");
  CHECK(share_for(c, "/srv/xbase2")->name == "all");
  CHECK(share_for(c, "/home/anna") == nullptr);  // [homes] is per user
  CHECK(share_for(c, "/var") == nullptr);
}

TEST_CASE("veto oplock files must cover every data file extension", "[tools][doctor]") {
  CHECK(veto_covers_data_files("/*.dbf/*.DBF/*.cdx/*.CDX/*.fpt/*.FPT/*.dbt/*.DBT/"));
  CHECK(veto_covers_data_files("/*.dbf/*.cdx/*.fpt/*.dbt/"));  // compared without case
  CHECK(veto_covers_data_files("/*/"));
  CHECK_FALSE(veto_covers_data_files("/*.dbf/*.DBF/"));
  CHECK_FALSE(veto_covers_data_files(""));
}

TEST_CASE("share settings: oplocks and leases on are flagged, the recommended ones pass",
          "[tools][doctor]") {
  KernelKeepalive kernel;  // Linux defaults: 7200 s, 75 s x 9
  SECTION("Samba defaults") {
    auto c = parse_smb_conf(kTestparmDefaults);
    auto f = check_share(c, *c.section("data"), "smb.conf", kernel);
    INFO(dump(f));
    CHECK(has(f, Severity::error, "oplocks = yes"));
    CHECK(has(f, Severity::warning, "level2 oplocks = yes"));
    CHECK(has(f, Severity::error, "smb2 leases = yes"));
    CHECK(has(f, Severity::info, "strict locking = Auto"));
    // smbd sets SO_KEEPALIVE itself, but the kernel waits two hours before the first probe.
    CHECK(has(f, Severity::warning, "about 131 min"));
    CHECK(worst(f) == Severity::error);
    CHECK(has(f, Severity::info,
              "recommended for a share holding xBase data: [global] smb2 leases = no; socket "
              "options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 TCP_KEEPINTVL=2 TCP_KEEPCNT=3; "
              "[data] oplocks = no; level2 oplocks = no"));
  }
  SECTION("the settings of ../shared/smb-lab/README.md") {
    auto c = parse_smb_conf(kTestparmRecommended);
    auto f = check_share(c, *c.section("data"), "smb.conf", kernel);
    INFO(dump(f));
    CHECK(worst(f) <= Severity::info);
    CHECK(has(f, Severity::ok, "oplocks = no"));
    CHECK(has(f, Severity::ok, "strict locking = yes"));
    CHECK(has(f, Severity::ok, "after about 11 s"));
    CHECK_FALSE(has(f, Severity::info, "recommended for a share"));
  }
  SECTION("oplocks on but data files vetoed, and the kernel keepalive made short") {
    std::string t = kTestparmDefaults;
    t += "\tveto oplock files = /*.dbf/*.cdx/*.fpt/*.dbt/\n";
    auto c = parse_smb_conf(t);
    auto f = check_share(c, *c.section("data"), "smb.conf", {60, 10, 3});
    INFO(dump(f));
    CHECK(has(f, Severity::ok, "veto oplock files"));
    CHECK(worst(f) <= Severity::info);
  }
  SECTION("posix locking = no, locking = no, keepalive turned off, read only") {
    std::string t = kTestparmRecommended;
    t += "\tposix locking = no\n\tlocking = False\n\tread only = yes\n";
    auto c = parse_smb_conf(t);
    c.sections[0].params["socket options"] = "TCP_NODELAY SO_KEEPALIVE=0";
    auto f = check_share(c, *c.section("data"), "smb.conf", kernel);
    INFO(dump(f));
    CHECK(has(f, Severity::error, "posix locking = no"));
    CHECK(has(f, Severity::error, "locking = no"));
    CHECK(has(f, Severity::warning, "SO_KEEPALIVE off"));
    CHECK(has(f, Severity::warning, "read only"));
  }
  SECTION("kernel oplocks and fake oplocks") {
    std::string t = kTestparmDefaults;
    t += "\tkernel oplocks = yes\n\tfake oplocks = yes\n";
    auto c = parse_smb_conf(t);
    auto f = check_share(c, *c.section("data"), "smb.conf", kernel);
    INFO(dump(f));
    CHECK(has(f, Severity::warning, "kernel oplocks = yes"));
    CHECK(has(f, Severity::error, "fake oplocks = yes"));
    CHECK_FALSE(has(f, Severity::error, "smb2 leases"));  // no leases with kernel oplocks
  }
}

TEST_CASE("free space below 1 GiB or 5 % is a warning, below 100 MiB an error", "[tools][doctor]") {
  const uint64_t G = uint64_t(1) << 30;
  CHECK(check_space(50 * G, 100 * G).severity == Severity::ok);
  CHECK(check_space(G / 2, 100 * G).severity == Severity::warning);
  CHECK(check_space(4 * G, 100 * G).severity == Severity::warning);  // 4 %
  CHECK(check_space(G / 20, 100 * G).severity == Severity::error);
  CHECK(human_bytes(3 * G / 2) == "1.5 GiB");
}

// ---- the binary ------------------------------------------------------------------------------

namespace {

RunResult run_doctor(const TempDir& out_dir, const std::vector<std::string>& args,
                     const std::string& env = "") {
  std::vector<std::string> all = {"doctor"};
  all.insert(all.end(), args.begin(), args.end());
  return run_program(XBASE_TOOL, all, out_dir.path(), env);
}

}  // namespace

TEST_CASE("doctor on a local folder passes", "[tools][doctor]") {
  TempDir logs, d;
  write_file(d / "T.DBF", "not really a table");
  auto r = run_doctor(logs, {d.path().string()});
  INFO(r.out << r.err);
  CHECK(r.rc == 0);
  CHECK(r.out.find("local file system") != std::string::npos);
  CHECK(r.out.find("an exclusive lock is seen and refused") != std::string::npos);
  CHECK(r.out.find("read each other's writes") != std::string::npos);
  CHECK(r.out.find("all 1 data files") != std::string::npos);
  CHECK(r.out.find("no problems found") != std::string::npos);
  CHECK(r.err.empty());  // no progress when stderr is not a terminal
  // The test file is gone again.
  int left = 0;
  for (const auto& e : fs::directory_iterator(d.path())) left += e.path().filename() != "T.DBF";
  CHECK(left == 0);

  auto j = run_doctor(logs, {d.path().string(), "--json"});
  INFO(j.out);
  CHECK(j.rc == 0);
  CHECK(j.out.find("\"kind\": \"local\"") != std::string::npos);
  CHECK(j.out.find("\"safe\": true") != std::string::npos);
  CHECK(j.out.find("\"group\": \"locking\", \"severity\": \"ok\"") != std::string::npos);
}

TEST_CASE("doctor reports a file system that ignores locks (test hook)", "[tools][doctor]") {
  TempDir logs, d;
  auto r = run_doctor(logs, {d.path().string()}, "XBASE_DOCTOR_FAKE_LOCKS=ignored");
  INFO(r.out << r.err);
  CHECK(r.rc == 1);
  CHECK(r.out.find("ERROR   lock test: our exclusive lock is not visible to another process") !=
        std::string::npos);
  CHECK(r.out.find("another process was granted an exclusive lock on a byte we hold exclusively") !=
        std::string::npos);
  CHECK(r.out.find("NOT safe") != std::string::npos);
  auto j = run_doctor(logs, {d.path().string(), "--json"}, "XBASE_DOCTOR_FAKE_LOCKS=ignored");
  CHECK(j.rc == 1);
  CHECK(j.out.find("\"group\": \"locking\", \"severity\": \"error\"") != std::string::npos);
  CHECK(j.out.find("\"safe\": false") != std::string::npos);
}

TEST_CASE("doctor reports stale reads (test hook)", "[tools][doctor]") {
  TempDir logs, d;
  auto r = run_doctor(logs, {d.path().string()}, "XBASE_DOCTOR_FAKE_COHERENCE=stale");
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK(r.out.find("another process did not read the bytes we had just written") !=
        std::string::npos);
}

TEST_CASE("doctor: unwritable tables, conflict copies, bad usage", "[tools][doctor]") {
  TempDir logs, d;
  SECTION("a missing folder or no folder at all cannot be checked") {
    CHECK(run_doctor(logs, {(d / "missing").string()}).rc == 2);
    CHECK(run_doctor(logs, {}).rc == 2);
    CHECK(run_doctor(logs, {d.path().string(), "--bogus"}).rc == 2);
    write_file(d / "file", "x");
    CHECK(run_doctor(logs, {(d / "file").string()}).rc == 2);
  }
  SECTION("a Syncthing conflict copy beside its table") {
    write_file(d / "customers.dbf", "x");
    write_file(d / "customers.sync-conflict-20240502-101500-ABCDEF1.dbf", "x");
    auto r = run_doctor(logs, {d.path().string()});
    INFO(r.out);
    CHECK(r.rc == 1);
    CHECK(r.out.find("Syncthing conflict copy of customers.dbf") != std::string::npos);
  }
  SECTION("a table nobody may write (checked as a user other than root)") {
    write_file(d / "ro.dbf", "x");
    fs::permissions(d / "ro.dbf",
                    fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    auto r = run_doctor(logs, {d.path().string()});
    INFO(r.out);
    if (::geteuid() == 0) {
      CHECK(r.rc == 0);  // root may write anyway
    } else {
      CHECK(r.rc == 1);
      CHECK(r.out.find("1 of 1 data files cannot be opened for writing: ro.dbf") !=
            std::string::npos);
    }
  }
}

// The judging half of `xbase doctor`: pure functions that turn what the system says (a line of
// /proc/self/mountinfo, a statfs magic, the output of `testparm -s -v`) into findings with a
// severity and a one-line fix. No I/O here, so that every rule is unit-tested with real-looking
// input (tests/tools/doctor_test.cc); cmd_doctor.cc gathers the facts and runs the live tests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xbase::tool::doctor {

enum class Severity { ok, info, warning, error };
const char* severity_name(Severity s);

struct Finding {
  std::string group;  // "filesystem", "locking", "coherence", "space", "permissions",
                      // "sync clients", "samba"
  Severity severity = Severity::ok;
  std::string message;  // one line: what was found
  std::string fix;      // one line: what to do ("" for ok/info findings that need nothing)
};

// The worst severity among the findings (ok when there are none).
Severity worst(const std::vector<Finding>& f);

// ---- mounts ----------------------------------------------------------------------------------

struct MountEntry {
  std::string mount_point;    // unescaped (\040 -> space)
  std::string root;           // the mount's root inside its file system
  std::string fstype;         // "ext4", "cifs", "smb3", "nfs4", "fuse.sshfs", ...
  std::string source;         // "//server/share", "server:/export", "/dev/sda1"
  std::string mount_options;  // per-mount: "rw,relatime"
  std::string super_options;  // per-superblock: cifs's "vers=3.0,cache=strict,nobrl,..."
};

// One line of /proc/self/mountinfo; nothing when the line is malformed.
std::optional<MountEntry> parse_mountinfo_line(std::string_view line);

// The mount holding `path` (absolute, canonical): the longest mount point that is `path` or one
// of its parents; among equal ones the last listed (mounted on top).
std::optional<MountEntry> find_mount(std::string_view mountinfo, const std::string& path);

// "a,b=1,c" -> {a:"", b:"1", c:""}; later duplicates win.
std::map<std::string, std::string> parse_options(std::string_view opts);

enum class FsKind { local, smb, nfs, fuse, network_other, unknown };
const char* fs_kind_name(FsKind k);

// From statfs's f_type, with the mount's type name as fallback (and to tell FUSE file systems
// apart: fuse.sshfs, fuseblk, ...).
FsKind classify_fs(uint64_t magic, const std::string& fstype);
// "ext4", "cifs/SMB", "nfs", ... for a statfs magic; "" when not known.
std::string magic_name(uint64_t magic);

// Findings about the file system type and its mount options (`m` may be absent when
// /proc/self/mountinfo could not be read).
std::vector<Finding> check_mount(FsKind kind, uint64_t magic, const std::optional<MountEntry>& m);

// ---- Samba -----------------------------------------------------------------------------------

struct SmbSection {
  std::string name;                           // "global", "data", ...
  std::map<std::string, std::string> params;  // lower-case names, values as written
};

struct SmbConf {
  std::vector<SmbSection> sections;  // [global] first when present
  const SmbSection* section(const std::string& name) const;
  // A share parameter as Samba resolves it: the share's own value, else [global]'s (service
  // parameters set there are the defaults of every share), else `def`.
  std::string share_param(const SmbSection& share, const std::string& name,
                          const std::string& def) const;
  std::string global_param(const std::string& name, const std::string& def) const;
};

// Parses smb.conf text or `testparm -s [-v]` output (comments, continuation lines, `key = value`
// with any spacing). Parameter names are lower-cased and their inner spaces collapsed.
SmbConf parse_smb_conf(std::string_view text);

// Samba's boolean spellings: yes/no, true/false, 1/0, on/off. `def` for anything else.
bool smb_bool(const std::string& v, bool def);

// The share whose `path` is `dir` or one of its parents (both canonical); nothing when none.
// Paths with substitutions (%U, %S, ...) are skipped.
const SmbSection* share_for(const SmbConf& c, const std::string& dir);

// Whether Samba's `veto oplock files` list (/pat/pat/...) covers data files of every xBase
// extension (.dbf .cdx .fpt .dbt), in either case.
bool veto_covers_data_files(const std::string& veto);

// The server kernel's TCP keepalive settings (net.ipv4.tcp_keepalive_time/_intvl/_probes):
// smbd always turns SO_KEEPALIVE on for its connections, and these apply unless `socket
// options` sets TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT.
struct KernelKeepalive {
  int idle_s = 7200;
  int interval_s = 75;
  int probes = 9;
};

// Findings about the share's settings; `conf_name` names the configuration in messages.
std::vector<Finding> check_share(const SmbConf& c, const SmbSection& share,
                                 const std::string& conf_name, const KernelKeepalive& kernel);

// The recommended settings of ../shared/smb-lab/README.md, as fix text.
extern const char* const kRecommendedGlobal;
extern const char* const kRecommendedShare;

// ---- space -----------------------------------------------------------------------------------

Finding check_space(uint64_t avail_bytes, uint64_t total_bytes);

// "1.5 GiB", "512 MiB", ...
std::string human_bytes(uint64_t n);

}  // namespace xbase::tool::doctor

// The rules of `xbase doctor` (see doctor_checks.h): pure functions, no I/O.
#include "doctor_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace xbase::tool::doctor {

const char* const kRecommendedGlobal =
    "[global] smb2 leases = no; socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 "
    "TCP_KEEPINTVL=2 TCP_KEEPCNT=3";
const char* const kRecommendedShare =
    "[share] oplocks = no; level2 oplocks = no; kernel oplocks = no; strict locking = yes; "
    "posix locking = yes; veto oplock files = "
    "/*.dbf/*.DBF/*.cdx/*.CDX/*.fpt/*.FPT/*.dbt/*.DBT/*.idx/*.IDX/*.ntx/*.NTX/";

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::ok:
      return "ok";
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "?";
}

Severity worst(const std::vector<Finding>& f) {
  Severity w = Severity::ok;
  for (const auto& x : f) w = std::max(w, x.severity);
  return w;
}

namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(std::string_view s) {
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 3]))) {
      r += char((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      r += s[i];
    }
  }
  return r;
}

// Whether `dir` is `base` or below it (both absolute, without trailing slashes but "/").
bool is_within(const std::string& dir, const std::string& base) {
  if (base == "/") return !dir.empty() && dir[0] == '/';
  if (dir.size() < base.size() || dir.compare(0, base.size(), base) != 0) return false;
  return dir.size() == base.size() || dir[base.size()] == '/';
}

std::string strip_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

}  // namespace

// ---- mounts ----------------------------------------------------------------------------------

std::optional<MountEntry> parse_mountinfo_line(std::string_view line) {
  // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
  auto f = split_ws(trim(line));
  size_t dash = 0;
  for (size_t i = 6; i < f.size(); ++i)
    if (f[i] == "-") {
      dash = i;
      break;
    }
  if (dash == 0 || f.size() < dash + 3) return std::nullopt;
  MountEntry m;
  m.root = unescape(f[3]);
  m.mount_point = unescape(f[4]);
  m.mount_options = std::string(f[5]);
  m.fstype = std::string(f[dash + 1]);
  m.source = unescape(f[dash + 2]);
  if (f.size() > dash + 3) m.super_options = std::string(f[dash + 3]);
  if (m.mount_point.empty() || m.mount_point[0] != '/') return std::nullopt;
  return m;
}

std::optional<MountEntry> find_mount(std::string_view mountinfo, const std::string& path) {
  std::optional<MountEntry> best;
  size_t pos = 0;
  while (pos < mountinfo.size()) {
    size_t end = mountinfo.find('\n', pos);
    if (end == std::string_view::npos) end = mountinfo.size();
    auto m = parse_mountinfo_line(mountinfo.substr(pos, end - pos));
    pos = end + 1;
    if (!m || !is_within(path, strip_slashes(m->mount_point))) continue;
    if (!best || m->mount_point.size() >= best->mount_point.size()) best = std::move(m);
  }
  return best;
}

std::map<std::string, std::string> parse_options(std::string_view opts) {
  std::map<std::string, std::string> r;
  size_t i = 0;
  while (i <= opts.size()) {
    size_t j = opts.find(',', i);
    if (j == std::string_view::npos) j = opts.size();
    auto item = opts.substr(i, j - i);
    if (!item.empty()) {
      auto eq = item.find('=');
      if (eq == std::string_view::npos)
        r[std::string(item)] = "";
      else
        r[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
    }
    i = j + 1;
  }
  return r;
}

const char* fs_kind_name(FsKind k) {
  switch (k) {
    case FsKind::local:
      return "local";
    case FsKind::smb:
      return "SMB/CIFS";
    case FsKind::nfs:
      return "NFS";
    case FsKind::fuse:
      return "FUSE";
    case FsKind::network_other:
      return "network";
    case FsKind::unknown:
      return "unknown";
  }
  return "?";
}

namespace {

struct Magic {
  uint64_t magic;
  const char* name;
  FsKind kind;
};

const Magic kMagics[] = {
    {0xEF53, "ext2/3/4", FsKind::local},
    {0x58465342, "xfs", FsKind::local},
    {0x9123683E, "btrfs", FsKind::local},
    {0x01021994, "tmpfs", FsKind::local},
    {0x858458F6, "ramfs", FsKind::local},
    {0x794C7630, "overlayfs", FsKind::local},
    {0x2FC12FC1, "zfs", FsKind::local},
    {0xF2F52010, "f2fs", FsKind::local},
    {0x4D44, "vfat", FsKind::local},
    {0x2011BAB0, "exfat", FsKind::local},
    {0x5346544E, "ntfs", FsKind::local},
    {0x7366746E, "ntfs3", FsKind::local},
    {0x3153464A, "jfs", FsKind::local},
    {0x52654973, "reiserfs", FsKind::local},
    {0xCA451A4E, "bcachefs", FsKind::local},
    {0xF15F, "ecryptfs", FsKind::local},
    {0xFF534D42, "cifs", FsKind::smb},
    {0xFE534D42, "smb2", FsKind::smb},
    {0x517B, "smbfs", FsKind::smb},
    {0x6969, "nfs", FsKind::nfs},
    {0x65735546, "fuse", FsKind::fuse},
    {0x01021997, "9p", FsKind::network_other},
    {0x00C36400, "ceph", FsKind::network_other},
    {0x5346414F, "afs", FsKind::network_other},
    {0x786F4256, "vboxsf", FsKind::network_other},
    {0x01161970, "gfs2", FsKind::network_other},
    {0x7461636F, "ocfs2", FsKind::network_other},
};

}  // namespace

std::string magic_name(uint64_t magic) {
  for (const auto& m : kMagics)
    if (m.magic == magic) return m.name;
  return "";
}

FsKind classify_fs(uint64_t magic, const std::string& fstype) {
  for (const auto& m : kMagics)
    if (m.magic == magic) return m.kind;
  std::string t = lower(fstype);
  if (t == "cifs" || t == "smb3" || t == "smbfs") return FsKind::smb;
  if (t == "nfs" || t == "nfs4") return FsKind::nfs;
  if (t.rfind("fuse", 0) == 0) return FsKind::fuse;
  if (t == "9p" || t == "ceph" || t == "afs" || t == "vboxsf" || t == "glusterfs")
    return FsKind::network_other;
  for (const char* l : {"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs", "vfat",
                        "exfat", "ntfs", "ntfs3", "jfs", "overlay", "bcachefs"})
    if (t == l) return FsKind::local;
  return FsKind::unknown;
}

std::vector<Finding> check_mount(FsKind kind, uint64_t magic, const std::optional<MountEntry>& m) {
  std::vector<Finding> out;
  const std::string g = "filesystem";
  std::string type = m ? m->fstype : magic_name(magic);
  if (type.empty()) type = fmt::format("magic 0x{:X}", magic);
  std::string where = m ? fmt::format("{} on {}", m->source, m->mount_point) : "mount unknown";
  auto opts = m ? parse_options(m->super_options) : std::map<std::string, std::string>{};
  // Per-mount options (rw/ro, ...) count too.
  if (m)
    for (auto& [k, v] : parse_options(m->mount_options)) opts.emplace(k, v);
  if (opts.count("ro"))
    out.push_back({g, Severity::error, fmt::format("{} is mounted read-only ({})", type, where),
                   "remount read-write"});

  switch (kind) {
    case FsKind::local:
      out.push_back({g, Severity::ok,
                     fmt::format("local file system {} ({}): locks and caches are this "
                                 "machine's own; workstations reach it through a file server",
                                 type, where),
                     ""});
      break;
    case FsKind::smb: {
      std::string vers = opts.count("vers") ? ", vers=" + opts["vers"] : "";
      out.push_back(
          {g, Severity::ok, fmt::format("SMB/CIFS mount {} ({}{})", where, type, vers), ""});
      if (opts.count("nobrl"))
        out.push_back({g, Severity::error,
                       "mounted with nobrl: byte-range locks are kept on this machine and never "
                       "sent to the server, so other workstations do not see our record locks",
                       "remount without nobrl (mount -t cifs //server/share DIR -o "
                       "...,cache=strict; drop nobrl)"});
      std::string cache = opts.count("cache") ? opts["cache"] : "strict";
      if (opts.count("forcedirectio") || opts.count("directio")) cache = "none";
      if (cache == "loose")
        out.push_back({g, Severity::error,
                       "mounted with cache=loose: reads and writes are cached without regard to "
                       "other clients, so changes of other workstations are missed and ours are "
                       "written late",
                       "remount with cache=strict (the default) or cache=none"});
      else if (cache == "singleclient")
        out.push_back({g, Severity::error,
                       "mounted with cache=singleclient: the client assumes no other workstation "
                       "uses the share",
                       "remount with cache=strict (the default) or cache=none"});
      else if (cache == "ro")
        out.push_back({g, Severity::error,
                       "mounted with cache=ro: the client assumes the share never changes",
                       "remount with cache=strict (the default) or cache=none"});
      else if (cache == "none")
        out.push_back({g, Severity::info, "cache=none: no client caching (coherent, slower)", ""});
      else if (cache != "strict")
        out.push_back({g, Severity::warning, fmt::format("unknown cache mode cache={}", cache),
                       "remount with cache=strict (the default)"});
      if (opts.count("nostrictsync"))
        out.push_back({g, Severity::warning,
                       "mounted with nostrictsync: fsync does not flush writes to the server, so "
                       "a commit is not durable when this machine dies",
                       "remount without nostrictsync"});
      if (opts.count("vers") && (opts["vers"] == "1.0" || opts["vers"] == "1"))
        out.push_back({g, Severity::warning,
                       "SMB1 (vers=1.0): deprecated and insecure; its lock semantics differ from "
                       "what Windows workstations use",
                       "mount with vers=3.0 or later"});
      break;
    }
    case FsKind::nfs: {
      out.push_back({g, Severity::ok, fmt::format("NFS mount {} ({})", where, type), ""});
      if (opts.count("nolock"))
        out.push_back({g, Severity::error,
                       "mounted with nolock: locks are kept on this machine only, other clients "
                       "never see them",
                       "remount without nolock (and run rpc.statd/lockd for NFSv3)"});
      std::string ll = opts.count("local_lock") ? opts["local_lock"] : "none";
      if (ll == "all" || ll == "posix")
        out.push_back({g, Severity::error,
                       fmt::format("mounted with local_lock={}: fcntl byte-range locks are kept "
                                   "on this machine only",
                                   ll),
                       "remount with local_lock=none (the default)"});
      if (opts.count("soft") || opts.count("softerr"))
        out.push_back({g, Severity::warning,
                       "soft mount: when the server is slow, I/O fails with EIO and writes can be "
                       "lost half-way",
                       "remount with hard"});
      break;
    }
    case FsKind::fuse: {
      std::string t = lower(type);
      bool known_bad = false;
      for (const char* b : {"fuse.sshfs", "fuse.smbnetfs", "fuse.rclone", "fuse.s3fs",
                            "fuse.gcsfuse", "fuse.goofys", "fuse.davfs", "fuse.curlftpfs"})
        if (t == b) known_bad = true;
      if (t == "fuseblk")
        out.push_back({g, Severity::info,
                       fmt::format("local disk through FUSE ({}, e.g. ntfs-3g): locks are kept by "
                                   "this machine's kernel",
                                   where),
                       ""});
      else if (known_bad)
        out.push_back({g, Severity::error,
                       fmt::format("FUSE file system {} ({}) does not forward byte-range locks "
                                   "to the server: other machines never see them",
                                   type, where),
                       "use the kernel's client (mount -t cifs or -t nfs) for shared data"});
      else
        out.push_back({g, Severity::warning,
                       fmt::format("FUSE file system {} ({}): locking and caching depend on the "
                                   "implementation",
                                   type, where),
                       "prefer a kernel client (cifs, nfs) for shared data, or make sure this "
                       "one forwards fcntl locks to the server"});
      break;
    }
    case FsKind::network_other:
      out.push_back({g, Severity::warning,
                     fmt::format("network or virtual file system {} ({}): whether byte-range "
                                 "locks reach other machines is not known to xbase doctor",
                                 type, where),
                     "use an SMB (cifs) or NFS share with working locks for shared data"});
      break;
    case FsKind::unknown:
      out.push_back(
          {g, Severity::info, fmt::format("file system {} ({}) not recognised", type, where), ""});
      break;
  }
  return out;
}

// ---- Samba -----------------------------------------------------------------------------------

const SmbSection* SmbConf::section(const std::string& name) const {
  std::string n = lower(name);
  for (const auto& s : sections)
    if (lower(s.name) == n) return &s;
  return nullptr;
}

std::string SmbConf::global_param(const std::string& name, const std::string& def) const {
  if (const auto* gl = section("global")) {
    auto it = gl->params.find(name);
    if (it != gl->params.end()) return it->second;
  }
  return def;
}

std::string SmbConf::share_param(const SmbSection& share, const std::string& name,
                                 const std::string& def) const {
  auto it = share.params.find(name);
  if (it != share.params.end()) return it->second;
  return global_param(name, def);
}

SmbConf parse_smb_conf(std::string_view text) {
  SmbConf c;
  SmbSection* cur = nullptr;
  std::string pending;  // a line continued with a trailing backslash
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line = pending + std::string(text.substr(pos, end - pos));
    pending.clear();
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.back() == '\\') {
      line.pop_back();
      pending = line;
      continue;
    }
    std::string_view l = trim(line);
    if (l.empty() || l[0] == '#' || l[0] == ';') continue;
    if (l[0] == '[') {
      auto close = l.find(']');
      if (close == std::string_view::npos) continue;
      c.sections.push_back({std::string(trim(l.substr(1, close - 1))), {}});
      cur = &c.sections.back();
      continue;
    }
    auto eq = l.find('=');
    if (eq == std::string_view::npos) continue;
    if (!cur) {  // parameters before any section belong to [global]
      c.sections.push_back({"global", {}});
      cur = &c.sections.back();
    }
    // "Level2 Oplocks" and "level2  oplocks" are the same parameter.
    std::string key;
    for (char ch : lower(trim(l.substr(0, eq)))) {
      if (std::isspace(static_cast<unsigned char>(ch))) {
        if (!key.empty() && key.back() != ' ') key += ' ';
      } else {
        key += ch;
      }
    }
    cur->params[key] = std::string(trim(l.substr(eq + 1)));
  }
  // [global] may appear more than once in a hand-written file: merge into the first.
  std::vector<SmbSection> merged;
  for (auto& s : c.sections) {
    SmbSection* into = nullptr;
    for (auto& m : merged)
      if (lower(m.name) == lower(s.name)) into = &m;
    if (into) {
      for (auto& [k, v] : s.params) into->params[k] = v;
    } else {
      merged.push_back(std::move(s));
    }
  }
  std::stable_partition(merged.begin(), merged.end(),
                        [](const SmbSection& s) { return lower(s.name) == "global"; });
  c.sections = std::move(merged);
  return c;
}

bool smb_bool(const std::string& v, bool def) {
  std::string l = lower(trim(v));
  if (l == "yes" || l == "true" || l == "1" || l == "on") return true;
  if (l == "no" || l == "false" || l == "0" || l == "off") return false;
  return def;
}

const SmbSection* share_for(const SmbConf& c, const std::string& dir) {
  const SmbSection* best = nullptr;
  size_t best_len = 0;
  std::string d = strip_slashes(dir);
  for (const auto& s : c.sections) {
    std::string n = lower(s.name);
    if (n == "global" || n == "printers" || n == "homes" || n == "print$") continue;
    auto it = s.params.find("path");
    if (it == s.params.end() || it->second.empty() || it->second.find('%') != std::string::npos)
      continue;
    std::string p = strip_slashes(it->second);
    if (p.empty() || p[0] != '/') continue;
    if (is_within(d, p) && p.size() >= best_len) {
      best = &s;
      best_len = p.size();
    }
  }
  return best;
}

namespace {

// Samba's wildcards in name lists: * and ?, here compared without regard to case.
bool wild_match(std::string_view pat, std::string_view name) {
  size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pat.size() &&
        (pat[p] == '?' || std::tolower(static_cast<unsigned char>(pat[p])) ==
                              std::tolower(static_cast<unsigned char>(name[n])))) {
      ++p;
      ++n;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace

bool veto_covers_data_files(const std::string& veto) {
  std::vector<std::string> pats;
  size_t i = 0;
  while (i < veto.size()) {
    size_t j = veto.find('/', i);
    if (j == std::string::npos) j = veto.size();
    auto p = trim(std::string_view(veto).substr(i, j - i));
    if (!p.empty()) pats.emplace_back(p);
    i = j + 1;
  }
  for (const char* name : {"TABLE.DBF", "TABLE.CDX", "TABLE.FPT", "TABLE.DBT", "table.dbf",
                           "table.cdx", "table.fpt", "table.dbt"}) {
    bool hit = false;
    for (const auto& p : pats) hit = hit || wild_match(p, name);
    if (!hit) return false;
  }
  return true;
}

namespace {

// TCP_KEEPIDLE=5 in `socket options`; -1 when absent.
int socket_option_int(const std::string& opts, const std::string& name) {
  for (auto w : split_ws(opts)) {
    std::string u(w);
    for (auto& ch : u) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    if (u.rfind(name + "=", 0) == 0) {
      try {
        return std::stoi(u.substr(name.size() + 1));
      } catch (const std::exception&) {
        return -1;
      }
    }
  }
  return -1;
}

}  // namespace

std::vector<Finding> check_share(const SmbConf& c, const SmbSection& share,
                                 const std::string& conf_name, const KernelKeepalive& kernel) {
  std::vector<Finding> out;
  const std::string g = "samba";
  const std::string sh = "[" + share.name + "]";
  auto sp = [&](const char* n, const char* def) { return c.share_param(share, n, def); };
  out.push_back({g, Severity::info,
                 fmt::format("DIR is exported by a local Samba server as {} (path {}; settings "
                             "from {})",
                             sh, sp("path", ""), conf_name),
                 ""});

  if (!smb_bool(sp("locking", "yes"), true))
    out.push_back({g, Severity::error,
                   fmt::format("{} locking = no: Samba answers every lock request with success "
                               "without locking anything",
                               sh),
                   fmt::format("set locking = yes in {}", sh)});
  if (!smb_bool(sp("posix locking", "yes"), true))
    out.push_back({g, Severity::error,
                   fmt::format("{} posix locking = no: workstations' locks stay inside Samba, so "
                               "programs on the server (xbase tools, NFS, backups) do not see "
                               "them and theirs are not seen",
                               sh),
                   fmt::format("set posix locking = yes in {}", sh)});

  bool oplocks = smb_bool(sp("oplocks", "yes"), true);
  bool level2 = smb_bool(sp("level2 oplocks", "yes"), true);
  bool kernel_oplocks = smb_bool(sp("kernel oplocks", "no"), false);
  bool fake = smb_bool(sp("fake oplocks", "no"), false);
  bool leases = smb_bool(c.global_param("smb2 leases", "yes"), true);
  bool vetoed = veto_covers_data_files(sp("veto oplock files", ""));
  const std::string share_fix = fmt::format(
      "in {}: oplocks = no, level2 oplocks = no, veto oplock files = "
      "/*.dbf/*.DBF/*.cdx/*.CDX/*.fpt/*.FPT/*.dbt/*.DBT/*.idx/*.IDX/*.ntx/*.NTX/",
      sh);
  if (fake)
    out.push_back({g, Severity::error,
                   fmt::format("{} fake oplocks = yes: every client is told it may cache files "
                               "others are writing",
                               sh),
                   fmt::format("set fake oplocks = no in {}", sh)});
  if (oplocks && !vetoed) {
    out.push_back({g, Severity::error,
                   fmt::format("{} oplocks = yes: a workstation gets an exclusive or batch "
                               "oplock on .dbf/.cdx files and caches them; every other "
                               "workstation's open waits for the break (~35 s when the holder "
                               "hangs), and a lost break corrupts tables",
                               sh),
                   share_fix});
    if (level2)
      out.push_back({g, Severity::warning,
                     fmt::format("{} level2 oplocks = yes: workstations cache reads of data "
                                 "files",
                                 sh),
                     fmt::format("set level2 oplocks = no in {}", sh)});
    if (leases && !kernel_oplocks)
      out.push_back({g, Severity::error,
                     "[global] smb2 leases = yes (the default): SMB2/3 workstations get "
                     "read-write-handle leases on data files and cache them",
                     "set smb2 leases = no in [global]"});
  } else if (oplocks) {
    out.push_back({g, Severity::ok,
                   fmt::format("{} oplocks are on, but veto oplock files keeps them (and leases) "
                               "off the data files",
                               sh),
                   ""});
  } else {
    out.push_back(
        {g, Severity::ok, fmt::format("{} oplocks = no: no client caches data files", sh), ""});
    if (leases)
      out.push_back({g, Severity::info,
                     "[global] smb2 leases = yes has no effect while the share has oplocks = no; "
                     "smb2 leases = no is recommended in case oplocks get turned on",
                     ""});
  }
  if (kernel_oplocks)
    out.push_back({g, oplocks && !vetoed ? Severity::warning : Severity::info,
                   fmt::format("{} kernel oplocks = yes{}", sh,
                               oplocks && !vetoed ? ": oplock breaks also wait for processes on "
                                                    "the server"
                                                  : " (no effect while no oplocks are granted)"),
                   oplocks && !vetoed ? fmt::format("set kernel oplocks = no in {}", sh) : ""});

  std::string strict = lower(sp("strict locking", "auto"));
  if (smb_bool(strict, false))
    out.push_back({g, Severity::ok,
                   fmt::format("{} strict locking = yes: another workstation's read or write "
                               "inside a locked range is refused",
                               sh),
                   ""});
  else if (strict == "auto")
    out.push_back({g, Severity::info,
                   fmt::format("{} strict locking = Auto: locks are checked on reads and writes "
                               "only for files without an oplock{}",
                               sh, oplocks && !vetoed ? "" : " (here: all data files)"),
                   ""});
  else
    out.push_back({g, Severity::info,
                   fmt::format("{} strict locking = no: reads and writes are not checked against "
                               "locks (xBase programs lock beyond the data, so they are not "
                               "affected; strict locking = yes is recommended)",
                               sh),
                   ""});

  if (smb_bool(sp("read only", "yes"), true))
    out.push_back({g, Severity::warning, fmt::format("{} is read only for workstations", sh),
                   fmt::format("set read only = no in {}", sh)});

  // smbd turns SO_KEEPALIVE on for every connection; how soon a silent peer is found dead is
  // the kernel's idle time unless `socket options` sets its own.
  std::string sock = c.global_param("socket options", "TCP_NODELAY");
  std::string usock;
  for (char ch : sock) usock += char(std::toupper(static_cast<unsigned char>(ch)));
  bool ka_off = usock.find("SO_KEEPALIVE=0") != std::string::npos;
  int idle = socket_option_int(sock, "TCP_KEEPIDLE");
  int intvl = socket_option_int(sock, "TCP_KEEPINTVL");
  int cnt = socket_option_int(sock, "TCP_KEEPCNT");
  bool from_kernel = idle < 0;
  if (idle < 0) idle = kernel.idle_s;
  if (intvl < 0) intvl = kernel.interval_s;
  if (cnt < 0) cnt = kernel.probes;
  long dead_after = long(idle) + long(intvl) * cnt;
  std::string fix =
      "set socket options = TCP_NODELAY SO_KEEPALIVE TCP_KEEPIDLE=5 "
      "TCP_KEEPINTVL=2 TCP_KEEPCNT=3 in [global]";
  if (ka_off)
    out.push_back({g, Severity::warning,
                   "socket options turn SO_KEEPALIVE off: a workstation cut off silently keeps "
                   "its locks until its connection times out (hours)",
                   fix});
  else if (dead_after > 600)
    out.push_back({g, Severity::warning,
                   fmt::format("no short TCP keepalive (socket options = {}{}): a workstation "
                               "cut off silently keeps its locks for about {} min ({}keepalive "
                               "after {} s idle, then {} probes {} s apart); `keepalive` applies "
                               "to SMB1 only and `deadtime` only to connections without open "
                               "files",
                               sock, from_kernel ? ", no TCP_KEEPIDLE" : "", dead_after / 60,
                               from_kernel ? "the kernel's " : "", idle, cnt, intvl),
                   fix});
  else
    out.push_back({g, Severity::ok,
                   fmt::format("TCP keepalive: a workstation cut off silently loses its locks "
                               "after about {} s",
                               dead_after),
                   ""});
  if (worst(out) >= Severity::warning)
    out.push_back(
        {g, Severity::info,
         fmt::format("recommended for a share holding xBase data: {}; {}", kRecommendedGlobal,
                     std::string(kRecommendedShare).replace(1, 5, share.name)),
         ""});
  return out;
}

// ---- space -----------------------------------------------------------------------------------

std::string human_bytes(uint64_t n) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = double(n);
  int u = 0;
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} bytes", n) : fmt::format("{:.1f} {}", v, units[u]);
}

Finding check_space(uint64_t avail, uint64_t total) {
  const uint64_t GiB = uint64_t(1) << 30;
  double pct = total ? 100.0 * double(avail) / double(total) : 0;
  std::string what =
      fmt::format("{} free of {} ({:.0f} %)", human_bytes(avail), human_bytes(total), pct);
  if (avail < GiB / 10)
    return {"space", Severity::error, what + ": a pack, reindex or backup can fail half-way",
            "free disk space (at least 1 GiB and 5 %)"};
  if (avail < GiB || pct < 5)
    return {"space", Severity::warning, what + ": low", "free disk space (at least 1 GiB and 5 %)"};
  return {"space", Severity::ok, what, ""};
}

}  // namespace xbase::tool::doctor

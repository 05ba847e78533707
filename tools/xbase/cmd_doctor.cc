// xbase doctor DIR [--json] [--smb-conf FILE]: whether DIR is safe for multi-user xBase data.
//
// Gathers the facts (statfs, /proc/self/mountinfo, statvfs, the smb.conf of a Samba server
// running here) and runs live tests in DIR: a second process (this binary again, as
// `xbase doctor --lock-probe FILE`, driven line by line over a pipe) must see our byte-range
// locks and we must see its, and each must read what the other just wrote. The rules that
// judge the facts are in doctor_checks.cc.
//
// Test hooks (environment of the run): XBASE_DOCTOR_FAKE_LOCKS=ignored makes the second
// process behave as on a file system that ignores locks (every lock granted, nothing seen);
// XBASE_DOCTOR_FAKE_COHERENCE=stale makes it read stale (zero) bytes.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "common.h"
#include "doctor_checks.h"
#include "flock_holders.h"
#include "json.h"
#include "sync_clients.h"
#include "xbase/file.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace xbase::tool {

#ifdef __linux__

namespace {

namespace fs = std::filesystem;
using doctor::Finding;
using doctor::Severity;

std::string hex(const std::string& bytes) {
  std::string r;
  for (unsigned char c : bytes) r += fmt::format("{:02x}", c);
  return r;
}

std::string unhex(const std::string& h) {
  std::string r;
  for (size_t i = 0; i + 1 < h.size(); i += 2) r += char(std::stoi(h.substr(i, 2), nullptr, 16));
  return r;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- the second process ----------------------------------------------------------------------

// Commands, one per line on stdin, one answer line each on stdout:
//   lock OFF LEN x|s -> granted | refused      unlock OFF LEN -> ok
//   probe OFF LEN    -> free | held PID        write OFF HEX  -> ok
//   read OFF N       -> data HEX               size           -> size N
//   quit
// Any failure answers "error MESSAGE".
int lock_probe_child(const std::string& path) {
  const char* fl = std::getenv("XBASE_DOCTOR_FAKE_LOCKS");
  const char* fc = std::getenv("XBASE_DOCTOR_FAKE_COHERENCE");
  bool fake_locks = fl && std::string(fl) == "ignored";
  bool fake_stale = fc && std::string(fc) == "stale";
  std::unique_ptr<File> f;
  try {
    f = FileSystem::os().open(path, OpenMode::read_write);
  } catch (const std::exception& e) {
    std::cout << "error " << e.what() << std::endl;
    return kFailed;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    std::string answer;
    try {
      uint64_t off = 0, len = 0;
      if (cmd == "quit") break;
      if (cmd == "lock") {
        std::string mode;
        in >> off >> len >> mode;
        bool ok = fake_locks ||
                  f->lock(off, len, mode == "s" ? LockMode::shared : LockMode::exclusive, false);
        answer = ok ? "granted" : "refused";
      } else if (cmd == "unlock") {
        in >> off >> len;
        if (!fake_locks) f->unlock(off, len);
        answer = "ok";
      } else if (cmd == "probe") {
        in >> off >> len;
        auto l = fake_locks ? std::nullopt : f->probe(off, len);
        answer = l ? fmt::format("held {}", l->pid) : "free";
      } else if (cmd == "write") {
        std::string h;
        in >> off >> h;
        std::string b = unhex(h);
        f->write_at(off, b.data(), b.size());
        answer = "ok";
      } else if (cmd == "read") {
        in >> off >> len;
        std::string b(len, '\0');
        b.resize(f->read_at(off, b.data(), b.size()));
        if (fake_stale) std::fill(b.begin(), b.end(), '\0');
        answer = "data " + hex(b);
      } else if (cmd == "size") {
        answer = fmt::format("size {}", f->size());
      } else {
        answer = "error unknown command " + cmd;
      }
    } catch (const std::exception& e) {
      answer = std::string("error ") + e.what();
    }
    std::cout << answer << std::endl;
  }
  return kOk;
}

// The parent's end of the pipe to the second process.
class Child {
 public:
  Child(const std::string& file) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
      throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      const char* args[] = {"xbase", "doctor", "--lock-probe", file.c_str(), nullptr};
      ::execv("/proc/self/exe", const_cast<char* const*>(args));
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~Child() {
    if (to_ >= 0) {
      ask("quit", 1000, true);
      ::close(to_);
    }
    if (from_ >= 0) ::close(from_);
    if (pid_ > 0) {
      // A child stuck in a lock request does not read "quit".
      for (int i = 0; i < 20; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        ::usleep(10000);
      }
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Sends one command; returns the answer line ("" after `timeout_ms` without one, or when the
  // process is gone).
  std::string ask(const std::string& cmd, int timeout_ms = 20000, bool no_answer = false) {
    std::string line = cmd + "\n";
    if (::write(to_, line.data(), line.size()) != ssize_t(line.size())) return "";
    if (no_answer) return "";
    for (;;) {
      auto nl = buf_.find('\n');
      if (nl != std::string::npos) {
        std::string r = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return r;
      }
      struct pollfd p {
        from_, POLLIN, 0
      };
      int r = ::poll(&p, 1, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return "";
      char b[4096];
      ssize_t n = ::read(from_, b, sizeof b);
      if (n <= 0) return "";
      buf_.append(b, size_t(n));
    }
  }

 private:
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string buf_;
};

// ---- the live tests --------------------------------------------------------------------------

struct Progress {
  bool on = ::isatty(2);
  void say(const std::string& s) const {
    if (on) std::cerr << "\r\033[Kxbase doctor: " << s << "..." << std::flush;
  }
  void done() const {
    if (on) std::cerr << "\r\033[K" << std::flush;
  }
};

void lock_tests(File& f, Child& c, std::vector<Finding>& out, doctor::FsKind kind) {
  const std::string g = "locking";
  std::vector<std::string> failures;
  auto expect = [&](const std::string& cmd, const std::string& want, const std::string& what) {
    std::string got = c.ask(cmd);
    if (got.rfind(want, 0) != 0)
      failures.push_back(fmt::format("{} (the other process answered \"{}\")", what,
                                     got.empty() ? "nothing" : got));
    return got.rfind(want, 0) == 0;
  };
  // A VFP record lock's offset (0x7FFFFFFE - recno) and a Harbour 64-bit one.
  const uint64_t A = 0x7FFFFFFE - 7, B = 0x7FFFFFFE - 8, H = 0x7FFFFFFF00000000ull + 7;
  if (!f.lock(A, 1, LockMode::exclusive, false)) {
    out.push_back({g, Severity::error,
                   "cannot lock a byte of a fresh file that no one else has open",
                   "see the file system findings"});
    return;
  }
  expect(fmt::format("probe {} 1", A), "held",
         "our exclusive lock is not visible to another process");
  expect(fmt::format("lock {} 1 x", A), "refused",
         "another process was granted an exclusive lock on a byte we hold exclusively");
  expect(fmt::format("lock {} 1 s", A), "refused",
         "another process was granted a shared lock on a byte we hold exclusively");
  if (expect(fmt::format("lock {} 1 x", B), "granted",
             "another process could not lock the byte beside ours"))
    c.ask(fmt::format("unlock {} 1", B));
  f.unlock(A, 1);
  if (expect(fmt::format("lock {} 1 x", A), "granted",
             "another process could not lock the byte after we released it")) {
    if (f.lock(A, 1, LockMode::exclusive, false)) {
      failures.push_back("we were granted a byte another process holds exclusively");
      f.unlock(A, 1);
    }
    c.ask(fmt::format("unlock {} 1", A));
    if (!f.lock(A, 1, LockMode::exclusive, false))
      failures.push_back("the byte stayed locked after the other process released it");
    else
      f.unlock(A, 1);
  }
  // Shared locks coexist; an exclusive one is refused beside them.
  if (f.lock(B, 1, LockMode::shared, false)) {
    if (expect(fmt::format("lock {} 1 s", B), "granted",
               "another process could not share a byte we hold shared"))
      c.ask(fmt::format("unlock {} 1", B));
    expect(fmt::format("lock {} 1 x", B), "refused",
           "another process was granted an exclusive lock on a byte we hold shared");
    f.unlock(B, 1);
  } else {
    failures.push_back("we could not take a shared lock");
  }
  std::string large;
  try {
    if (f.lock(H, 1, LockMode::exclusive, false)) {
      std::string got = c.ask(fmt::format("lock {} 1 x", H));
      if (got != "refused") large = "another process was granted it too";
      f.unlock(H, 1);
      if (got == "granted") c.ask(fmt::format("unlock {} 1", H));
    } else {
      large = "our lock was refused";
    }
  } catch (const std::exception& e) {
    large = e.what();
  }
  if (!failures.empty()) {
    for (size_t i = 0; i < failures.size(); ++i)
      out.push_back({g, Severity::error, "lock test: " + failures[i],
                     i ? ""
                       : "do not share tables from this folder until locks work: see the "
                         "file system findings (nobrl, nolock, local_lock, FUSE)"});
    return;
  }
  std::string scope = kind == doctor::FsKind::smb || kind == doctor::FsKind::nfs
                          ? " (between two processes of this machine; other workstations depend "
                            "on the mount options above)"
                          : "";
  out.push_back({g, Severity::ok,
                 "two processes: an exclusive lock is seen and refused by the other process both "
                 "ways and freed on unlock; shared locks coexist" +
                     scope,
                 ""});
  if (!large.empty())
    out.push_back({g, Severity::warning,
                   fmt::format("a lock beyond 4 GiB (offset 0x{:X}, Harbour's 64-bit lock "
                               "scheme) does not work: {}",
                               H, large),
                   "use the VFP or Clipper lock scheme on this file system"});
}

void coherence_tests(File& f, Child& c, std::vector<Finding>& out) {
  const std::string g = "coherence";
  std::vector<std::string> failures;
  auto pattern = [](char tag, int n) {
    std::string s = fmt::format("xbase-doctor-{}-{:04}", tag, n);
    return s;
  };
  auto child_reads = [&](uint64_t off, size_t n) {
    std::string a = c.ask(fmt::format("read {} {}", off, n));
    return a.rfind("data ", 0) == 0 ? unhex(a.substr(5)) : std::string("<" + a + ">");
  };
  auto parent_reads = [&](uint64_t off, size_t n) {
    std::string b(n, '\0');
    b.resize(f.read_at(off, b.data(), n));
    return b;
  };
  // We write, the other process reads at once; again after it has the old bytes cached.
  std::string p1 = pattern('a', 1), p2 = pattern('a', 2);
  f.write_at(4096, p1.data(), p1.size());
  if (child_reads(4096, p1.size()) != p1)
    failures.push_back("another process did not read the bytes we had just written");
  f.write_at(4096, p2.data(), p2.size());
  if (child_reads(4096, p2.size()) != p2)
    failures.push_back("another process read stale bytes after we overwrote them");
  // The other way round, with an append: our size must follow.
  std::string q1 = pattern('b', 1), q2 = pattern('b', 2);
  uint64_t end = f.size() + 512;
  (void)parent_reads(end, q1.size());
  if (c.ask(fmt::format("write {} {}", end, hex(q1))) != "ok")
    failures.push_back("another process could not write to the test file");
  if (f.size() < end + q1.size())
    failures.push_back("we did not see the size of the file another process had just extended");
  if (parent_reads(end, q1.size()) != q1)
    failures.push_back("we did not read the bytes another process had just written");
  c.ask(fmt::format("write {} {}", end, hex(q2)));
  if (parent_reads(end, q2.size()) != q2)
    failures.push_back("we read stale bytes after another process overwrote them");
  for (size_t i = 0; i < failures.size(); ++i)
    out.push_back({g, Severity::error, "coherence test: " + failures[i],
                   i ? ""
                     : "turn client caching off for this folder (cifs: cache=strict or "
                       "cache=none; Samba: oplocks = no, smb2 leases = no)"});
  if (failures.empty())
    out.push_back({g, Severity::ok,
                   "two processes read each other's writes at once, also over bytes they had "
                   "read before and past the old end of the file",
                   ""});
}

// Creates, renames and deletes a file in DIR and runs the two-process tests on it.
void live_tests(const fs::path& dir, std::vector<Finding>& out, doctor::FsKind kind,
                const Progress& progress) {
  const std::string g = "permissions";
  fs::path tmp = dir / fmt::format(".xbase-doctor-{}.tmp", ::getpid());
  fs::path moved = dir / fmt::format(".xbase-doctor-{}.moved", ::getpid());
  struct Cleanup {
    fs::path a, b;
    ~Cleanup() {
      for (const auto& p : {a, b}) try {
          FileSystem::os().remove(p);
        } catch (const std::exception&) {
        }
    }
  } cleanup{tmp, moved};
  std::unique_ptr<File> f;
  try {
    f = FileSystem::os().open(tmp, OpenMode::create);
    std::string zeros(8192, '\0');
    f->write_at(0, zeros.data(), zeros.size());
    f->sync();
  } catch (const std::exception& e) {
    out.push_back({g, Severity::error,
                   fmt::format("cannot create and write a file in DIR: {}", e.what()),
                   "give every user of the program write access to the folder (create, rename, "
                   "delete)"});
    out.push_back({"locking", Severity::error, "lock test not run (no test file)", ""});
    return;
  }
  bool perms_ok = true;
  try {
    FileSystem::os().rename(tmp, moved);
    std::swap(tmp, moved);
  } catch (const std::exception& e) {
    perms_ok = false;
    out.push_back({g, Severity::error, fmt::format("cannot rename a file in DIR: {}", e.what()),
                   "allow renaming in the folder (the engine's commits and `repair` need it)"});
  }

  try {
    progress.say("lock test");
    Child child(tmp.string());
    lock_tests(*f, child, out, kind);
    progress.say("coherence test");
    coherence_tests(*f, child, out);
  } catch (const std::exception& e) {
    out.push_back({"locking", Severity::error, fmt::format("lock test failed: {}", e.what()),
                   "see the file system findings"});
  }
  f.reset();
  std::string why = "still there";
  bool removed = false;
  try {
    FileSystem::os().remove(tmp);
    removed = !FileSystem::os().exists(tmp);
  } catch (const Error& e) {
    why = e.detail();
  }
  if (!removed) {
    perms_ok = false;
    out.push_back(
        {g, Severity::error,
         fmt::format("cannot delete a file in DIR: {}", why),
         "allow deleting in the folder (pack and reindex replace files)"});
  }
  if (perms_ok)
    out.push_back(
        {g, Severity::ok, "files can be created, written, renamed and deleted in DIR", ""});
}

bool is_data_file(const std::string& name) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  std::string e = name.substr(dot + 1);
  for (auto& ch : e) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return e == "dbf" || e == "cdx" || e == "fpt" || e == "dbt" || e == "idx" || e == "ntx";
}

// Data files another program holds with flock() (Harbour's sign of shared or exclusive use):
// byte-range probes do not see those, so they are listed here.
void flock_holders_found(const fs::path& dir, const std::vector<std::string>& names,
                         std::vector<Finding>& out) {
  std::vector<std::string> held;
  for (const auto& n : names) {
    if (!is_data_file(n)) continue;
    for (const auto& h : flock_holders((dir / n).string()))
      held.push_back(fmt::format("{} ({} by pid {})", n,
                                 h.mode == LockMode::shared ? "shared" : "exclusive", h.pid));
  }
  if (held.empty()) return;
  std::string list;
  for (size_t i = 0; i < held.size() && i < 5; ++i) list += (i ? ", " : "") + held[i];
  if (held.size() > 5) list += fmt::format(" and {} more", held.size() - 5);
  out.push_back({"locking", Severity::info,
                 fmt::format("{} flock() holders on data files (another program, such as Harbour, "
                             "has them open): {}",
                             held.size(), list),
                 ""});
}

void table_permissions(const fs::path& dir, const std::vector<std::string>& names,
                       std::vector<Finding>& out) {
  int count = 0;
  std::vector<std::string> bad;
  for (const auto& n : names) {
    if (!is_data_file(n) || n.rfind(".xbase-doctor-", 0) == 0) continue;
    fs::path p = dir / n;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    ++count;
    try {
      FileSystem::os().open(p, OpenMode::read_write);  // opened and closed: nothing is written
    } catch (const Error& e) {
      bad.push_back(fmt::format("{} ({})", n, e.detail()));
    }
  }
  if (!bad.empty()) {
    std::string list;
    for (size_t i = 0; i < bad.size() && i < 5; ++i) list += (i ? ", " : "") + bad[i];
    if (bad.size() > 5) list += fmt::format(" and {} more", bad.size() - 5);
    out.push_back({"permissions", Severity::error,
                   fmt::format("{} of {} data files cannot be opened for writing: {}", bad.size(),
                               count, list),
                   "make the tables, memos and indexes writable for every user of the program"});
  } else if (count) {
    out.push_back(
        {"permissions", Severity::ok,
         fmt::format("all {} data files (.dbf .cdx .fpt .dbt .idx .ntx) open for writing", count),
         ""});
  } else {
    out.push_back({"permissions", Severity::info, "no data files in DIR yet", ""});
  }
}

void sync_checks(const fs::path& dir, const std::vector<std::string>& names,
                 std::vector<Finding>& out) {
  const std::string g = "sync clients";
  size_t before = out.size();
  for (const auto& m : sync_markers(dir))
    out.push_back({g, Severity::error,
                   fmt::format("{} manages this folder ({}: {})", m.client, m.path.string(), m.why),
                   "move the data to a file server share no sync client touches: sync clients "
                   "copy whole files, ignore locks and make conflict copies"});
  int copies = 0;
  const Siblings siblings(names);
  for (const auto& n : names) {
    auto c = conflict_copy(n, siblings);
    if (!c) continue;
    if (++copies > 20) continue;
    out.push_back({g, Severity::warning,
                   fmt::format("{} is a {} conflict copy of {}{}", n, c->client, c->original,
                               c->date.empty() ? "" : " (" + c->date + ")"),
                   fmt::format("compare with `xbase conflicts {}`, merge what is missing, then "
                               "remove the copy",
                               dir.string())});
  }
  if (copies > 20)
    out.push_back({g, Severity::warning, fmt::format("{} more conflict copies", copies - 20),
                   fmt::format("run `xbase conflicts {}`", dir.string())});
  if (out.size() == before)
    out.push_back(
        {g, Severity::ok, "no sync-client markers here or above, no conflict copies", ""});
}

// ---- Samba -----------------------------------------------------------------------------------

// The configuration files of the smbd processes running here (`-s FILE`, `--configfile=FILE`;
// the default /etc/samba/smb.conf when none is given).
std::vector<std::string> running_smbd_configs(bool& any_running) {
  std::set<std::string> confs;
  any_running = false;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    std::string pid = e.path().filename().string();
    if (pid.empty() || !std::all_of(pid.begin(), pid.end(), ::isdigit)) continue;
    std::string comm = read_text(e.path() / "comm");
    // Its helpers rename themselves (smbd-notifyd, smbd[client]) but keep the command line.
    if (comm.rfind("smbd", 0) != 0) continue;
    any_running = true;
    std::string cl = read_text(e.path() / "cmdline");
    std::vector<std::string> args;
    size_t i = 0;
    while (i < cl.size()) {
      size_t j = cl.find('\0', i);
      if (j == std::string::npos) j = cl.size();
      args.push_back(cl.substr(i, j - i));
      i = j + 1;
    }
    std::string conf = "/etc/samba/smb.conf";
    for (size_t k = 1; k < args.size(); ++k) {
      const auto& a = args[k];
      if ((a == "-s" || a == "--configfile") && k + 1 < args.size())
        conf = args[k + 1];
      else if (a.rfind("--configfile=", 0) == 0)
        conf = a.substr(13);
      else if (a.rfind("-s", 0) == 0 && a.size() > 2 && a[2] != '-')
        conf = a.substr(2);
    }
    confs.insert(conf);
  }
  return {confs.begin(), confs.end()};
}

// `testparm -s -v FILE` (every effective setting), or the file itself without testparm.
std::string effective_config(const std::string& conf) {
  std::string cmd = "testparm -s -v '";
  for (char ch : conf) cmd += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  cmd += "' 2>/dev/null";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char b[4096];
    size_t n;
    while ((n = std::fread(b, 1, sizeof b, p)) > 0) out.append(b, n);
    int st = ::pclose(p);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && out.find('[') != std::string::npos) return out;
  }
  return read_text(conf);
}

int read_int(const char* path, int def) {
  std::string s = read_text(path);
  try {
    return s.empty() ? def : std::stoi(s);
  } catch (const std::exception&) {
    return def;
  }
}

void samba_checks(const fs::path& dir, const std::string& smb_conf, std::vector<Finding>& out) {
  const std::string g = "samba";
  bool running = false;
  std::vector<std::string> confs = running_smbd_configs(running);
  if (!smb_conf.empty()) {
    if (!fs::exists(smb_conf))
      throw UsageError(fmt::format("--smb-conf {}: no such file", smb_conf));
    confs.insert(confs.begin(), smb_conf);
  }
  doctor::KernelKeepalive ka{read_int("/proc/sys/net/ipv4/tcp_keepalive_time", 7200),
                             read_int("/proc/sys/net/ipv4/tcp_keepalive_intvl", 75),
                             read_int("/proc/sys/net/ipv4/tcp_keepalive_probes", 9)};
  std::set<std::string> seen;
  bool found = false;
  for (const auto& conf : confs) {
    std::error_code ec;
    std::string canon = fs::weakly_canonical(conf, ec).string();
    if (!seen.insert(ec ? conf : canon).second) continue;
    auto c = doctor::parse_smb_conf(effective_config(conf));
    for (auto& s : c.sections) {
      auto it = s.params.find("path");
      if (it == s.params.end() || it->second.empty() || it->second.find('%') != std::string::npos)
        continue;
      auto p = fs::weakly_canonical(it->second, ec);
      if (!ec) it->second = p.string();
    }
    const auto* share = doctor::share_for(c, dir.string());
    if (!share) continue;
    found = true;
    for (auto& f : doctor::check_share(c, *share, conf, ka)) out.push_back(std::move(f));
  }
  if (!found)
    out.push_back({g, Severity::info,
                   !running && smb_conf.empty()
                       ? "no Samba server runs on this machine (share settings not checked)"
                       : "DIR is not inside a share of the Samba server(s) running here",
                   ""});
}

// ---- the report ------------------------------------------------------------------------------

const char* kGroups[] = {"filesystem", "locking",      "coherence", "permissions",
                         "space",      "sync clients", "samba"};

std::string label(Severity s) {
  switch (s) {
    case Severity::ok:
      return "ok     ";
    case Severity::info:
      return "info   ";
    case Severity::warning:
      return "WARNING";
    case Severity::error:
      return "ERROR  ";
  }
  return "";
}

}  // namespace

int cmd_doctor(int argc, char** argv) {
  if (argc == 4 && std::string(argv[2]) == "--lock-probe") return lock_probe_child(argv[3]);
  Args a = parse_args(argc, argv, 2, {"smb-conf"}, {"json"});
  if (a.positional.size() != 1)
    throw UsageError("usage: xbase doctor DIR [--json] [--smb-conf FILE]");
  fs::path dir = xbase::path_from_utf8(a.positional[0]);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw UsageError(fmt::format("{}: not a folder", dir.string()));
  dir = fs::canonical(dir, ec);
  if (ec) throw UsageError(fmt::format("{}: {}", a.positional[0], ec.message()));
  ::signal(SIGPIPE, SIG_IGN);  // a second process that dies must not take us with it
  Progress progress;
  std::vector<Finding> out;

  progress.say("file system");
  struct statfs sf {};
  uint64_t magic = ::statfs(dir.c_str(), &sf) == 0 ? uint64_t(uint32_t(sf.f_type)) : 0;
  auto mount = doctor::find_mount(read_text("/proc/self/mountinfo"), dir.string());
  auto kind = doctor::classify_fs(magic, mount ? mount->fstype : "");
  for (auto& f : doctor::check_mount(kind, magic, mount)) out.push_back(std::move(f));

  live_tests(dir, out, kind, progress);

  progress.say("files");
  std::vector<std::string> names = list_directory(dir);
  std::sort(names.begin(), names.end());
  table_permissions(dir, names, out);
  flock_holders_found(dir, names, out);

  struct statvfs sv {};
  if (::statvfs(dir.c_str(), &sv) == 0)
    out.push_back(doctor::check_space(uint64_t(sv.f_bavail) * sv.f_frsize,
                                      uint64_t(sv.f_blocks) * sv.f_frsize));
  else
    out.push_back(
        {"space", Severity::warning, fmt::format("statvfs failed: {}", std::strerror(errno)), ""});

  progress.say("sync clients");
  sync_checks(dir, names, out);
  progress.say("Samba");
  samba_checks(dir, a.get("smb-conf"), out);
  progress.done();

  std::stable_sort(out.begin(), out.end(), [](const Finding& x, const Finding& y) {
    auto rank = [](const std::string& g) {
      return std::find(std::begin(kGroups), std::end(kGroups), g) - std::begin(kGroups);
    };
    return rank(x.group) < rank(y.group);
  });
  int errors = 0, warnings = 0;
  for (const auto& f : out) {
    errors += f.severity == Severity::error;
    warnings += f.severity == Severity::warning;
  }
  bool problems = errors + warnings > 0;

  if (a.has("json")) {
    std::string o = "{\"dir\": ";
    json::append_string(o, dir.string());
    o += ", \"filesystem\": {\"kind\": ";
    json::append_string(o, doctor::fs_kind_name(kind));
    o += fmt::format(", \"magic\": \"0x{:X}\", \"type\": ", magic);
    json::append_string(o, mount ? mount->fstype : doctor::magic_name(magic));
    o += ", \"mount_point\": ";
    if (mount)
      json::append_string(o, mount->mount_point);
    else
      o += "null";
    o += ", \"source\": ";
    if (mount)
      json::append_string(o, mount->source);
    else
      o += "null";
    o += ", \"options\": ";
    if (mount)
      json::append_string(o, mount->super_options);
    else
      o += "null";
    o += "},\n \"findings\": [";
    for (size_t i = 0; i < out.size(); ++i) {
      o += i ? ",\n  " : "\n  ";
      o += "{\"group\": ";
      json::append_string(o, out[i].group);
      o += fmt::format(", \"severity\": \"{}\", \"message\": ",
                       doctor::severity_name(out[i].severity));
      json::append_string(o, out[i].message);
      o += ", \"fix\": ";
      json::append_string(o, out[i].fix);
      o += "}";
    }
    o += fmt::format("],\n \"errors\": {}, \"warnings\": {}, \"safe\": {}}}\n", errors, warnings,
                     problems ? "false" : "true");
    std::cout << o;
    return problems ? kProblems : kOk;
  }

  std::cout << fmt::format("xbase doctor {} ({})\n", dir.string(), doctor::fs_kind_name(kind));
  std::string group;
  for (const auto& f : out) {
    if (f.group != group) {
      group = f.group;
      std::cout << group << "\n";
    }
    std::cout << fmt::format("  {} {}\n", label(f.severity), f.message);
    if (!f.fix.empty() && f.severity >= Severity::warning)
      std::cout << fmt::format("          fix: {}\n", f.fix);
  }
  if (!problems)
    std::cout << "result: no problems found: DIR is fit for multi-user xBase data\n";
  else
    std::cout << fmt::format("result: {} error{}, {} warning{}: {}\n", errors,
                             errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
                             errors ? "NOT safe for multi-user xBase data" : "fix the warnings");
  return problems ? kProblems : kOk;
}

#else  // not Linux

int cmd_doctor(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::cerr << "xbase doctor: the checks (statfs, mountinfo, lock and coherence tests) are not "
               "available on this platform yet\n";
  return kFailed;
}

#endif

}  // namespace xbase::tool

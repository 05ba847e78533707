#include "test_util.h"

#ifdef _WIN32
#include <process.h>
#else
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <cstdlib>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "io/forwarding_fs.h"
#include "journal/journal.h"
#include "journal/journal_format.h"

namespace xbase::test {

namespace fs = std::filesystem;

namespace {
int current_pid() {
#ifdef _WIN32
  return _getpid();
#else
  return ::getpid();
#endif
}
}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    auto p = fs::temp_directory_path() /
             ("xbase-test-" + std::to_string(current_pid()) + "-" + std::to_string(rd()));
    if (fs::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temp folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

// Every call reaches the machine but sync.
class NoSyncFile final : public ForwardingFile {
 public:
  using ForwardingFile::ForwardingFile;
  void sync() override {}
};

class NoSyncFileSystem final : public FileSystem {
 public:
  std::unique_ptr<File> open(const fs::path& p, OpenMode m) override {
    return std::make_unique<NoSyncFile>(FileSystem::os().open(p, m));
  }
  bool exists(const fs::path& p) override { return FileSystem::os().exists(p); }
  void rename(const fs::path& a, const fs::path& b) override { FileSystem::os().rename(a, b); }
  void remove(const fs::path& p) override { FileSystem::os().remove(p); }
  void sync_dir(const fs::path&) override {}
  std::vector<std::string> list_dir(const fs::path& d) override { return FileSystem::os().list_dir(d); }
};

}  // namespace

FileSystem& no_sync_fs() {
  static NoSyncFileSystem fs;
  return fs;
}

fs::path shared_dir() { return fs::path(XBASE_SHARED_DIR); }
fs::path binary_dir() { return fs::path(XBASE_BINARY_DIR); }

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

void date_dbf_another_day(const fs::path& dbf) {
  std::fstream f(dbf, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(3);  // the day of the header's last-update date
  const int day = f.get();
  f.seekp(3);
  f.put(char(day % 28 + 1));
  if (!f) throw std::runtime_error("cannot date " + dbf.string());
}

fs::path copy_table(const fs::path& from, const fs::path& dir) {
  std::string stem = from.stem().string();
  for (const auto& e : fs::directory_iterator(from.parent_path())) {
    if (e.path().stem().string() == stem) {
      fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
      // The copy is the test's to change and remove: a read-only source (../shared is) makes a
      // read-only copy, which Windows refuses to change or delete.
      fs::permissions(dir / e.path().filename(), fs::perms::owner_write, fs::perm_options::add);
    }
  }
  return dir / from.filename();
}

size_t journal_files(const std::filesystem::path& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.path().extension() == journal::kExtension;
  return n;
}

size_t journals_holding_commits(const std::filesystem::path& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != journal::kExtension) continue;
    auto f = FileSystem::os().open(e.path(), OpenMode::read_only);
    const auto h = journal::format::read_header(*f);
    n += e.file_size() > 0 && !(h && h->state == journal::format::kEmpty);
  }
  return n;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string shell_quote(const std::string& text) {
  std::string q = "'";
  for (char c : text) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const fs::path& scratch, const std::string& env) {
  std::string cmd = env.empty() ? "" : env + " ";
  cmd += shell_quote(program);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  const fs::path out = scratch / "run-stdout.txt", err = scratch / "run-stderr.txt";
  cmd += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string()) + " </dev/null";
#ifdef _WIN32
  // No /bin/sh on Windows: the Windows test executables run no other programs.
  throw std::runtime_error("run_program needs /bin/sh: " + cmd);
#else
  int st = std::system(cmd.c_str());
  if (st == -1 || !WIFEXITED(st)) throw std::runtime_error("did not exit normally: " + cmd);
  return {WEXITSTATUS(st), read_file(out), read_file(err)};
#endif
}

}  // namespace xbase::test

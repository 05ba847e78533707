// The Windows File: positioned ReadFile/WriteFile, FlushFileBuffers, and LockFileEx /
// UnlockFileEx byte-range locks. Windows locks are mandatory (other handles cannot read or
// write locked bytes: the reason xBase locks lie beyond the data), belong to the handle, and
// stack (the same range locked twice must be unlocked twice); the engine's lock bookkeeping
// never locks a range twice. Exclusive opens also pass share mode 0 to CreateFile, so that
// programs which only use share modes are kept out as well.
#ifdef _WIN32

#include <fmt/format.h>
#include <windows.h>

#include "io/path_text.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace xbase {

namespace {

[[noreturn]] void win_error(const std::string& path, const char* what, DWORD err,
                            std::optional<uint64_t> off = {}) {
  char msg[256] = {};
  FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, err, 0, msg,
                 sizeof msg, nullptr);
  bool missing = err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND;
  const bool full = err == ERROR_DISK_FULL || err == ERROR_HANDLE_DISK_FULL;
  throw Error(missing ? Errc::not_found : full ? Errc::disk_full : Errc::io, {path, off, {}, {}},
              fmt::format("{}: {} (error {})", what, msg, err));
}

OVERLAPPED at(uint64_t off) {
  OVERLAPPED ov{};
  ov.Offset = DWORD(off & 0xFFFFFFFFu);
  ov.OffsetHigh = DWORD(off >> 32);
  return ov;
}

class WinFile final : public File {
 public:
  WinFile(HANDLE h, std::string path) : h_(h), path_(std::move(path)) {}
  ~WinFile() override { CloseHandle(h_); }

  size_t read_at(uint64_t off, void* buf, size_t n) override {
    size_t done = 0;
    while (done < n) {
      OVERLAPPED ov = at(off + done);
      DWORD want = DWORD(std::min<size_t>(n - done, 1u << 30)), got = 0;
      if (!ReadFile(h_, static_cast<char*>(buf) + done, want, &got, &ov)) {
        DWORD e = GetLastError();
        if (e == ERROR_HANDLE_EOF) break;
        win_error(path_, "read failed", e, off + done);
      }
      done += got;
      if (got < want) break;  // a file reads short only where it ends
    }
    return done;
  }

  void write_at(uint64_t off, const void* buf, size_t n) override {
    size_t done = 0;
    while (done < n) {
      OVERLAPPED ov = at(off + done);
      DWORD want = DWORD(std::min<size_t>(n - done, 1u << 30)), put = 0;
      if (!WriteFile(h_, static_cast<const char*>(buf) + done, want, &put, &ov))
        win_error(path_, "write failed", GetLastError(), off + done);
      done += put;
    }
  }

  uint64_t size() override {
    LARGE_INTEGER s;
    if (!GetFileSizeEx(h_, &s)) win_error(path_, "size failed", GetLastError());
    return uint64_t(s.QuadPart);
  }

  void truncate(uint64_t size) override {
    FILE_END_OF_FILE_INFO info{};
    info.EndOfFile.QuadPart = LONGLONG(size);
    if (!SetFileInformationByHandle(h_, FileEndOfFileInfo, &info, sizeof info))
      win_error(path_, "truncate failed", GetLastError(), size);
  }

  void sync() override {
    if (!FlushFileBuffers(h_)) win_error(path_, "sync failed", GetLastError());
  }

  bool lock(uint64_t off, uint64_t len, LockMode mode, bool wait) override {
    OVERLAPPED ov = at(off);
    DWORD flags = (mode == LockMode::exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) |
                  (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
    if (LockFileEx(h_, flags, 0, DWORD(len & 0xFFFFFFFFu), DWORD(len >> 32), &ov)) return true;
    DWORD e = GetLastError();
    if (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING) return false;
    win_error(path_, "lock failed", e, off);
  }

  void unlock(uint64_t off, uint64_t len) override {
    OVERLAPPED ov = at(off);
    if (!UnlockFileEx(h_, 0, DWORD(len & 0xFFFFFFFFu), DWORD(len >> 32), &ov))
      win_error(path_, "unlock failed", GetLastError(), off);
  }

  // Windows does not say who holds a lock: try the range and report it as held when refused.
  std::optional<LockInfo> probe(uint64_t off, uint64_t len) override {
    if (lock(off, len, LockMode::exclusive, false)) {
      unlock(off, len);
      return std::nullopt;
    }
    return LockInfo{off, len, LockMode::exclusive, -1};
  }

  const std::string& path() const override { return path_; }

 private:
  HANDLE h_;
  std::string path_;
};

class WinFileSystem final : public FileSystem {
 public:
  bool parallel_files() override { return true; }  // each File is its own descriptor/handle
  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    DWORD access = GENERIC_READ | (mode == OpenMode::read_only ? 0 : GENERIC_WRITE);
    DWORD share = mode == OpenMode::exclusive
                      ? 0
                      : FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    DWORD disposition = mode == OpenMode::create ? CREATE_ALWAYS : OPEN_EXISTING;
    HANDLE h = CreateFileW(p.wstring().c_str(), access, share, nullptr, disposition,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
      DWORD e = GetLastError();
      if (e == ERROR_SHARING_VIOLATION)
        throw Error(Errc::in_use, {path_utf8(p), {}, {}, {}}, "another program has the file open");
      win_error(path_utf8(p), "cannot open", e);
    }
    // As on POSIX: only files on disk are tables, memos or indexes (not a pipe, console or
    // other device that happens to carry the name).
    if (GetFileType(h) != FILE_TYPE_DISK) {
      CloseHandle(h);
      throw Error(Errc::io, {path_utf8(p), {}, {}, {}},
                  "is a pipe or device, not a regular file: only regular files are opened as "
                  "tables, memos or indexes");
    }
    return std::make_unique<WinFile>(h, path_utf8(p));
  }

  bool exists(const std::filesystem::path& p) override { return path_exists(p); }

  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (!MoveFileExW(from.wstring().c_str(), to.wstring().c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
      win_error(path_utf8(from), fmt::format("cannot rename to {}", path_utf8(to)).c_str(),
                GetLastError());
  }

  // Without MOVEFILE_REPLACE_EXISTING the move fails when the name is taken.
  bool rename_unless_exists(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (MoveFileExW(from.wstring().c_str(), to.wstring().c_str(), MOVEFILE_WRITE_THROUGH)) return true;
    DWORD e = GetLastError();
    if (e == ERROR_ALREADY_EXISTS || e == ERROR_FILE_EXISTS) return false;
    win_error(from.string(), fmt::format("cannot rename to {}", to.string()).c_str(), e);
  }

  void remove(const std::filesystem::path& p) override {
    if (!DeleteFileW(p.wstring().c_str())) {
      DWORD e = GetLastError();
      if (e != ERROR_FILE_NOT_FOUND) win_error(path_utf8(p), "cannot remove", e);
    }
  }

  // MOVEFILE_WRITE_THROUGH already made the rename durable.
  void sync_dir(const std::filesystem::path&) override {}

  std::vector<std::string> list_dir(const std::filesystem::path& dir) override {
    return list_directory(dir);
  }
};

}  // namespace

FileSystem& FileSystem::os() {
  static WinFileSystem fs;
  return fs;
}

}  // namespace xbase

#endif  // _WIN32

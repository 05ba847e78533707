// The POSIX File: pread/pwrite, fsync, and open file description locks (F_OFD_SETLK), which
// belong to the open file rather than the process, so closing another descriptor of the same
// file never drops them (see SQLite's os_unix.c on per-process POSIX locks).
#include <algorithm>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/os_handle.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace xbase {

namespace {

[[noreturn]] void os_error(const std::string& path, const char* what, int err,
                           std::optional<uint64_t> off = {}) {
  Location where{path, off, {}, {}};
  const Errc code = err == ENOENT ? Errc::not_found : err == ENOSPC || err == EDQUOT ? Errc::disk_full : Errc::io;
  throw Error(code, where,
              fmt::format("{}: {}", what, strerror(err)));
}

// Tables, memos and indexes are regular files; anything else (a FIFO, a device, a socket, a
// folder named T.DBF) is refused at once, naming what it is.
[[noreturn]] void refuse_not_regular(const std::filesystem::path& p, mode_t mode) {
  const char* what = S_ISDIR(mode)    ? "a folder"
                     : S_ISFIFO(mode) ? "a FIFO (named pipe)"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISSOCK(mode) ? "a socket"
                                      : "a special file";
  throw Error(Errc::io, {p.string(), {}, {}, {}},
              fmt::format("is {}, not a regular file: only regular files are opened as tables, "
                          "memos or indexes",
                          what));
}

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path, FileSystemMark fs, uint64_t size_at_open)
      : fd_(fd), path_(std::move(path)), fs_(fs), size_at_open_(size_at_open) {}
  ~PosixFile() override { ::close(fd_); }

  // No read advice on purpose (issue 30): reads fill the page cache in large folios, which
  // makes later small writes into them 2-4 times slower, but POSIX_FADV_RANDOM/WILLNEED, which
  // would read single pages instead, make cold scans twice as slow (README, "Benchmarks":
  // update-indexed after the table was read).
  size_t read_at(uint64_t off, void* buf, size_t n) override {
    size_t done = 0;
    while (done < n) {
      // At most 1 GiB per call (Linux reads at most 2 GiB - 4 KiB at once), so that a short
      // read means the end of the file.
      const size_t want = std::min<size_t>(n - done, size_t(1) << 30);
      ssize_t r = ::pread(fd_, static_cast<char*>(buf) + done, want, off_t(off + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        os_error(path_, "read failed", errno, off + done);
      }
      done += size_t(r);
      // A regular file reads short only where it ends: asking again would only hear that (one
      // more round trip on a share, at every open and every look past the last record).
      if (size_t(r) < want) break;
    }
    return done;
  }

  // Large writes go out in pieces of 256 KiB: Linux (ext4 since 6.16, and others with large
  // folios) sizes page-cache folios by the write that creates them, and every later small
  // write into a folio walks all of its blocks (ext4_block_write_begin, block_commit_write),
  // so 40-byte record updates into a table appended in 4 MiB writes cost 8 times as much
  // as into one written in pieces of 256 KiB or less (README, "Benchmarks": update-indexed).
  static constexpr size_t kWritePiece = size_t(256) << 10;
  void write_at(uint64_t off, const void* buf, size_t n) override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pwrite(fd_, static_cast<const char*>(buf) + done, std::min(n - done, kWritePiece),
                           off_t(off + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        os_error(path_, "write failed", errno, off + done);
      }
      done += size_t(r);
    }
  }

  // The size as the server has it now: network file systems cache attributes (a cifs mount
  // for up to `actimeo`, 1 s by default), and another workstation may just have appended.
  // AT_STATX_FORCE_SYNC makes cifs and NFS ask the server; local file systems ignore it.
  uint64_t size() override {
    struct statx stx {};
    if (::statx(fd_, "", AT_EMPTY_PATH | AT_STATX_FORCE_SYNC, STATX_SIZE, &stx) == 0 &&
        (stx.stx_mask & STATX_SIZE))
      return stx.stx_size;
    struct stat st;
    if (::fstat(fd_, &st) != 0) os_error(path_, "stat failed", errno);
    return uint64_t(st.st_size);
  }

  void truncate(uint64_t size) override {
    if (::ftruncate(fd_, off_t(size)) != 0) os_error(path_, "truncate failed", errno, size);
  }

  void sync() override {
    if (::fdatasync(fd_) != 0) os_error(path_, "sync failed", errno);
  }

  bool lock(uint64_t off, uint64_t len, LockMode mode, bool wait) override {
    struct flock fl {};
    fl.l_type = mode == LockMode::shared ? F_RDLCK : F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = off_t(off);
    fl.l_len = off_t(len);
    for (;;) {
      if (::fcntl(fd_, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl) == 0) return true;
      if (errno == EINTR) continue;
      // cifs mounts answer a conflicting lock with EACCES as well as EAGAIN.
      if (errno == EAGAIN || errno == EACCES) return false;
      os_error(path_, "lock failed", errno, off);
    }
  }

  void unlock(uint64_t off, uint64_t len) override {
    struct flock fl {};
    fl.l_type = F_UNLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = off_t(off);
    fl.l_len = off_t(len);
    if (::fcntl(fd_, F_OFD_SETLK, &fl) != 0) os_error(path_, "unlock failed", errno, off);
  }

  std::optional<LockInfo> probe(uint64_t off, uint64_t len) override {
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = off_t(off);
    fl.l_len = off_t(len);
    if (::fcntl(fd_, F_OFD_GETLK, &fl) != 0) os_error(path_, "lock probe failed", errno, off);
    if (fl.l_type == F_UNLCK) return std::nullopt;
    return LockInfo{uint64_t(fl.l_start), uint64_t(fl.l_len),
                    fl.l_type == F_RDLCK ? LockMode::shared : LockMode::exclusive, fl.l_pid};
  }

  const std::string& path() const override { return path_; }
  int fd() const { return fd_; }
  FileSystemMark file_system() const { return fs_; }
  std::optional<uint64_t> size_at_open() override { return size_at_open_; }

 private:
  int fd_;
  std::string path_;
  FileSystemMark fs_;
  uint64_t size_at_open_;
};

class PosixFileSystem final : public FileSystem {
 public:
  bool parallel_files() override { return true; }  // each File is its own descriptor/handle
  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    int flags = O_CLOEXEC;
    switch (mode) {
      case OpenMode::read_only: flags |= O_RDONLY; break;
      case OpenMode::read_write:
      case OpenMode::exclusive: flags |= O_RDWR; break;
      case OpenMode::create: flags |= O_RDWR | O_CREAT | O_TRUNC; break;
    }
    // O_NONBLOCK so that opening a FIFO (or a device) named like a table returns at once
    // instead of waiting for a writer; what was opened is then judged on the descriptor
    // itself (fstat), so there is no window between a check and the open. The flag is cleared
    // again for regular files, where it means nothing anyway.
    int fd = ::open(p.c_str(), flags | O_NONBLOCK, 0666);
    if (fd < 0) {
      if (errno == EISDIR) refuse_not_regular(p, S_IFDIR);
      os_error(p.string(), "cannot open", errno);
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      os_error(p.string(), "stat failed", err);
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      refuse_not_regular(p, st.st_mode);
    }
    int fl = ::fcntl(fd, F_GETFL);
    if (fl >= 0) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return std::make_unique<PosixFile>(fd, p.string(), FileSystemMark{uint64_t(st.st_dev), uint64_t(st.st_blksize)},
                                       uint64_t(st.st_size));
  }

  bool exists(const std::filesystem::path& p) override { return path_exists(p); }

  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0)
      os_error(from.string(), fmt::format("cannot rename to {}", to.string()).c_str(), errno);
  }

  // A hard link never replaces a file; file systems without hard links (some SMB, cloud and
  // FAT drives) get the look-then-rename of the default.
  bool rename_unless_exists(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (::link(from.c_str(), to.c_str()) == 0) {
      remove(from);
      return true;
    }
    if (errno == EEXIST) return false;
    if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS || errno == EOPNOTSUPP || errno == EXDEV)
      return FileSystem::rename_unless_exists(from, to);
    os_error(from.string(), fmt::format("cannot rename to {}", to.string()).c_str(), errno);
  }

  void remove(const std::filesystem::path& p) override {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) os_error(p.string(), "cannot remove", errno);
  }

  void sync_dir(const std::filesystem::path& dir) override {
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) os_error(dir.string(), "cannot open directory", errno);
    ::fsync(fd);
    ::close(fd);
  }

  std::vector<std::string> list_dir(const std::filesystem::path& dir) override {
    return list_directory(dir);
  }
};

// The PosixFile behind `f`, also through wrappers (a transaction's staging layer).
PosixFile* posix_file(File& f) {
  if (auto* p = dynamic_cast<PosixFile*>(&f)) return p;
  if (auto* w = dynamic_cast<FileWrapper*>(&f)) return posix_file(w->wrapped());
  return nullptr;
}

}  // namespace

int posix_descriptor(File& f) {
  PosixFile* p = posix_file(f);
  return p ? p->fd() : -1;
}

std::optional<FileSystemMark> posix_file_system(File& f) {
  PosixFile* p = posix_file(f);
  if (!p) return std::nullopt;
  return p->file_system();
}

FileSystem& FileSystem::os() {
  static PosixFileSystem fs;
  return fs;
}

}  // namespace xbase

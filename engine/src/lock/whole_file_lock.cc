#include "lock/whole_file_lock.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>

#include "io/os_handle.h"

#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#endif

namespace xbase::lock {

bool flock_is_separate(unsigned long magic) {
  switch (uint32_t(magic)) {
    case 0xFF534D42u:  // CIFS_MAGIC_NUMBER
    case 0xFE534D42u:  // SMB2_MAGIC_NUMBER
    case 0x517Bu:      // SMB_SUPER_MAGIC
    case 0x6969u:      // NFS_SUPER_MAGIC
      return false;
    default:
      return true;
  }
}

#ifdef _WIN32

int os_descriptor(File&) { return -1; }
WholeFileLock::~WholeFileLock() {}
bool WholeFileLock::take(File&, LockMode) { return true; }
void WholeFileLock::release() {}

#else

int os_descriptor(File& f) { return posix_descriptor(f); }

namespace {

// Whether flock() is a lock of its own on the file system holding `fd`. A file system where it
// is not (a share) is remembered for the process: fstatfs() is a round trip there, at every
// table file opened. It is known again by what the open brought back anyway, its device number
// and preferred I/O size: an anonymous device number a share had may go to a local file system
// after an unmount (autofs), which then reports another size (4 KiB against cifs's 1 MiB) and
// is asked. Local file systems are asked each time (a local call): a remembered "separate"
// would send flock() to a share that took over a device number. False when it cannot be told.
bool flock_separate_for(File& f, int fd) {
  std::optional<FileSystemMark> mark = posix_file_system(f);
  if (!mark) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return false;
    mark = FileSystemMark{uint64_t(st.st_dev), uint64_t(st.st_blksize)};
  }
  static std::mutex m;
  static std::set<FileSystemMark> remote;
  {
    std::lock_guard<std::mutex> g(m);
    if (remote.count(*mark)) return false;
  }
  struct statfs sf {};
  if (::fstatfs(fd, &sf) != 0) return false;
  if (flock_is_separate(static_cast<unsigned long>(sf.f_type))) return true;
  std::lock_guard<std::mutex> g(m);
  remote.insert(*mark);
  return false;
}

}  // namespace

WholeFileLock::~WholeFileLock() {
  // The file's own descriptor: its close, which follows, drops the lock.
  if (own_) release();
}

bool WholeFileLock::take(File& f, LockMode mode) {
  release();
  int fd = os_descriptor(f);
  const bool own = fd < 0;
  if (own) fd = ::open(f.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;  // not a file of the OS (an in-memory test file system)
  auto give_up = [&] {
    if (own) ::close(fd);
  };
  if (!flock_separate_for(f, fd)) {
    give_up();
    return true;
  }
  int r;
  do r = ::flock(fd, (mode == LockMode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB);
  while (r != 0 && errno == EINTR);
  if (r != 0) {
    give_up();
    return false;  // EWOULDBLOCK: another open holds it
  }
  fd_ = fd;
  own_ = own;
  return true;
}

void WholeFileLock::release() {
  if (fd_ < 0) return;
  if (own_)
    ::close(fd_);  // drops the flock() with the open file description
  else
    ::flock(fd_, LOCK_UN);
  fd_ = -1;
  own_ = false;
}

#endif

}  // namespace xbase::lock

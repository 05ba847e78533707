#include "lock/whole_file_lock.h"

#include <cstdint>

#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
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

bool WholeFileLock::take(const std::string&, LockMode) { return true; }
void WholeFileLock::release() {}

#else

bool WholeFileLock::take(const std::string& path, LockMode mode) {
  release();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;  // not a file of the OS (an in-memory test file system)
  struct statfs sf {};
  if (::fstatfs(fd, &sf) != 0 || !flock_is_separate(static_cast<unsigned long>(sf.f_type))) {
    ::close(fd);
    return true;
  }
  int r;
  do r = ::flock(fd, (mode == LockMode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB);
  while (r != 0 && errno == EINTR);
  if (r != 0) {
    ::close(fd);
    return false;  // EWOULDBLOCK: another open holds it
  }
  fd_ = fd;
  return true;
}

void WholeFileLock::release() {
  if (fd_ < 0) return;
  ::close(fd_);  // drops the flock() with the open file description
  fd_ = -1;
}

#endif

}  // namespace xbase::lock

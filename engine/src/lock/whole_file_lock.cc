#include "lock/whole_file_lock.h"

#include <cstdint>

#include "io/os_handle.h"

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

int os_descriptor(File&) { return -1; }
WholeFileLock::~WholeFileLock() {}
bool WholeFileLock::take(File&, LockMode) { return true; }
void WholeFileLock::release() {}

#else

int os_descriptor(File& f) { return posix_descriptor(f); }

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
  struct statfs sf {};
  if (::fstatfs(fd, &sf) != 0 || !flock_is_separate(static_cast<unsigned long>(sf.f_type))) {
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

// The whole-file lock other xBase programs take to say that a table is open, shared or for
// exclusive use: Harbour (as built for Linux) uses flock(). The engine's own share lock is a
// byte-range lock (LockLayout::open()), a separate lock space, so without this the two never
// see each other's exclusive use. Taken on local file systems only: on SMB/CIFS mounts the
// kernel client sends flock() as a lock over the whole file that would block every record
// lock, and on NFS it is emulated the same way.
#pragma once

#include "xbase/file.h"

namespace xbase::lock {

class WholeFileLock {
 public:
  WholeFileLock() = default;
  ~WholeFileLock();
  WholeFileLock(const WholeFileLock&) = delete;
  WholeFileLock& operator=(const WholeFileLock&) = delete;
  // False when another open of the file holds a conflicting flock(). True, holding nothing,
  // where none is taken (remote file systems, Windows, a file the OS cannot open).
  // Taken on `f`'s own descriptor where `f` is a file of the OS (flock() belongs to the open
  // file description, so this is one open of the table fewer), else on one opened for it.
  // `f` must stay open while this holds the lock; closing it drops the lock.
  bool take(File& f, LockMode mode);
  void release();
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  bool own_ = false;  // fd_ was opened here (else it is the file's own descriptor)
};

// The OS descriptor behind a table's file (through its staging layer), or -1 where there is
// none (a test file system, Windows).
int os_descriptor(File& f);

// Whether flock() on a file system of this statfs magic is a lock of its own kind (local file
// systems) rather than a byte-range lock over the whole file (SMB/CIFS, NFS).
bool flock_is_separate(unsigned long fs_magic);

}  // namespace xbase::lock

// Taking a byte-range lock under a wait policy, and holding one for a scope.
#pragma once

#include "xbase/file.h"
#include "xbase/lock.h"

namespace xbase::lock {

// Tries to take the range until the policy gives up; returns whether it was granted. Polls
// (no blocking F_SETLKW) so that every policy has a deadline and works the same on SMB mounts;
// the clock and the pauses are `env`'s.
bool acquire(FileSystem& env, File& f, LockRange r, LockMode mode, const LockWait& wait);

// A lock released when the scope ends (for the short header, index and memo locks).
class Held {
 public:
  Held() = default;
  Held(File& f, LockRange r) : f_(&f), r_(r) {}
  Held(Held&& o) noexcept : f_(o.f_), r_(o.r_) { o.f_ = nullptr; }
  Held& operator=(Held&& o) noexcept {
    if (this != &o) {
      release();
      f_ = o.f_;
      r_ = o.r_;
      o.f_ = nullptr;
    }
    return *this;
  }
  ~Held() {
    try {
      release();
    } catch (...) {
      // The descriptor's close releases it in the end; nothing better to do in a destructor.
    }
  }
  void release() {
    if (f_) {
      File* f = f_;
      f_ = nullptr;
      f->unlock(r_.offset, r_.length);
    }
  }
  // Lets the lock go without an unlock call, for a file that is closed next where closing
  // drops its locks (POSIX open file description locks).
  void forget() { f_ = nullptr; }
  explicit operator bool() const { return f_ != nullptr; }

 private:
  File* f_ = nullptr;
  LockRange r_;
};

}  // namespace xbase::lock

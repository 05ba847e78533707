#include "lock/acquire.h"

#include <algorithm>
#include <thread>

namespace xbase::lock {

bool acquire(File& f, LockRange r, LockMode mode, const LockWait& wait) {
  using clock = std::chrono::steady_clock;
  if (f.lock(r.offset, r.length, mode, false)) return true;
  switch (wait.kind) {
    case LockWait::Kind::immediate: return false;
    case LockWait::Kind::retries:
      for (int i = 0; i < wait.retries; ++i) {
        std::this_thread::sleep_for(wait.interval);
        if (f.lock(r.offset, r.length, mode, false)) return true;
      }
      return false;
    case LockWait::Kind::timeout: {
      // Short pauses first (header and index locks are held for microseconds), then longer
      // ones so that a long wait does not spin.
      auto deadline = clock::now() + wait.timeout;
      std::chrono::microseconds pause{50};
      for (;;) {
        auto now = clock::now();
        if (now >= deadline) return false;
        std::this_thread::sleep_for(std::min<clock::duration>(pause, deadline - now));
        if (f.lock(r.offset, r.length, mode, false)) return true;
        pause = std::min(pause * 2, std::chrono::microseconds(20000));
      }
    }
  }
  return false;
}

}  // namespace xbase::lock

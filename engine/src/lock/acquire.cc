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
      // Header and index locks are held for some microseconds: first yield the processor and
      // try again for a short while (a sleep costs at least the timer slack, 50 µs), then
      // pause for longer and longer so that a long wait does not spin.
      auto deadline = clock::now() + wait.timeout;
      auto spin_end = clock::now() + std::chrono::microseconds(200);
      while (clock::now() < std::min(spin_end, deadline)) {
        std::this_thread::yield();
        if (f.lock(r.offset, r.length, mode, false)) return true;
      }
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

#include "lock/acquire.h"

#include <algorithm>

namespace xbase::lock {

bool acquire(FileSystem& env, File& f, LockRange r, LockMode mode, const LockWait& wait) {
  using clock = std::chrono::steady_clock;
  if (f.lock(r.offset, r.length, mode, false)) return true;
  switch (wait.kind) {
    case LockWait::Kind::immediate: return false;
    case LockWait::Kind::retries:
      for (int i = 0; i < wait.retries; ++i) {
        env.sleep_for(std::chrono::duration_cast<std::chrono::microseconds>(wait.interval));
        if (f.lock(r.offset, r.length, mode, false)) return true;
      }
      return false;
    case LockWait::Kind::timeout: {
      // Header and index locks are held for some microseconds: first yield the processor and
      // try again for a short while (a sleep costs at least the timer slack, 50 µs), then
      // pause for longer and longer so that a long wait does not spin.
      auto deadline = env.now() + wait.timeout;
      auto spin_end = env.now() + std::chrono::microseconds(200);
      while (env.now() < std::min(spin_end, deadline)) {
        env.yield();
        if (f.lock(r.offset, r.length, mode, false)) return true;
      }
      std::chrono::microseconds pause{50};
      for (;;) {
        auto now = env.now();
        if (now >= deadline) return false;
        env.sleep_for(std::chrono::duration_cast<std::chrono::microseconds>(std::min<clock::duration>(pause, deadline - now)));
        if (f.lock(r.offset, r.length, mode, false)) return true;
        pause = std::min(pause * 2, std::chrono::microseconds(20000));
      }
    }
  }
  return false;
}

}  // namespace xbase::lock

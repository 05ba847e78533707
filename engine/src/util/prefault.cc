#include "util/prefault.h"

#include <algorithm>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace xbase {

namespace {
constexpr uintptr_t kPage = 4096;
constexpr uintptr_t kChunk = uintptr_t(2) << 20;  // per call, so that stop() is heard soon
constexpr uintptr_t kWorthIt = uintptr_t(1) << 20;
}  // namespace

void Prefault::add(const void* p, size_t bytes) {
  uintptr_t a = (reinterpret_cast<uintptr_t>(p) + kPage - 1) & ~(kPage - 1);
  uintptr_t e = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kPage - 1);
  if (e <= a || e - a < kWorthIt) return;
#if defined(__linux__)
  std::lock_guard<std::mutex> lock(mutex_);
#endif
  ranges_.push_back({a, e});
}

#if defined(__linux__)
bool Prefault::take(std::pair<uintptr_t, uintptr_t>& r) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (next_ >= ranges_.size()) {
    done_ = true;
    return false;
  }
  r = ranges_[next_++];
  return true;
}
#endif

void Prefault::start() {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (next_ >= ranges_.size()) return;
    if (thread_.joinable() && !done_) return;  // running: it takes the new ranges in turn
  }
  if (thread_.joinable()) thread_.join();  // it had finished before these ranges came
  stop_ = false;
  done_ = false;
  thread_ = std::thread([this] {
    std::pair<uintptr_t, uintptr_t> r;
    while (!stop_.load(std::memory_order_relaxed) && take(r))
      for (uintptr_t p = r.first; p < r.second && !stop_.load(std::memory_order_relaxed); p += kChunk)
        // Fails with EINVAL before Linux 5.14: then the pages fault in as they are filled.
        if (madvise(reinterpret_cast<void*>(p), std::min(kChunk, r.second - p), MADV_POPULATE_WRITE) != 0) return;
  });
#endif
}

void Prefault::stop() {
#if defined(__linux__)
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  next_ = 0;
  done_ = false;
#endif
  ranges_.clear();
}

}  // namespace xbase

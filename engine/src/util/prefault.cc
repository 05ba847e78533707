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
  if (e > a && e - a >= kWorthIt) ranges_.push_back({a, e});
}

void Prefault::start() {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  if (ranges_.empty() || thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    for (auto [a, e] : ranges_)
      for (uintptr_t p = a; p < e && !stop_.load(std::memory_order_relaxed); p += kChunk)
        // Fails with EINVAL before Linux 5.14: then the pages fault in as they are filled.
        if (madvise(reinterpret_cast<void*>(p), std::min(kChunk, e - p), MADV_POPULATE_WRITE) != 0) return;
  });
#endif
}

void Prefault::stop() {
#if defined(__linux__)
  stop_ = true;
  if (thread_.joinable()) thread_.join();
#endif
  ranges_.clear();
}

}  // namespace xbase

// Faulting in the pages of a freshly reserved buffer on another core while this one fills it.
// The first touch of each 4 KiB page costs some microseconds (on a virtual machine, a quarter
// of a million-key index build), and the second core is idle during a build. Where the
// platform has no way to do it (not Linux, or a kernel before 5.14), this does nothing.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <mutex>
#include <thread>
#endif

namespace xbase {

class Prefault {
 public:
  Prefault() = default;
  ~Prefault() { stop(); }
  Prefault(const Prefault&) = delete;
  Prefault& operator=(const Prefault&) = delete;

  // The ranges to fault in, in the order they will be filled; then start(). One helper takes
  // them in turn: a range added while it runs is taken after the others (a second helper
  // would compete with the filling thread for the same cores). Ranges smaller than a few pages
  // are not worth it and are left alone.
  void add(const void* p, size_t bytes);
  void start();
  // Waits for the helper (it stops early when asked) and forgets the ranges. Before the
  // buffers are freed or moved: faulting in memory that has since been handed to someone else
  // would be harmless but wasted.
  void stop();

 private:
  std::vector<std::pair<uintptr_t, uintptr_t>> ranges_;  // page-aligned [begin, end)
#if defined(__linux__)
  bool take(std::pair<uintptr_t, uintptr_t>& r);  // the next range; false: none left, done_
  std::mutex mutex_;      // ranges_, next_, done_
  size_t next_ = 0;       // ranges_[next_] is the next to fault in
  bool done_ = false;     // the helper found no range left and is ending
  std::atomic<bool> stop_{false};
  std::thread thread_;
#endif
};

}  // namespace xbase

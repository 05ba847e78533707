// Prefault: the pages of a fresh buffer are faulted in by a helper thread, and stopping it
// early or never starting it is safe.
#include <catch2/catch.hpp>

#include "util/prefault.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace xbase;

namespace {
constexpr size_t kBytes = 16u << 20;

size_t resident_pages(void* p, size_t bytes) {
  std::vector<unsigned char> v(bytes / 4096);
  REQUIRE(mincore(p, bytes, v.data()) == 0);
  size_t n = 0;
  for (unsigned char c : v) n += c & 1;
  return n;
}

bool kernel_can_populate() {
  void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  bool ok = madvise(p, 4096, MADV_POPULATE_WRITE) == 0;
  munmap(p, 4096);
  return ok;
}
}  // namespace

TEST_CASE("prefault faults in the pages of a fresh buffer on another thread", "[util]") {
  if (!kernel_can_populate()) {
    WARN("this kernel has no MADV_POPULATE_WRITE (before 5.14): nothing to check");
    return;
  }
  void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  REQUIRE(resident_pages(p, kBytes) == 0);
  {
    Prefault f;
    f.add(p, kBytes);
    f.start();
    // The helper runs on its own; wait (bounded) until every page is in.
    for (int i = 0; i < 3000 && resident_pages(p, kBytes) < kBytes / 4096; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(resident_pages(p, kBytes) == kBytes / 4096);
  }
  // The contents are untouched: a populated anonymous page reads as zeros.
  const unsigned char* b = static_cast<const unsigned char*>(p);
  CHECK((b[0] == 0 && b[kBytes / 2] == 0 && b[kBytes - 1] == 0));
  munmap(p, kBytes);
}

TEST_CASE("prefault leaves small buffers alone and stops when asked", "[util]") {
  void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  {
    Prefault f;
    f.add(p, 64 * 1024);  // not worth a thread
    f.start();
    f.stop();
    CHECK(resident_pages(p, kBytes) == 0);
  }
  {
    Prefault never_started;
    never_started.add(p, kBytes);
  }  // destroyed without start(): nothing to wait for
  {
    Prefault f;
    f.add(p, kBytes);
    f.start();
    f.stop();  // returns once the helper has stopped, whatever it reached
    f.stop();
  }
  munmap(p, kBytes);
}
#endif

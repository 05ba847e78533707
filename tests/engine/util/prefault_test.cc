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

// The sorter adds the radix items once it sees a key out of order: the helper may be busy
// with the entries, or done with them already. Either way the new range is faulted in too.
TEST_CASE("prefault takes ranges added while it runs and after it finished", "[util]") {
  if (!kernel_can_populate()) {
    WARN("this kernel has no MADV_POPULATE_WRITE (before 5.14): nothing to check");
    return;
  }
  auto wait_all_in = [](void* p) {
    for (int i = 0; i < 3000 && resident_pages(p, kBytes) < kBytes / 4096; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return resident_pages(p, kBytes);
  };
  void* a = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  void* b = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  void* c = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE((a != MAP_FAILED && b != MAP_FAILED && c != MAP_FAILED));
  {
    Prefault f;
    f.add(a, kBytes);
    f.start();
    f.add(b, kBytes);  // most likely while the helper is still on a
    f.start();
    CHECK(wait_all_in(a) == kBytes / 4096);
    CHECK(wait_all_in(b) == kBytes / 4096);
    f.add(c, kBytes);  // the helper has found nothing left and ended
    f.start();
    CHECK(wait_all_in(c) == kBytes / 4096);
  }
  munmap(a, kBytes);
  munmap(b, kBytes);
  munmap(c, kBytes);
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

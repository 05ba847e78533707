#include "watch.h"

#include <chrono>
#include <csignal>
#include <iostream>

#include "store/clock.h"

namespace invoicing::cli {

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
}  // namespace

int watch_interval(const Args& a, int fallback) {
  if (!a.options.count("interval")) return fallback;
  if (!a.has("watch")) throw UsageError("--interval goes with --watch");
  const int interval = int(id_of(a.get("interval"), "a number of seconds"));
  if (interval > 3600) throw UsageError("--interval is 1 to 3600 seconds");
  return interval;
}

void watch_every(int interval_seconds, const char* command, const std::function<void()>& pass) {
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  while (!g_stop) {
    try {
      pass();
    } catch (const std::exception& e) {
      std::cerr << "invoicing " << command << ": " << e.what() << std::endl;
    }
    for (int i = 0; i < interval_seconds * 10 && !g_stop; ++i)
      store::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace invoicing::cli

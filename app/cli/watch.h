// The loop of the commands that run as a service (`deliver --watch`, `purchase import --watch`):
// a pass every few seconds until SIGTERM (systemd stop) or SIGINT. A pass that throws is said
// on stderr and tried again at the next one.
#pragma once

#include <functional>

#include "cli.h"

namespace invoicing::cli {

// --interval SECONDS (1 to 3600), `fallback` when not given; only with --watch.
int watch_interval(const Args& a, int fallback);

void watch_every(int interval_seconds, const char* command, const std::function<void()>& pass);

}  // namespace invoicing::cli

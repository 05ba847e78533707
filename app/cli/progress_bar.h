// A progress line for long commands (an import of 100,000 rows): drawn on stderr, and only
// when stderr is a terminal, so that scripts and logs never get its carriage returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace invoicing::cli {

class ProgressBar {
 public:
  // Drawn only when `wanted` and stderr is a terminal.
  explicit ProgressBar(bool wanted);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // "reading   [#####-----]  48 %  48,000 rows": `count` `unit`, and a bar of done/total
  // (none when total is 0). Redrawn at most ten times a second, and always when complete.
  void show(std::string_view stage, uint64_t count, std::string_view unit, uint64_t done = 0,
            uint64_t total = 0);
  // Removes the line (before the command prints its result).
  void clear();
  bool active() const { return active_; }

 private:
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// 100000 -> "100,000".
std::string with_thousands(uint64_t n);

}  // namespace invoicing::cli

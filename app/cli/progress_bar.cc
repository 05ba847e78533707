#include "progress_bar.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace invoicing::cli {

std::string with_thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

ProgressBar::ProgressBar(bool wanted) : active_(wanted && isatty(STDERR_FILENO)) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::show(std::string_view stage, uint64_t count, std::string_view unit, uint64_t done,
                       uint64_t total) {
  if (!active_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && (total == 0 || done < total) && now - last_ < std::chrono::milliseconds(100))
    return;
  last_ = now;
  std::string line = fmt::format("{:<10}", stage);
  if (total > 0) {
    const int width = 30;
    int filled = int(done >= total ? width : done * width / total);
    line += fmt::format("[{}{}] {:3} %  ", std::string(size_t(filled), '#'),
                        std::string(size_t(width - filled), '-'),
                        done >= total ? 100 : done * 100 / total);
  }
  line += with_thousands(count) + " " + std::string(unit);
  std::fprintf(stderr, "\r%-72s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r%72s\r", "");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace invoicing::cli

#include "targets.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "common.h"

namespace fs = std::filesystem;

namespace xbase::tool {

std::vector<fs::path> expand_tables(const std::vector<std::string>& paths) {
  std::vector<fs::path> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p, ec)) {
        std::string ext = e.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (ext == ".dbf" && e.is_regular_file(ec)) found.push_back(e.path());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.emplace_back(p);
    } else {
      throw UsageError(fmt::format("{}: no such file or folder", p));
    }
  }
  return out;
}

Progress::Progress() : tty_(isatty(STDERR_FILENO) == 1) {}
Progress::~Progress() { clear(); }

void Progress::show(const std::string& label, uint64_t done, uint64_t total) {
  if (!tty_) return;
  int pct = total ? int(std::min<uint64_t>(100, done * 100 / total)) : 100;
  int bar = pct * 30 / 100;
  std::fprintf(stderr, "\r[%s%s] %3d%% %s\033[K", std::string(size_t(bar), '#').c_str(),
               std::string(size_t(30 - bar), ' ').c_str(), pct, label.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace xbase::tool

#include "delivery/delivery_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>

#include "xbase/error.h"
#include "xbase/file.h"

namespace fs = std::filesystem;

namespace invoicing::delivery {

DeliveryLog::DeliveryLog(fs::path file, uintmax_t max_bytes, std::string who)
    : file_(std::move(file)), max_bytes_(max_bytes), who_(std::move(who)) {}

void DeliveryLog::rotate() {
  std::error_code ec;
  const auto size = fs::file_size(file_, ec);
  if (ec || size < max_bytes_) return;
  const auto numbered = [&](int n) { return fs::path(file_.string() + "." + std::to_string(n)); };
  auto& fsys = xbase::FileSystem::os();
  // Best effort: another workstation may be rotating the same log at the same moment.
  const auto step = [&](auto&& change) {
    try {
      change();
    } catch (const xbase::Error&) {
    }
  };
  step([&] { fsys.remove(numbered(kLogsKept)); });
  for (int n = kLogsKept - 1; n >= 1; --n)
    if (fsys.exists(numbered(n))) step([&] { fsys.rename(numbered(n), numbered(n + 1)); });
  step([&] { fsys.rename(file_, numbered(1)); });
}

void DeliveryLog::write(const std::string& text) {
  try {
    xbase::FileSystem::os().create_directories(file_.parent_path());
  } catch (const xbase::Error&) {
  }
  rotate();
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line = std::string(stamp) + " " + who_ + " ";
  for (char ch : text) line += ch == '\n' ? ' ' : ch;  // one line per event
  line += '\n';
  // O_APPEND, which the engine's FileSystem does not offer (tables are written at offsets): a
  // delivery of another workstation's lines never overwrites ours.
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const bool ok = fd >= 0 && ::write(fd, line.data(), line.size()) == ssize_t(line.size());
  const int err = errno;
  if (fd >= 0) ::close(fd);
  if (!ok && !warned_) {
    warned_ = true;
    std::cerr << "invoicing deliver: the log " << file_.string()
              << " cannot be written: " << std::strerror(err) << "\n";
  }
}

}  // namespace invoicing::delivery

#include "outputs/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace invoicing::outputs {

namespace {

[[noreturn]] void fail(const std::filesystem::path& p, const char* what) {
  throw std::runtime_error(p.string() + ": " + what + ": " + std::strerror(errno));
}

void sync_path(const std::filesystem::path& p, int flags) {
  int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) fail(p, "cannot be opened to flush it");
  if (::fsync(fd) != 0 && errno != EINVAL) {  // some file systems cannot sync a folder
    ::close(fd);
    fail(p, "cannot be flushed to disk");
  }
  ::close(fd);
}

}  // namespace

std::filesystem::path temp_path_beside(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  for (;;) {
    std::filesystem::path p = target.parent_path() /
                              ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                               "-" + std::to_string(++counter));
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) return p;
  }
}

void commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& target) {
  try {
    sync_path(temp, O_RDONLY);
    if (::rename(temp.c_str(), target.c_str()) != 0) fail(target, "cannot be replaced");
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    throw;
  }
  std::filesystem::path folder = target.parent_path();
  sync_path(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY);
}

namespace {

// The bytes in a fresh temp file beside `target`, flushed; returns its name.
std::filesystem::path write_temp(const std::filesystem::path& target, std::string_view bytes) {
  const std::filesystem::path temp = temp_path_beside(target);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(temp, "cannot be created");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = errno;
      ::close(fd);
      std::error_code ec;
      std::filesystem::remove(temp, ec);
      errno = e;
      fail(temp, "cannot be written");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    int e = errno;
    ::close(fd);
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    errno = e;
    fail(temp, "cannot be flushed to disk");
  }
  ::close(fd);
  return temp;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& target, std::string_view bytes) {
  commit_temp_file(write_temp(target, bytes), target);
}

std::filesystem::path write_new_file(const std::filesystem::path& wanted, std::string_view bytes) {
  const std::filesystem::path temp = write_temp(wanted, bytes);
  const std::filesystem::path folder = wanted.parent_path().empty() ? "." : wanted.parent_path();
  const std::string stem = wanted.stem().string(), ext = wanted.extension().string();
  for (int n = 1;; ++n) {
    const std::filesystem::path name = n == 1 ? wanted : folder / (stem + "-" + std::to_string(n) + ext);
    // link() never replaces a file: two programs that want the same name each get their own.
    if (::link(temp.c_str(), name.c_str()) == 0) {
      ::unlink(temp.c_str());
      sync_path(folder, O_RDONLY | O_DIRECTORY);
      return name;
    }
    if (errno == EEXIST) continue;
    if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS || errno == EOPNOTSUPP) {
      // A file system without hard links (some SMB mounts): look, then rename.
      std::error_code ec;
      if (std::filesystem::exists(name, ec)) continue;
      commit_temp_file(temp, name);
      return name;
    }
    const int e = errno;
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    errno = e;
    fail(name, "cannot be created");
  }
}

}  // namespace invoicing::outputs

// The FileSystem's defaults for what every platform does alike: folders through
// std::filesystem, the machine's clocks, sleeping and random device, and the durable copy built
// on the virtual calls (so a test file system sees every byte of it).
#include <fmt/format.h>

#include <random>
#include <thread>
#include <vector>

#include "xbase/error.h"
#include "xbase/file.h"

namespace xbase {

void FileSystem::create_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(Errc::io, {dir.string(), {}, {}, {}}, fmt::format("cannot create the folder: {}", ec.message()));
}

std::chrono::steady_clock::time_point FileSystem::now() { return std::chrono::steady_clock::now(); }

void FileSystem::sleep_for(std::chrono::microseconds d) { std::this_thread::sleep_for(d); }

void FileSystem::yield() { std::this_thread::yield(); }

std::tm FileSystem::local_time() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
#ifdef _WIN32
  localtime_s(&tm, &t);
#else
  localtime_r(&t, &tm);
#endif
  return tm;
}

uint64_t FileSystem::random() {
  thread_local std::random_device rd;
  return uint64_t(rd()) << 32 ^ rd();
}

void copy_durably(FileSystem& fs, const std::filesystem::path& from, const std::filesystem::path& to) {
  auto in = fs.open(from, OpenMode::read_only);
  auto out = fs.open(to, OpenMode::create);
  std::vector<uint8_t> buf(1 << 20);
  uint64_t off = 0;
  for (;;) {
    size_t n = in->read_at(off, buf.data(), buf.size());
    if (!n) break;
    out->write_at(off, buf.data(), n);
    off += n;
  }
  out->sync();
  if (out->size() != in->size())
    throw Error(Errc::io, {to.string(), {}, {}, {}}, "the copy did not read back at full size");
  fs.sync_dir(to.parent_path().empty() ? std::filesystem::path(".") : to.parent_path());
}

}  // namespace xbase

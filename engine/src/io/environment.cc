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

// Look, then rename: a file system's own means (a hard link, a rename that refuses to replace)
// close the window between the two where they can.
bool FileSystem::rename_unless_exists(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (exists(to)) return false;
  rename(from, to);
  return true;
}

bool FileSystem::hard_link(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  std::filesystem::create_hard_link(from, to, ec);
  return !ec;
}

void FileSystem::remove_all(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (ec) throw Error(Errc::io, {dir.string(), {}, {}, {}}, fmt::format("cannot remove the folder: {}", ec.message()));
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

namespace {

std::filesystem::path folder_of(const std::filesystem::path& p) {
  return p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
}

std::unique_ptr<File> copy_into(FileSystem& fs, const std::filesystem::path& from, const std::filesystem::path& to,
                                uint64_t& copied) {
  auto in = fs.open(from, OpenMode::read_only);
  auto out = fs.open(to, OpenMode::create);
  std::vector<uint8_t> buf(1 << 20);
  copied = 0;
  for (;;) {
    size_t n = in->read_at(copied, buf.data(), buf.size());
    if (!n) break;
    out->write_at(copied, buf.data(), n);
    copied += n;
  }
  return out;
}

}  // namespace

void copy_file(FileSystem& fs, const std::filesystem::path& from, const std::filesystem::path& to) {
  uint64_t copied = 0;
  copy_into(fs, from, to, copied);
}

void copy_durably(FileSystem& fs, const std::filesystem::path& from, const std::filesystem::path& to) {
  uint64_t copied = 0;
  auto out = copy_into(fs, from, to, copied);
  out->sync();
  if (out->size() != copied) throw Error(Errc::io, {to.string(), {}, {}, {}}, "the copy did not read back at full size");
  fs.sync_dir(folder_of(to));
}

void write_durably(FileSystem& fs, const std::filesystem::path& target, std::string_view bytes) {
  const std::filesystem::path temp =
      folder_of(target) / fmt::format(".{}.tmp-{:016x}", target.filename().string(), fs.random());
  try {
    auto out = fs.open(temp, OpenMode::create);
    if (!bytes.empty()) out->write_at(0, bytes.data(), bytes.size());
    out->sync();
    out.reset();
    fs.rename(temp, target);
  } catch (...) {
    try {
      fs.remove(temp);
    } catch (const Error&) {
    }
    throw;
  }
  fs.sync_dir(folder_of(target));
}

std::string read_whole(FileSystem& fs, const std::filesystem::path& p) {
  auto in = fs.open(p, OpenMode::read_only);
  std::string out(in->size(), '\0');
  out.resize(in->read_at(0, out.data(), out.size()));
  return out;
}

bool read_whole_within(File& f, size_t limit, std::vector<uint8_t>& out) {
  out.resize(limit);
  out.resize(f.read_at(0, out.data(), out.size()));
  return out.size() < limit;
}

}  // namespace xbase

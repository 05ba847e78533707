#include "outputs/atomic_file.h"

#include <unistd.h>

#include <atomic>

#include "xbase/error.h"
#include "xbase/file.h"

namespace invoicing::outputs {

namespace {

// Outputs are written through the engine's file system like every other file the program
// changes (one place that knows POSIX from Windows, syncs and renames).
xbase::FileSystem& fsys() { return xbase::FileSystem::os(); }

std::filesystem::path folder_of(const std::filesystem::path& p) {
  return p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
}

// The bytes in a fresh temp file beside `target`, synced; returns its name.
std::filesystem::path write_temp(const std::filesystem::path& target, std::string_view bytes) {
  const std::filesystem::path temp = temp_path_beside(target);
  try {
    auto out = fsys().open(temp, xbase::OpenMode::create);
    if (!bytes.empty()) out->write_at(0, bytes.data(), bytes.size());
    out->sync();
  } catch (...) {
    discard_temp_file(temp);
    throw;
  }
  return temp;
}

}  // namespace

void discard_temp_file(const std::filesystem::path& temp) {
  try {
    fsys().remove(temp);
  } catch (const xbase::Error&) {
  }
}

std::filesystem::path temp_path_beside(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  for (;;) {
    std::filesystem::path p = folder_of(target) / ("." + target.filename().string() + ".tmp-" +
                                                   std::to_string(::getpid()) + "-" + std::to_string(++counter));
    if (!fsys().exists(p)) return p;
  }
}

void commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& target) {
  try {
    fsys().open(temp, xbase::OpenMode::read_only)->sync();
    fsys().rename(temp, target);
  } catch (...) {
    discard_temp_file(temp);
    throw;
  }
  fsys().sync_dir(folder_of(target));
}

void write_file_atomically(const std::filesystem::path& target, std::string_view bytes) {
  xbase::write_durably(fsys(), target, bytes);
}

std::filesystem::path write_new_file(const std::filesystem::path& wanted, std::string_view bytes) {
  const std::filesystem::path temp = write_temp(wanted, bytes);
  const std::filesystem::path folder = folder_of(wanted);
  const std::string stem = wanted.stem().string(), ext = wanted.extension().string();
  try {
    for (int n = 1;; ++n) {
      const std::filesystem::path name = n == 1 ? wanted : folder / (stem + "-" + std::to_string(n) + ext);
      // Never over an existing file: two programs that want the same name each get their own.
      if (fsys().rename_unless_exists(temp, name)) {
        fsys().sync_dir(folder);
        return name;
      }
    }
  } catch (...) {
    discard_temp_file(temp);
    throw;
  }
}

}  // namespace invoicing::outputs

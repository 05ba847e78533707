#include "backup/temp_folder.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#include "store/errors.h"
#include "xbase/error.h"

namespace fs = std::filesystem;

namespace invoicing::backup {

namespace {

constexpr const char* kPrefix = "invoicing-backup-";
constexpr const char* kOwnerLock = "OWNER.LCK";
constexpr auto kNoLockGrace = std::chrono::hours(1);

xbase::FileSystem& fsys() { return xbase::FileSystem::os(); }

void remove_quietly(const fs::path& p) {
  try {
    fsys().remove_all(p);
  } catch (const xbase::Error&) {
  }
}

// True when `dir` was abandoned, and then it is removed; a live owner's folder is left alone.
bool remove_if_abandoned(const fs::path& dir) {
  std::unique_ptr<xbase::File> lock;
  try {
    lock = fsys().open(dir / kOwnerLock, xbase::OpenMode::read_write);
  } catch (const xbase::Error&) {
    // No lock file: its maker is between making the folder and the file, or died there, or
    // is an earlier release (which had none). Only an old one is taken to be abandoned.
    std::error_code ec;
    const auto changed = fs::last_write_time(dir, ec);
    if (ec || fs::file_time_type::clock::now() - changed < kNoLockGrace) return false;
    remove_quietly(dir);
    return true;
  }
  try {
    if (!lock->lock(0, 1, xbase::LockMode::exclusive, false)) return false;  // in use
  } catch (const xbase::Error&) {
    return false;
  }
  // Removed under our lock: a maker that opened the file before we removed it finds its lock
  // taken or the file gone, and starts over under another name (TempFolder's constructor).
  // Windows only marks an open file deleted, so the folder is not empty yet: removed again
  // once the lock file is closed.
  remove_quietly(dir);
  lock.reset();
  std::error_code ec;
  if (fs::exists(dir, ec)) remove_quietly(dir);
  return true;
}

}  // namespace

int remove_abandoned_temp_folders(const fs::path& base) {
  std::vector<std::string> names;
  try {
    names = fsys().list_dir(base);
  } catch (const xbase::Error&) {
    return 0;
  }
  int removed = 0;
  for (const auto& name : names) {
    if (name.rfind(kPrefix, 0) != 0) continue;
    std::error_code ec;
    const fs::path dir = base / name;
    if (!fs::is_directory(dir, ec)) continue;
    if (remove_if_abandoned(dir)) ++removed;
  }
  return removed;
}

int remove_abandoned_temp_folders() {
  std::error_code ec;
  const fs::path base = fs::temp_directory_path(ec);
  return ec ? 0 : remove_abandoned_temp_folders(base);
}

TempFolder::TempFolder() {
  auto& files = fsys();
  const fs::path base = fs::temp_directory_path();
  remove_abandoned_temp_folders(base);
  for (int attempt = 1;; ++attempt) {
    path = base / fmt::format("{}{}-{:016x}", kPrefix, getpid(), files.random());
    files.create_directories(path);
    owner_ = files.open(path / kOwnerLock, xbase::OpenMode::create);
    // Another process's sweep may have found the folder before our lock: then its lock is
    // held, or it removed the file; either way this name is given up.
    if (owner_->lock(0, 1, xbase::LockMode::exclusive, false) && files.exists(path / kOwnerLock)) return;
    owner_.reset();
    remove_quietly(path);
    if (attempt == 8)
      throw store::UserError(fmt::format("cannot lock a temporary folder in {} (8 attempts): is its file "
                                         "system one without locks?", base.string()));
  }
}

TempFolder::~TempFolder() {
  owner_.reset();  // closed first: Windows removes no file that is open
  remove_quietly(path);
}

}  // namespace invoicing::backup

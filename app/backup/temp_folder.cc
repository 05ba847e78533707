#include "backup/temp_folder.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#ifndef _WIN32
#include <sys/stat.h>
#endif

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

// Removes a folder whose OWNER.LCK `lock` holds locked. Windows only marks an open file
// deleted, so the folder is not empty yet then: removed again once the lock file is closed.
void remove_locked(const fs::path& dir, std::unique_ptr<xbase::File>& lock) {
  remove_quietly(dir);
  lock.reset();
  std::error_code ec;
  if (fs::exists(dir, ec)) remove_quietly(dir);
}

// Ours to look at: a folder, not a link to one, and (POSIX; a shared /tmp) made by this user.
bool own_folder(const fs::path& dir) {
#ifndef _WIN32
  struct stat st;
  return ::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid();
#else
  std::error_code ec;
  return fs::is_directory(fs::symlink_status(dir, ec));
#endif
}

// True when `dir` was abandoned, and then it is removed; a live owner's folder is left alone.
bool remove_if_abandoned(const fs::path& dir) {
  std::unique_ptr<xbase::File> lock;
  try {
    lock = fsys().open(dir / kOwnerLock, xbase::OpenMode::read_write);
  } catch (const xbase::Error& e) {
    // Not to be opened for another reason (permissions, no descriptors left, a file being
    // deleted): left alone, its owner may be at work.
    if (e.code() != xbase::Errc::not_found) return false;
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
  remove_locked(dir, lock);
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
    const fs::path dir = base / name;
    if (own_folder(dir) && remove_if_abandoned(dir)) ++removed;
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
#ifndef _WIN32
    // The company's data: for this user only (a shared /tmp; Windows' %TEMP% is the user's).
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
#endif
    bool locked = false;
    try {
      owner_ = files.open(path / kOwnerLock, xbase::OpenMode::create);
      locked = owner_->lock(0, 1, xbase::LockMode::exclusive, false);
    } catch (const xbase::Error&) {
      // A file system without byte-range locks: the backup goes on without one. No sweep
      // removes the folder meanwhile (its lock cannot be taken there either); a killed
      // process's folder stays, as before.
      if (owner_) return;
      remove_quietly(path);
      throw;
    }
    // Another process's sweep may have found the folder before our lock: then its lock is
    // held, or it removed the file; either way this name is given up.
    if (locked && files.exists(path / kOwnerLock)) return;
    owner_.reset();
    remove_quietly(path);
    if (attempt == 8)
      throw store::UserError(fmt::format("cannot lock a temporary folder in {} (8 attempts): is its file "
                                         "system one without locks?", base.string()));
  }
}

TempFolder::~TempFolder() { remove_locked(path, owner_); }

}  // namespace invoicing::backup

#include "store/folder/folder_swap.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>

#include "store/errors.h"
#include "store/folder/folder_storage.h"
#include "xbase/file.h"
#include "xbase/table.h"

namespace fs = std::filesystem;

namespace invoicing::store::folder {

namespace {

fs::path absolute_of(const fs::path& dir) {
  fs::path a = fs::absolute(dir).lexically_normal();
  if (a.filename().empty()) a = a.parent_path();
  return a;
}

std::string prefix_of(const fs::path& dir, const char* what) {
  return "." + absolute_of(dir).filename().string() + "." + what + "-";
}

std::vector<fs::path> siblings(const fs::path& dir, const char* what) {
  std::vector<fs::path> out;
  const fs::path parent = absolute_of(dir).parent_path();
  const std::string prefix = prefix_of(dir, what);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
  return out;
}

// A staging folder's owner is alive while it holds the lock on its lock file.
bool owner_alive(const fs::path& folder) {
  if (!fs::exists(folder / kStagingLock)) return false;
  try {
    auto f = xbase::FileSystem::os().open(folder / kStagingLock, xbase::OpenMode::read_write);
    if (!f->lock(0, 1, xbase::LockMode::exclusive, false)) return true;
    f->unlock(0, 1);
  } catch (const std::exception&) {
  }
  return false;
}

void sync_dir(const fs::path& d) { xbase::FileSystem::os().sync_dir(d); }

void remove_tree(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

}  // namespace

Staging::Staging(const fs::path& dir) {
  const fs::path parent = absolute_of(dir).parent_path();
  fs::create_directories(parent);
  path_ = parent / (prefix_of(dir, "restore") + std::to_string(getpid()));
  remove_tree(path_);  // a dead process of the same number left it
  fs::create_directory(path_);
  std::ofstream(path_ / kStagingLock).put('\0');
  lock_ = xbase::FileSystem::os().open(path_ / kStagingLock, xbase::OpenMode::read_write);
  lock_->lock(0, 1, xbase::LockMode::exclusive, false);
}

Staging::~Staging() {
  if (!swapped_) remove_tree(path_);
}

void Staging::swap_into(const fs::path& target, const std::function<void(const char*)>& step) {
  const fs::path dir = absolute_of(target);
  const fs::path parent = dir.parent_path();
  // 1. The staging folder is complete: marked, and the mark made durable.
  {
    std::ofstream(path_ / kStagingMark) << "complete\n";
    auto f = xbase::FileSystem::os().open(path_ / kStagingMark, xbase::OpenMode::read_write);
    f->sync();
  }
  sync_dir(path_);
  step("marked");
  // 2. Nobody in the old folder, and nobody gets in: every table held for exclusive use.
  std::vector<std::unique_ptr<xbase::Table>> held;
  const bool had_old = fs::exists(dir);
  if (had_old) {
    for (const auto& def : dictionary()) {
      const fs::path p = table_path(dir, def);
      if (!fs::exists(p)) continue;
      xbase::OpenOptions ex;
      ex.exclusive = true;
      try {
        held.push_back(xbase::Table::open(p, ex));
      } catch (const xbase::Error& e) {
        if (e.code() != xbase::Errc::in_use) throw;
        held.clear();
        auto users = folder_users(dir);
        std::string who;
        for (const auto& u : users) who += (who.empty() ? "" : ", ") + u;
        throw UserError(fmt::format("{} is in use{}: close invoicing on every workstation, then restore again "
                                    "(nothing was changed)",
                                    dir.string(), who.empty() ? " by a program without a seat" : " by " + who));
      }
    }
  }
  // 3. The old folder out of the way (renamed, still whole), 4. the new one into its place.
  const fs::path old = parent / (prefix_of(dir, "replaced") + std::to_string(getpid()));
  if (had_old) {
    remove_tree(old);
    std::error_code ec;
    fs::rename(dir, old, ec);
    if (ec)
      throw UserError(fmt::format("{} cannot be renamed ({}): a restore that replaces the data folder needs it to "
                                  "be a folder inside a writable folder, not a share or drive root (nothing was "
                                  "changed)",
                                  dir.string(), ec.message()));
    sync_dir(parent);
    step("old-moved");
  }
  fs::rename(path_, dir);
  swapped_ = true;
  sync_dir(parent);
  step("new-moved");
  // 5. The old folder goes, then the mark: the swap is complete.
  held.clear();
  if (had_old) {
    remove_tree(old);
    step("old-removed");
  }
  fs::remove(dir / kStagingMark);
  fs::remove(dir / kStagingLock);
  path_ = dir;
}

void settle_replace(const fs::path& target, bool tidy) {
  const fs::path dir = absolute_of(target);
  const bool marked = fs::exists(dir / kStagingMark);
  if (fs::exists(dir) && !marked && !tidy) return;
  if (!fs::exists(dir)) {
    bool settled = false;
    for (const auto& s : siblings(dir, "restore")) {
      if (!fs::exists(s / kStagingMark)) continue;
      if (owner_alive(s))
        throw UserError(fmt::format("a restore is replacing the data folder {} right now; try again in a moment",
                                    dir.string()));
      std::error_code ec;
      fs::rename(s, dir, ec);  // roll forward: the new folder was complete
      if (!ec) {
        sync_dir(dir.parent_path());
        settled = true;
        break;
      }
    }
    if (!settled)
      for (const auto& o : siblings(dir, "replaced")) {
        std::error_code ec;
        fs::rename(o, dir, ec);  // roll back: the new folder never was complete
        if (!ec) {
          sync_dir(dir.parent_path());
          break;
        }
      }
    if (!fs::exists(dir)) return;
  }
  if (fs::exists(dir / kStagingMark)) {
    if (owner_alive(dir)) return;  // its restore is removing the old folder right now
    for (const auto& o : siblings(dir, "replaced")) remove_tree(o);
    fs::remove(dir / kStagingMark);
    std::error_code ec;
    fs::remove(dir / kStagingLock, ec);
  }
  if (tidy) {
    for (const auto& s : siblings(dir, "restore"))
      if (!owner_alive(s)) remove_tree(s);
    for (const auto& o : siblings(dir, "replaced")) remove_tree(o);
  }
}

std::vector<std::string> folder_users(const fs::path& dir) {
  std::vector<std::string> out;
  try {
    auto s = FolderStorage::open(dir, false);
    for (const auto& h : s->seat_holders(1000)) out.push_back(h.who.user + " on " + h.who.workstation);
  } catch (const std::exception&) {
  }
  return out;
}

}  // namespace invoicing::store::folder

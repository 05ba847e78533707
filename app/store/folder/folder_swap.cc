#include "store/folder/folder_swap.h"

#include <fmt/format.h>
#include <unistd.h>

#include "store/errors.h"
#include "store/folder/folder_storage.h"
#include "xbase/file.h"
#include "xbase/table.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;

namespace invoicing::store::folder {

namespace {

fs::path absolute_of(const fs::path& dir) {
  fs::path a = xbase::absolute_path(dir);
  if (a.filename().empty()) a = a.parent_path();
  return a;
}

std::string prefix_of(const fs::path& dir, const char* what) {
  // fmt, not "." + std::string: GCC 12 warns of an overlapping memcpy there (-Wrestrict, a
  // false positive of its string inlining).
  return fmt::format(".{}.{}-", absolute_of(dir).filename().string(), what);
}

// Every file change here goes through the engine's file system (the same layer as the tables).
xbase::FileSystem& fsys() { return xbase::FileSystem::os(); }

std::vector<fs::path> siblings(const fs::path& dir, const char* what) {
  std::vector<fs::path> out;
  const fs::path parent = absolute_of(dir).parent_path();
  const std::string prefix = prefix_of(dir, what);
  for (const auto& name : fsys().list_dir(parent))
    if (name.rfind(prefix, 0) == 0) out.push_back(parent / name);
  return out;
}

// A staging folder's owner is alive while it holds the lock on its lock file.
bool owner_alive(const fs::path& folder) {
  if (!fsys().exists(folder / kStagingLock)) return false;
  try {
    auto f = fsys().open(folder / kStagingLock, xbase::OpenMode::read_write);
    if (!f->lock(0, 1, xbase::LockMode::exclusive, false)) return true;
    f->unlock(0, 1);
  } catch (const std::exception&) {
  }
  return false;
}

void sync_dir(const fs::path& d) { fsys().sync_dir(d); }

// Best effort: what is left is tidied by the next settle_replace.
void remove_tree(const fs::path& p) {
  try {
    fsys().remove_all(p);
  } catch (const xbase::Error&) {
  }
}

// Renames a folder; false (nothing changed) when the system refuses.
bool rename_folder(const fs::path& from, const fs::path& to, std::string* why = nullptr) {
  try {
    fsys().rename(from, to);
    return true;
  } catch (const xbase::Error& e) {
    if (why) *why = e.detail();
    return false;
  }
}

}  // namespace

Staging::Staging(const fs::path& dir) {
  const fs::path parent = absolute_of(dir).parent_path();
  path_ = parent / (prefix_of(dir, "restore") + std::to_string(getpid()));
  remove_tree(path_);  // a dead process of the same number left it
  fsys().create_directories(path_);
  lock_ = fsys().open(path_ / kStagingLock, xbase::OpenMode::create);
  lock_->lock(0, 1, xbase::LockMode::exclusive, false);
}

Staging::~Staging() {
  if (!swapped_) remove_tree(path_);
}

void Staging::swap_into(const fs::path& target, const std::function<void(const char*)>& step) {
  const fs::path dir = absolute_of(target);
  const fs::path parent = dir.parent_path();
  // 1. The staging folder is complete: marked, and the mark made durable.
  xbase::write_durably(fsys(), path_ / kStagingMark, "complete\n");
  step("marked");
  // 2. Nobody in the old folder, and nobody gets in: every table held for exclusive use.
  std::vector<std::unique_ptr<xbase::Table>> held;
  const bool had_old = fsys().exists(dir);
  if (had_old) {
    for (const auto& def : dictionary()) {
      const fs::path p = table_path(dir, def);
      if (!fsys().exists(p)) continue;
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
    std::string why;
    if (!rename_folder(dir, old, &why))
      throw UserError(fmt::format("{} cannot be renamed ({}): a restore that replaces the data folder needs it to "
                                  "be a folder inside a writable folder, not a share or drive root (nothing was "
                                  "changed)",
                                  dir.string(), why));
    sync_dir(parent);
    step("old-moved");
  }
  fsys().rename(path_, dir);
  swapped_ = true;
  sync_dir(parent);
  step("new-moved");
  // 5. The old folder goes, then the mark: the swap is complete.
  held.clear();
  if (had_old) {
    remove_tree(old);
    step("old-removed");
  }
  fsys().remove(dir / kStagingMark);
  fsys().remove(dir / kStagingLock);
  path_ = dir;
}

void settle_replace(const fs::path& target, bool tidy) {
  const fs::path dir = absolute_of(target);
  const bool marked = fsys().exists(dir / kStagingMark);
  if (fsys().exists(dir) && !marked && !tidy) return;
  if (!fsys().exists(dir)) {
    bool settled = false;
    for (const auto& s : siblings(dir, "restore")) {
      if (!fsys().exists(s / kStagingMark)) continue;
      if (owner_alive(s))
        throw UserError(fmt::format("a restore is replacing the data folder {} right now; try again in a moment",
                                    dir.string()));
      if (rename_folder(s, dir)) {  // roll forward: the new folder was complete
        sync_dir(dir.parent_path());
        settled = true;
        break;
      }
    }
    if (!settled)
      for (const auto& o : siblings(dir, "replaced")) {
        if (rename_folder(o, dir)) {  // roll back: the new folder never was complete
          sync_dir(dir.parent_path());
          break;
        }
      }
    if (!fsys().exists(dir)) return;
  }
  if (fsys().exists(dir / kStagingMark)) {
    if (owner_alive(dir)) return;  // its restore is removing the old folder right now
    for (const auto& o : siblings(dir, "replaced")) remove_tree(o);
    fsys().remove(dir / kStagingMark);
    try {
      fsys().remove(dir / kStagingLock);
    } catch (const xbase::Error&) {
    }
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

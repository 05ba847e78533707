#include "store/folder/folder_move.h"

#include <fmt/format.h>

#include <mutex>
#include <set>

#include "store/errors.h"
#include "xbase/error.h"
#include "xbase/file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;

namespace invoicing::store::folder {

namespace {

xbase::FileSystem& fsys() { return xbase::FileSystem::os(); }

// The folders this process moves: its own opens of them are no strangers (the lock is taken
// per open file, so this process would otherwise lock itself out).
std::mutex held_mutex;
std::set<std::string>& held() {
  static std::set<std::string> s;
  return s;
}

std::string key_of(const fs::path& dir) { return xbase::absolute_path(dir).string(); }

std::string read_text(xbase::File& f) {
  std::string text(size_t(f.size()), '\0');
  if (!text.empty()) f.read_at(0, text.data(), text.size());
  return text;
}

}  // namespace

MoveHold::MoveHold(const fs::path& dir, const std::string& what) : path_(dir / kMovingFile) {
  try {
    // Never truncated before it is ours: a running move's file says who moves.
    file_ = fsys().open(path_, fsys().exists(path_) ? xbase::OpenMode::read_write : xbase::OpenMode::create);
  } catch (const xbase::Error& e) {
    throw UserError(fmt::format("cannot hold {} for the move: {}", dir.string(), e.detail()));
  }
  if (!file_->lock(0, 1, xbase::LockMode::exclusive, false))
    throw UserError(fmt::format("the company of {} is being moved already ({})", dir.string(), read_text(*file_)));
  file_->truncate(0);
  file_->write_at(0, what.data(), what.size());
  file_->sync();
  std::lock_guard<std::mutex> lock(held_mutex);
  held().insert(key_of(dir));
}

MoveHold::~MoveHold() {
  {
    std::lock_guard<std::mutex> lock(held_mutex);
    held().erase(key_of(path_.parent_path()));
  }
  try {
    fsys().remove(path_);  // while still locked: nobody takes a finished move for a running one
  } catch (const xbase::Error&) {
  }
  file_.reset();
}

std::string move_under_way(const fs::path& dir) {
  const fs::path p = dir / kMovingFile;
  if (!fsys().exists(p)) return "";
  {
    std::lock_guard<std::mutex> lock(held_mutex);
    if (held().count(key_of(dir))) return "";
  }
  try {
    auto f = fsys().open(p, xbase::OpenMode::read_only);
    if (f->lock(0, 1, xbase::LockMode::shared, false)) {
      f->unlock(0, 1);
      return "";  // left by a move that died
    }
    const std::string what = read_text(*f);
    return what.empty() ? "by another workstation" : what;
  } catch (const xbase::Error&) {
    return "";  // gone meanwhile: the move ended
  }
}

}  // namespace invoicing::store::folder

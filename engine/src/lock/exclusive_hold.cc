#include "lock/exclusive_hold.h"

#include <map>
#include <mutex>

#include "lock/acquire.h"
#include "xbase/lock.h"
#include "xbase/error.h"

#ifndef _WIN32
#include <unistd.h>
#endif

namespace fs = std::filesystem;

namespace xbase::lock {

namespace {

std::mutex mu;
// Held paths, with the process that holds them: a child made by fork() inherits the map but
// none of the locks, and must not take the hold for its own.
std::map<std::string, long>& held() {
  static std::map<std::string, long> m;
  return m;
}

long this_process() {
#ifdef _WIN32
  return 0;
#else
  return long(::getpid());
#endif
}

std::string key_of(const fs::path& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  return (ec ? p : a).lexically_normal().string();
}

}  // namespace

ExclusiveHold::ExclusiveHold(FileSystem& fsys, const fs::path& dbf) : key_(key_of(dbf)) {
#ifdef _WIN32
  // Windows: a handle of ours kept open would refuse repair's own exclusive opens (share mode
  // 0 refuses every other handle, ours too), so nothing is held there and the window between
  // repair's opens stays (docs/multi-user.md).
  (void)fsys;
  return;
#endif
  file_ = fsys.open(dbf, OpenMode::read_write);
  const LockRange r = LockLayout::open();
  if (!acquire(fsys, *file_, r, LockMode::exclusive, LockWait::immediate()))
    throw Error(Errc::in_use, {dbf.string(), {}, {}, {}},
                "cannot open for exclusive use: another program has the table open");
  if (!whole_.take(*file_, LockMode::exclusive)) {
    file_->unlock(r.offset, r.length);
    throw Error(Errc::in_use, {dbf.string(), {}, {}, {}},
                "cannot open for exclusive use: another program (flock, as Harbour takes it) has "
                "the table open");
  }
  std::lock_guard<std::mutex> g(mu);
  held()[key_] = this_process();
}

ExclusiveHold::~ExclusiveHold() {
  if (!file_) return;  // Windows: nothing was held
  {
    std::lock_guard<std::mutex> g(mu);
    held().erase(key_);
  }
  whole_.release();
  try {
    const LockRange r = LockLayout::open();
    file_->unlock(r.offset, r.length);
  } catch (...) {
    // Closing the file below releases it anyway.
  }
}

bool ExclusiveHold::covers(const std::string& dbf_path) {
  std::lock_guard<std::mutex> g(mu);
  auto it = held().find(key_of(dbf_path));
  return it != held().end() && it->second == this_process();
}

}  // namespace xbase::lock

#include "store/folder/folder_gate.h"

#include <fmt/format.h>

#include "store/clock.h"
#include "store/errors.h"
#include "xbase/file.h"

namespace fs = std::filesystem;

namespace invoicing::store::folder {

namespace {
constexpr uint64_t kTurnstile = 0, kGate = 1;
}

CommitGate::CommitGate(const fs::path& dir) : path_(dir / kGateFile) {
  // Created without truncating: another workstation may hold locks on it already (a second
  // creator's empty file replaces an empty file; the locks are on byte ranges, not content).
  auto& fsys = xbase::FileSystem::os();
  if (!fsys.exists(path_)) fsys.open(path_, xbase::OpenMode::create);
  file_ = fsys.open(path_, xbase::OpenMode::read_write);
}

CommitGate::~CommitGate() { leave(); }

// Polls rather than blocks: a wait that never ends (a stopped backup) must end in a message.
bool CommitGate::take(uint64_t byte, bool exclusive, std::chrono::steady_clock::time_point deadline) {
  const auto mode = exclusive ? xbase::LockMode::exclusive : xbase::LockMode::shared;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    if (file_->lock(byte, 1, mode, false)) return true;
    if (steady_now() >= deadline) return false;
    sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

void CommitGate::enter_shared(std::chrono::milliseconds wait) {
  release_left();  // held, a backup waiting for the gate would hold the turnstile we wait for
  const auto deadline = steady_now() + wait;
  if (!take(kTurnstile, false, deadline))
    throw Busy(fmt::format("a backup has been copying the data folder for over {} s; nothing was changed, try "
                           "again when it is done",
                           std::chrono::duration_cast<std::chrono::seconds>(wait).count()));
  turnstile_ = true;
  // Free at once unless a backup slipped in between; it then holds the turnstile as well.
  bool ok = take(kGate, false, deadline);
  file_->unlock(kTurnstile, 1);
  turnstile_ = false;
  if (!ok) throw Busy("a backup is copying the data folder; nothing was changed, try again when it is done");
  gate_ = true;
}

void CommitGate::enter_exclusive(std::chrono::milliseconds wait) {
  release_left();
  const auto deadline = steady_now() + wait;
  if (!take(kTurnstile, true, deadline))
    throw Busy("another backup is copying the data folder; try again when it is done");
  turnstile_ = true;
  if (!take(kGate, true, deadline)) {
    leave();
    throw Busy(fmt::format("a workstation has been saving a change for over {} s; the backup was not made",
                           std::chrono::duration_cast<std::chrono::seconds>(wait).count()));
  }
  gate_ = true;
}

void CommitGate::leave() noexcept {
  try {
    if (gate_) file_->unlock(kGate, 1);
    if (turnstile_) file_->unlock(kTurnstile, 1);
  } catch (...) {
  }
  gate_ = turnstile_ = false;
}

void CommitGate::leave_to_close() noexcept {
#ifdef _WIN32
  leave();
#else
  if (turnstile_) return leave();  // a backup's hold: let go at once
  left_ = left_ || gate_;
  gate_ = false;
#endif
}

void CommitGate::release_left() noexcept {
  if (!left_) return;
  left_ = false;
  try {
    file_->unlock(kGate, 1);
  } catch (...) {
  }
}

}  // namespace invoicing::store::folder

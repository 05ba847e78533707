// The commit gate of a data folder: what makes a backup one moment in time while colleagues
// keep working. Every action's commit passes the gate in shared mode (many commits at once);
// a backup closes it (exclusive) for as long as it copies the tables, so that no commit is
// halfway written into the files it copies. docs/backup.md describes the protocol.
//
// Two bytes of GATE.LCK in the data folder, byte-range locked (open file description locks,
// so a dead process's hold vanishes with it):
//   byte 0, the turnstile: a commit takes it shared only on its way in; a backup takes it
//     exclusive first, so that new commits queue behind it instead of starving it;
//   byte 1, the gate: held shared by a commit for the whole commit; a backup takes it
//     exclusive once the commits already in have left.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

namespace xbase {
class File;
}

namespace invoicing::store::folder {

inline constexpr const char* kGateFile = "GATE.LCK";

class CommitGate {
 public:
  // Opens the folder's gate file, creating it when missing (folders made before the gate).
  explicit CommitGate(const std::filesystem::path& dir);
  ~CommitGate();
  CommitGate(const CommitGate&) = delete;
  CommitGate& operator=(const CommitGate&) = delete;

  // Around a commit: waits while a backup copies the folder, up to `wait`; then throws Busy.
  void enter_shared(std::chrono::milliseconds wait);
  // For a backup's copy: waits for the commits in flight to finish (new ones wait for us),
  // up to `wait`; then throws Busy.
  void enter_exclusive(std::chrono::milliseconds wait);
  // Leaves whichever was entered (nothing when none).
  void leave() noexcept;
  // Leaves it to the file's close instead, which drops the lock in the same call (POSIX; on
  // Windows, where a closed handle's locks go only "eventually", as leave()); release_left()
  // unlocks it if the gate is used again first (Storage::leave_locks_to_close).
  void leave_to_close() noexcept;
  void release_left() noexcept;

  // Holds the gate for a scope.
  class Pass {
   public:
    Pass(CommitGate& g, bool exclusive, std::chrono::milliseconds wait) : g_(g) {
      exclusive ? g_.enter_exclusive(wait) : g_.enter_shared(wait);
    }
    ~Pass() { g_.leave(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    CommitGate& g_;
  };

 private:
  bool take(uint64_t byte, bool exclusive, std::chrono::steady_clock::time_point deadline);
  std::filesystem::path path_;
  std::unique_ptr<xbase::File> file_;
  bool turnstile_ = false, gate_ = false;
  bool left_ = false;  // the gate's lock left to the close
};

// How long a commit waits for a backup's copy, and a backup for the commits in flight.
inline constexpr std::chrono::minutes kGateWait{10};

}  // namespace invoicing::store::folder

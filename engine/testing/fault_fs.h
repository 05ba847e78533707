// A FileSystem that wraps another one and injects faults into mutating operations, for tests:
// fail the Nth one (and, like a dead connection, every one after it), tear it (only the first
// k bytes of a write arrive), or drop it silently. Counts every mutating operation, so a test
// can first count them and then fail each one in turn.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "io/forwarding_fs.h"

namespace xbase {

struct FaultPlan {
  uint64_t at = 0;                    // 1-based mutating operation to hit; 0 = none
  enum class Kind { fail, tear, drop } kind = Kind::fail;
  size_t torn_bytes = 0;              // for tear: bytes of the write that reach the file
  bool dead_after = true;             // every later mutating operation fails too
};

class FaultFileSystem final : public ForwardingFileSystem {
 public:
  explicit FaultFileSystem(FileSystem& base) : ForwardingFileSystem(base) {}
  void plan(const FaultPlan& p) {
    plan_ = p;
    dead_ = false;
  }
  // A commit writes and syncs its files side by side when the base allows it: the count and
  // the plan are guarded, so "dies at operation N" still means the Nth operation in time.
  bool parallel_files() override { return base_.parallel_files(); }
  uint64_t ops() const { return ops_; }  // mutating operations seen so far
  // The files synced so far, in order (one entry per fsync).
  const std::vector<std::string>& synced() const { return synced_; }
  void reset_count() {
    ops_ = 0;
    synced_.clear();
  }
  bool triggered() const { return dead_ || hit_; }

  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override;
  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
  // Through this file system's own exists and rename, so both can be faulted.
  bool rename_unless_exists(const std::filesystem::path& from, const std::filesystem::path& to) override {
    return FileSystem::rename_unless_exists(from, to);
  }
  void remove(const std::filesystem::path& p) override;
  void sync_dir(const std::filesystem::path& dir) override;

  // Called by every mutating operation; returns what to do with it.
  enum class Action { proceed, fail, tear, drop };
  Action next_op(const std::string& path);
  void note_sync(const std::string& path) {
    std::lock_guard<std::mutex> g(mu_);
    synced_.push_back(path);
  }
  size_t torn_bytes() const { return plan_.torn_bytes; }

 private:
  FaultPlan plan_;
  std::atomic<uint64_t> ops_{0};
  bool dead_ = false;
  bool hit_ = false;
  std::vector<std::string> synced_;
  std::mutex mu_;
};

}  // namespace xbase

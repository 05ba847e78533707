#include "testing/fault_fs.h"

#include <fmt/format.h>

#include "xbase/error.h"

namespace xbase {

namespace {

[[noreturn]] void injected(const std::string& path, uint64_t op) {
  throw Error(Errc::io, {path, {}, {}, {}}, fmt::format("injected fault at operation {}", op));
}

// Reads, sizes and locks pass through; writes, cuts and syncs meet the plan.
class FaultFile final : public ForwardingFile {
 public:
  FaultFile(FaultFileSystem& fs, std::unique_ptr<File> base) : ForwardingFile(std::move(base)), fs_(fs) {}

  void write_at(uint64_t off, const void* buf, size_t n) override {
    switch (fs_.next_op(path())) {
      case FaultFileSystem::Action::proceed: base_->write_at(off, buf, n); return;
      case FaultFileSystem::Action::drop: return;
      case FaultFileSystem::Action::tear:
        base_->write_at(off, buf, std::min(n, fs_.torn_bytes()));
        injected(path(), fs_.ops());
      case FaultFileSystem::Action::fail: injected(path(), fs_.ops());
    }
  }
  void truncate(uint64_t size) override {
    auto a = fs_.next_op(path());
    if (a == FaultFileSystem::Action::proceed) return base_->truncate(size);
    if (a == FaultFileSystem::Action::drop) return;
    injected(path(), fs_.ops());
  }
  void sync() override {
    auto a = fs_.next_op(path());
    if (a == FaultFileSystem::Action::proceed) {
      base_->sync();
      fs_.note_sync(path());
      return;
    }
    if (a == FaultFileSystem::Action::drop) return;
    injected(path(), fs_.ops());
  }

 private:
  FaultFileSystem& fs_;
};

}  // namespace

FaultFileSystem::Action FaultFileSystem::next_op(const std::string&) {
  std::lock_guard<std::mutex> g(mu_);
  ++ops_;
  if (dead_) return Action::fail;
  if (plan_.at != 0 && ops_ == plan_.at) {
    hit_ = true;
    if (plan_.dead_after) dead_ = true;
    switch (plan_.kind) {
      case FaultPlan::Kind::fail: return Action::fail;
      case FaultPlan::Kind::tear: return Action::tear;
      case FaultPlan::Kind::drop: return Action::drop;
    }
  }
  return Action::proceed;
}

std::unique_ptr<File> FaultFileSystem::open(const std::filesystem::path& p, OpenMode mode) {
  if (mode == OpenMode::create) {
    auto a = next_op(p.string());
    if (a == Action::fail || a == Action::tear) injected(p.string(), ops_);
  }
  return std::make_unique<FaultFile>(*this, base_.open(p, mode));
}

void FaultFileSystem::rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  auto a = next_op(from.string());
  if (a == Action::drop) return;
  if (a != Action::proceed) injected(from.string(), ops_);
  base_.rename(from, to);
}

void FaultFileSystem::remove(const std::filesystem::path& p) {
  auto a = next_op(p.string());
  if (a == Action::drop) return;
  if (a != Action::proceed) injected(p.string(), ops_);
  base_.remove(p);
}

void FaultFileSystem::sync_dir(const std::filesystem::path& dir) {
  auto a = next_op(dir.string());
  if (a == Action::drop) return;
  if (a != Action::proceed) injected(dir.string(), ops_);
  base_.sync_dir(dir);
}

}  // namespace xbase

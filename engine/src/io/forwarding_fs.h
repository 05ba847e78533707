// A FileSystem that passes every call to another one: the base of the file systems that wrap
// the real one to change a few calls (staging a transaction's writes, injecting faults), so a
// call added to FileSystem reaches the machine through every wrapper.
#pragma once

#include "xbase/file.h"

namespace xbase {

// A File that passes every call to another one: the base of the files such wrappers hand out
// when they change a few calls (count reads, hold syncs back, refuse writes).
class ForwardingFile : public File {
 public:
  explicit ForwardingFile(std::unique_ptr<File> base) : base_(std::move(base)) {}
  size_t read_at(uint64_t off, void* buf, size_t n) override { return base_->read_at(off, buf, n); }
  void write_at(uint64_t off, const void* buf, size_t n) override { base_->write_at(off, buf, n); }
  uint64_t size() override { return base_->size(); }
  std::optional<uint64_t> size_at_open() override { return base_->size_at_open(); }
  void truncate(uint64_t size) override { base_->truncate(size); }
  void sync() override { base_->sync(); }
  bool lock(uint64_t off, uint64_t len, LockMode mode, bool wait) override {
    return base_->lock(off, len, mode, wait);
  }
  void unlock(uint64_t off, uint64_t len) override { base_->unlock(off, len); }
  std::optional<LockInfo> probe(uint64_t off, uint64_t len) override { return base_->probe(off, len); }
  const std::string& path() const override { return base_->path(); }

 protected:
  std::unique_ptr<File> base_;
};

class ForwardingFileSystem : public FileSystem {
 public:
  explicit ForwardingFileSystem(FileSystem& base) : base_(base) {}
  FileSystem& base() { return base_; }

  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override { return base_.open(p, mode); }
  bool exists(const std::filesystem::path& p) override { return base_.exists(p); }
  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override { base_.rename(from, to); }
  bool rename_unless_exists(const std::filesystem::path& from, const std::filesystem::path& to) override {
    return base_.rename_unless_exists(from, to);
  }
  bool hard_link(const std::filesystem::path& from, const std::filesystem::path& to) override {
    return base_.hard_link(from, to);
  }
  void remove(const std::filesystem::path& p) override { base_.remove(p); }
  void sync_dir(const std::filesystem::path& dir) override { base_.sync_dir(dir); }
  std::vector<std::string> list_dir(const std::filesystem::path& dir) override { return base_.list_dir(dir); }
  void create_directories(const std::filesystem::path& dir) override { base_.create_directories(dir); }
  void remove_all(const std::filesystem::path& dir) override { base_.remove_all(dir); }
  std::chrono::steady_clock::time_point now() override { return base_.now(); }
  void sleep_for(std::chrono::microseconds d) override { base_.sleep_for(d); }
  void yield() override { base_.yield(); }
  std::tm local_time() override { return base_.local_time(); }
  uint64_t random() override { return base_.random(); }

 protected:
  FileSystem& base_;
};

}  // namespace xbase

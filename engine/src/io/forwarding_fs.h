// A FileSystem that passes every call to another one: the base of the file systems that wrap
// the real one to change a few calls (staging a transaction's writes, injecting faults), so a
// call added to FileSystem reaches the machine through every wrapper.
#pragma once

#include "xbase/file.h"

namespace xbase {

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

// An in-memory xbase::FileSystem for unit tests and the fuzz targets: files are
// byte vectors keyed by path, shared between the file system and every open handle (so what a
// handle writes is there after it is closed). Locks always succeed. A size cap makes a write
// far past the end of a file fail like a full disk (Errc::io) instead of exhausting memory.
#pragma once

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xbase/error.h"
#include "xbase/file.h"

namespace xbase::test {

class MemFileSystem final : public FileSystem {
 public:
  using Bytes = std::vector<uint8_t>;

  explicit MemFileSystem(uint64_t max_file_size = 64ull << 20) : max_size_(max_file_size) {}

  // Puts a file in place (replacing any file of that name).
  void put(const std::filesystem::path& p, const void* data, size_t n) {
    auto b = std::make_shared<Bytes>(static_cast<const uint8_t*>(data),
                                     static_cast<const uint8_t*>(data) + n);
    files_[key(p)] = std::move(b);
  }
  void put(const std::filesystem::path& p, std::string_view s) { put(p, s.data(), s.size()); }
  // The current bytes of a file (empty when absent).
  Bytes get(const std::filesystem::path& p) const {
    auto it = files_.find(key(p));
    return it == files_.end() ? Bytes() : *it->second;
  }
  uint64_t max_file_size() const { return max_size_; }
  // Whether some write or truncate was refused for passing the size cap.
  bool cap_hit() const { return *cap_hit_; }
  // Whether something tried to change a file opened read-only.
  bool read_only_write() const { return *ro_write_; }

  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override {
    std::string k = key(p);
    auto it = files_.find(k);
    if (mode == OpenMode::create) {
      auto b = std::make_shared<Bytes>();
      files_[k] = b;
      return std::make_unique<MemFile>(k, b, false, max_size_, cap_hit_, ro_write_);
    }
    if (it == files_.end())
      throw Error(Errc::not_found, {k, {}, {}, {}}, "cannot open: no such file");
    return std::make_unique<MemFile>(k, it->second, mode == OpenMode::read_only, max_size_,
                                     cap_hit_, ro_write_);
  }

  bool exists(const std::filesystem::path& p) override { return files_.count(key(p)) != 0; }

  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    auto it = files_.find(key(from));
    if (it == files_.end())
      throw Error(Errc::not_found, {key(from), {}, {}, {}}, "cannot rename: no such file");
    auto b = it->second;
    files_.erase(it);
    files_[key(to)] = std::move(b);
  }

  void remove(const std::filesystem::path& p) override { files_.erase(key(p)); }
  bool hard_link(const std::filesystem::path&, const std::filesystem::path&) override { return false; }
  void sync_dir(const std::filesystem::path&) override {}
  void create_directories(const std::filesystem::path&) override {}  // paths are only keys here
  void remove_all(const std::filesystem::path& dir) override {
    const std::string d = dir.lexically_normal().string() + "/";
    for (auto it = files_.begin(); it != files_.end();) it = it->first.rfind(d, 0) == 0 ? files_.erase(it) : std::next(it);
  }

  std::vector<std::string> list_dir(const std::filesystem::path& dir) override {
    std::vector<std::string> out;
    std::string d = dir.lexically_normal().string();
    for (const auto& [k, _] : files_) {
      std::filesystem::path kp(k);
      if (kp.parent_path().string() == d) out.push_back(kp.filename().string());
    }
    return out;
  }

 private:
  class MemFile final : public File {
   public:
    MemFile(std::string path, std::shared_ptr<Bytes> b, bool ro, uint64_t max,
            std::shared_ptr<bool> cap_hit, std::shared_ptr<bool> ro_write)
        : path_(std::move(path)),
          b_(std::move(b)),
          ro_(ro),
          max_(max),
          cap_hit_(std::move(cap_hit)),
          ro_write_(std::move(ro_write)) {}

    size_t read_at(uint64_t off, void* buf, size_t n) override {
      if (off >= b_->size()) return 0;
      size_t k = std::min<uint64_t>(n, b_->size() - off);
      std::memcpy(buf, b_->data() + off, k);
      return k;
    }
    void write_at(uint64_t off, const void* buf, size_t n) override {
      if (ro_) {
        *ro_write_ = true;
        throw Error(Errc::io, {path_, off, {}, {}}, "write failed: file is read-only");
      }
      if (off > max_ || n > max_ - off) {
        *cap_hit_ = true;
        throw Error(Errc::io, {path_, off, {}, {}}, "write failed: no space left (mem fs cap)");
      }
      if (off + n > b_->size()) b_->resize(off + n, 0);
      if (n) std::memcpy(b_->data() + off, buf, n);
    }
    uint64_t size() override { return b_->size(); }
    void truncate(uint64_t size) override {
      if (ro_) {
        *ro_write_ = true;
        throw Error(Errc::io, {path_, size, {}, {}}, "truncate failed: file is read-only");
      }
      if (size > max_) {
        *cap_hit_ = true;
        throw Error(Errc::io, {path_, size, {}, {}}, "truncate failed: no space left");
      }
      b_->resize(size, 0);
    }
    void sync() override {}
    bool lock(uint64_t, uint64_t, LockMode, bool) override { return true; }
    void unlock(uint64_t, uint64_t) override {}
    const std::string& path() const override { return path_; }

   private:
    std::string path_;
    std::shared_ptr<Bytes> b_;
    bool ro_;
    uint64_t max_;
    std::shared_ptr<bool> cap_hit_;
    std::shared_ptr<bool> ro_write_;
  };

  static std::string key(const std::filesystem::path& p) { return p.lexically_normal().string(); }

  uint64_t max_size_;
  std::shared_ptr<bool> cap_hit_ = std::make_shared<bool>(false);
  std::shared_ptr<bool> ro_write_ = std::make_shared<bool>(false);
  std::map<std::string, std::shared_ptr<Bytes>> files_;
};

}  // namespace xbase::test

// Memo files: FPT (FoxPro/VFP) and DBT (dBASE III, dBASE IV). A DBF memo field stores a block
// number; the memo file maps block numbers to byte strings.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memo/memo_kind.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace xbase::memo {

// FPT block types (big-endian at the start of each block).
enum : uint32_t { kPicture = 0, kText = 1, kObject = 2 };

struct Block {
  uint32_t type = kText;
  std::string data;
};

class MemoFile {
 public:
  virtual ~MemoFile() = default;
  // Reads the memo at `block`. `where` names the record/field for errors.
  virtual Block read(uint32_t block, const Location& where) = 0;
  // Stores data (reusing old_block's space when it fits, as FoxPro does) and returns the block
  // number to put into the record; 0 for empty data. Data is written before it is referenced.
  virtual uint32_t write(uint32_t old_block, uint32_t type, std::string_view data) = 0;
  // Writes the header if it changed (only deferred in write-behind mode).
  virtual void flush() = 0;
  // Empties the memo file (zap).
  virtual void reset() = 0;
  // Reads the header again (after a rolled-back transaction, whose allocations are gone).
  virtual void reload() = 0;
  virtual uint32_t block_size() const = 0;
  // Blocks a memo of `data_size` bytes occupies from its first block (header included).
  virtual uint64_t blocks_used(size_t data_size) const = 0;
  virtual MemoKind kind() const = 0;
  File& file() { return *file_; }
  // Exclusive use: no other program changes the file, so memos once read are kept (up to
  // kCacheBytes) instead of read from the file again at every Record::get.
  void set_cache(bool on) {
    cache_on_ = on;
    forget_all();
  }

  // Opens an existing memo file; validates the header.
  static std::unique_ptr<MemoFile> open(MemoKind kind, std::unique_ptr<File> f,
                                        bool write_behind, std::vector<Warning>& warnings);
  // Initialises a new memo file (block_size 0 = the format's default).
  static std::unique_ptr<MemoFile> create(MemoKind kind, std::unique_ptr<File> f,
                                          uint32_t block_size, const std::string& table_stem,
                                          bool write_behind);

 protected:
  explicit MemoFile(std::unique_ptr<File> f) : file_(std::move(f)) {}
  std::unique_ptr<File> file_;

  // The memo cache (exclusive use only): read() asks it first and fills it; every write of
  // the file goes through put(), which forgets each memo read from the bytes it overwrites
  // (not only the one at the block written: a corrupt file's memos may overlap, and a DBT
  // write reads the old memo to size it), reset() and reload() forget everything.
  const Block* cached(uint64_t off) const {
    auto it = cache_.find(off);
    return it == cache_.end() ? nullptr : &it->second.block;
  }
  // The memo at byte `off`, read from the bytes up to `end` (header and terminator included).
  void remember(uint64_t off, uint64_t end, const Block& b) {
    if (!cache_on_ || b.data.size() > kCacheBytes / 4) return;
    if (cache_bytes_ + b.data.size() > kCacheBytes) forget_all();
    forget_at(off);
    cache_bytes_ += b.data.size();
    widest_ = std::max(widest_, end - off);
    cache_.emplace(off, Cached{b, end});
  }
  void put(uint64_t off, const void* p, size_t n) {
    if (!cache_.empty()) forget_range(off, n);
    file_->write_at(off, p, n);
  }
  void forget_all() {
    cache_.clear();
    cache_bytes_ = 0;
    widest_ = 0;
  }

 private:
  struct Cached {
    Block block;
    uint64_t end;
  };
  void forget_at(uint64_t off) {
    if (auto it = cache_.find(off); it != cache_.end()) {
      cache_bytes_ -= it->second.block.data.size();
      cache_.erase(it);
    }
  }
  // Forgets every memo whose bytes overlap [off, off + n): those starting at most widest_
  // bytes before it, up to its end.
  void forget_range(uint64_t off, uint64_t n) {
    for (auto it = cache_.lower_bound(off > widest_ ? off - widest_ : 0); it != cache_.end() && it->first < off + n;) {
      if (it->second.end > off) {
        cache_bytes_ -= it->second.block.data.size();
        it = cache_.erase(it);
      } else {
        ++it;
      }
    }
  }
  static constexpr size_t kCacheBytes = 8u << 20;
  bool cache_on_ = false;
  std::map<uint64_t, Cached> cache_;  // by the memo's first byte
  uint64_t widest_ = 0;               // the most bytes a cached memo was read from
  size_t cache_bytes_ = 0;
};

}  // namespace xbase::memo

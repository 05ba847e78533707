// Memo files: FPT (FoxPro/VFP) and DBT (dBASE III, dBASE IV). A DBF memo field stores a block
// number; the memo file maps block numbers to byte strings.
#pragma once

#include <cstdint>
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
};

}  // namespace xbase::memo

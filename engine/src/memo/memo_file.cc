#include "memo/memo_file.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/coding.h"

namespace xbase::memo {

using namespace coding;

namespace {

// Largest memo we accept: guards allocations against corrupt length fields.
constexpr uint64_t kMaxMemo = 1ull << 30;

uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

Error corrupt(const File& f, uint64_t off, const Location& where, const std::string& msg) {
  Location l = where;
  l.file = f.path();
  l.offset = off;
  return Error(Errc::corrupt, l, msg);
}

// ---------------------------------------------------------------- FPT
class Fpt final : public MemoFile {
 public:
  Fpt(std::unique_ptr<File> f, bool write_behind) : MemoFile(std::move(f)), behind_(write_behind) {}

  void reload() override {
    forget_all();
    tail_.clear();
    std::vector<Warning> ignored;
    load(ignored);
    dirty_ = false;
  }

  void load(std::vector<Warning>& warnings) {
    uint8_t h[8];
    if (file_->read_at(0, h, 8) < 8)
      throw corrupt(*file_, 0, {}, "memo file is shorter than its 512-byte header");
    next_ = get_be32(h);
    bs_ = get_be16(h + 6);
    if (bs_ == 0) {
      // VFP's SET BLOCKSIZE TO 0 means one byte per block; some writers store that as 0.
      bs_ = 1;
      warnings.push_back({WarnCode::memo_block_size_zero, {file_->path(), 6, {}, {}}, "memo block size 0 read as 1"});
    }
    uint64_t size = file_->size();
    uint64_t first = div_up(512, bs_);
    if (next_ < first) {
      warnings.push_back({WarnCode::memo_next_free_bad, {file_->path(), 0, {}, {}},
                          fmt::format("next free memo block {} lies inside the header; using {}",
                                      next_, div_up(size, bs_))});
      next_ = uint32_t(std::max<uint64_t>(first, div_up(size, bs_)));
    } else if (next_ > div_up(size, bs_)) {
      // A well-formed file has next free == ceil(size / block size) (reference 3.1). Trusting a
      // corrupt pointer past the end would put the next memo up to 256 TiB into the file.
      warnings.push_back({WarnCode::memo_next_free_bad, {file_->path(), 0, {}, {}},
                          fmt::format("next free memo block {} lies past the end of the memo file; "
                                      "using {}",
                                      next_, std::max<uint64_t>(first, div_up(size, bs_)))});
      next_ = uint32_t(std::max<uint64_t>(first, div_up(size, bs_)));
    }
  }

  void init(uint32_t bs) {
    bs_ = bs ? bs : 64;
    next_ = uint32_t(div_up(512, bs_));
    std::vector<uint8_t> h(size_t(next_) * bs_, 0);
    put_be32(h.data(), next_);
    put_be16(h.data() + 6, uint16_t(bs_));
    file_->write_at(0, h.data(), h.size());
    file_->truncate(h.size());
  }

  Block read(uint32_t block, const Location& where) override {
    write_tail();
    uint64_t off = uint64_t(block) * bs_;
    if (const Block* c = cached(off)) return *c;
    uint64_t size = file_->size();
    if (block < div_up(512, bs_) || off + 8 > size)
      throw corrupt(*file_, off, where,
                    fmt::format("memo block {} is outside the memo file ({} bytes)", block, size));
    uint8_t h[8];
    file_->read_at(off, h, 8);
    Block b;
    b.type = get_be32(h);
    uint32_t len = get_be32(h + 4);
    if (off + 8 + len > size || len > kMaxMemo)
      throw corrupt(*file_, off + 4, where,
                    fmt::format("memo length {} at block {} runs past the end of the memo file",
                                len, block));
    b.data.resize(len);
    if (len) file_->read_at(off + 8, b.data.data(), len);
    remember(off, off + 8 + len, b);
    return b;
  }

  uint32_t write(uint32_t old_block, uint32_t type, std::string_view data) override {
    if (data.empty()) return 0;
    uint64_t need = div_up(8 + data.size(), bs_);
    std::vector<uint8_t>& buf = block_;
    // Sized once for the whole blocks (resizing later would double it); a large value's
    // buffer is let go at the next small one (not kept for the table's life).
    const size_t whole = size_t(need * bs_);
    if (buf.capacity() > kKeepBlockBytes && whole <= kKeepBlockBytes) std::vector<uint8_t>().swap(buf);
    buf.reserve(whole);
    buf.assign(8 + data.size(), 0);
    put_be32(buf.data(), type);
    put_be32(buf.data() + 4, uint32_t(data.size()));
    std::copy(data.begin(), data.end(), buf.begin() + 8);
    if (old_block >= div_up(512, bs_)) {
      write_tail();
      uint64_t off = uint64_t(old_block) * bs_;
      uint8_t h[8];
      if (off + 8 <= file_->size() && file_->read_at(off, h, 8) == 8) {
        uint64_t had = div_up(8 + uint64_t(get_be32(h + 4)), bs_);
        if (off + had * bs_ <= file_->size() + bs_ && need <= had) {
          put(off, buf.data(), buf.size());
          return old_block;
        }
      }
    }
    // Append at the next free block, never inside what the file already holds.
    uint64_t at = tail_.empty() ? std::max<uint64_t>(next_, div_up(file_->size(), bs_)) : next_;
    if (at + need > 0xFFFFFFFFull) throw Error(Errc::overflow, {file_->path(), {}, {}, {}}, "memo file full");
    buf.resize(size_t(need * bs_), 0);  // keep the file a multiple of the block size
    if (behind_) {
      // Write-behind: appended blocks gather and go out in large writes.
      if (tail_.empty()) tail_at_ = at * bs_;
      tail_.insert(tail_.end(), buf.begin(), buf.end());
      if (tail_.size() >= kTailBytes) write_tail();
    } else {
      put(at * bs_, buf.data(), buf.size());
    }
    next_ = uint32_t(at + need);
    dirty_ = true;
    if (!behind_) flush();
    return uint32_t(at);
  }

  void flush() override {
    write_tail();
    if (!dirty_) return;
    uint8_t h[4];
    put_be32(h, next_);
    put(0, h, 4);
    dirty_ = false;
  }

  void reset() override {
    forget_all();
    tail_.clear();
    next_ = uint32_t(div_up(512, bs_));
    uint8_t h[4];
    put_be32(h, next_);
    put(0, h, 4);
    file_->truncate(uint64_t(next_) * bs_);
    dirty_ = false;
  }

  uint32_t block_size() const override { return bs_; }
  uint64_t blocks_used(size_t n) const override { return div_up(8 + uint64_t(n), bs_); }
  MemoKind kind() const override { return MemoKind::fpt; }

 private:
  bool behind_;
  static constexpr size_t kTailBytes = 1 << 20;
  std::vector<uint8_t> tail_;  // write-behind: appended blocks not yet written, from tail_at_
  std::vector<uint8_t> block_;  // the value being written, kept: no allocation per memo write
  static constexpr size_t kKeepBlockBytes = 1 << 20;
  uint64_t tail_at_ = 0;
  void write_tail() {
    if (tail_.empty()) return;
    put(tail_at_, tail_.data(), tail_.size());
    tail_.clear();
  }
  uint32_t bs_ = 64;
  uint32_t next_ = 8;
  bool dirty_ = false;
};

// ---------------------------------------------------------------- DBT
class Dbt final : public MemoFile {
 public:
  Dbt(std::unique_ptr<File> f, bool dbase4, bool write_behind)
      : MemoFile(std::move(f)), v4_(dbase4), behind_(write_behind) {}

  void reload() override {
    forget_all();
    std::vector<Warning> ignored;
    load(ignored);
    dirty_ = false;
  }

  void load(std::vector<Warning>& warnings) {
    uint8_t h[24];
    if (file_->read_at(0, h, 24) < 24)
      throw corrupt(*file_, 0, {}, "memo file is shorter than its header");
    next_ = get_le32(h);
    if (v4_) {
      bs_ = get_le16(h + 20);
      if (bs_ == 0 || bs_ % 64 != 0) {
        warnings.push_back({WarnCode::memo_block_size_invalid, {file_->path(), 20, {}, {}},
                            fmt::format("dBASE IV memo block size {} is invalid; using 512", bs_)});
        bs_ = 512;
      }
    }
    if (next_ == 0) next_ = uint32_t(std::max<uint64_t>(1, div_up(file_->size(), bs_)));
  }

  void init(uint32_t bs, const std::string& stem) {
    bs_ = v4_ ? (bs ? bs : 512) : 512;
    next_ = 1;
    std::vector<uint8_t> h(bs_, 0);
    put_le32(h.data(), next_);
    if (v4_) {
      for (size_t i = 0; i < 8; ++i) h[8 + i] = i < stem.size() ? uint8_t(stem[i]) : ' ';
      put_le16(h.data() + 20, uint16_t(bs_));
    } else {
      h[16] = 0x03;
    }
    file_->write_at(0, h.data(), h.size());
    file_->truncate(h.size());
  }

  Block read(uint32_t block, const Location& where) override {
    uint64_t off = uint64_t(block) * bs_;
    if (const Block* c = cached(off)) return *c;
    uint64_t size = file_->size();
    if (block == 0 || off >= size)
      throw corrupt(*file_, off, where,
                    fmt::format("memo block {} is outside the memo file ({} bytes)", block, size));
    Block b;
    if (v4_) {
      uint8_t h[8];
      if (file_->read_at(off, h, 8) == 8 && h[0] == 0xFF && h[1] == 0xFF && h[2] == 0x08 &&
          h[3] == 0x00) {
        uint32_t len = get_le32(h + 4);
        if (len < 8 || off + len > size || len > kMaxMemo)
          throw corrupt(*file_, off + 4, where,
                        fmt::format("memo length {} at block {} runs past the end of the file",
                                    len, block));
        b.data.resize(len - 8);
        file_->read_at(off + 8, b.data.data(), len - 8);
        remember(off, off + len, b);
        return b;
      }
      // Not a dBASE IV block header: some writers put dBASE III style text in 0x8B tables.
    }
    // dBASE III: text up to the first 0x1A.
    std::string chunk(512, '\0');
    for (uint64_t pos = off; pos < size; pos += 512) {
      size_t n = file_->read_at(pos, chunk.data(), 512);
      auto end = std::find(chunk.begin(), chunk.begin() + long(n), '\x1A');
      b.data.append(chunk.begin(), end);
      if (end != chunk.begin() + long(n)) {
        remember(off, off + b.data.size() + 1, b);  // up to its 0x1A
        return b;
      }
      if (b.data.size() > kMaxMemo) break;
    }
    throw corrupt(*file_, off, where,
                  fmt::format("memo at block {} has no 0x1A terminator before the end of the file",
                              block));
  }

  uint32_t write(uint32_t old_block, uint32_t, std::string_view data) override {
    if (data.empty()) return 0;
    std::string buf;
    if (v4_) {
      buf.resize(8);
      buf[0] = buf[1] = '\xFF';
      buf[2] = 8;
      buf[3] = 0;
      put_le32(reinterpret_cast<uint8_t*>(buf.data()) + 4, uint32_t(data.size() + 8));
      buf.append(data);
    } else {
      if (data.find('\x1A') != std::string_view::npos)
        throw Error(Errc::bad_value, {file_->path(), {}, {}, {}},
                    "dBASE III memos cannot hold the byte 0x1A (it ends the memo)");
      buf.append(data);
      buf.append("\x1A\x1A");
    }
    uint64_t need = div_up(buf.size(), bs_);
    if (old_block != 0) {
      uint64_t had = 0;
      try {
        Block old = read(old_block, {});
        had = div_up(v4_ ? old.data.size() + 8 : old.data.size() + 2, bs_);
      } catch (const Error&) {
        had = 0;
      }
      if (need <= had) {
        put(uint64_t(old_block) * bs_, buf.data(), buf.size());
        return old_block;
      }
    }
    uint64_t end_block = div_up(file_->size(), bs_);
    uint64_t at = std::max<uint64_t>(end_block, 1);
    // dBASE IV: offset 0 heads the free chain; it equals the end of the file when there are no
    // holes. We do not reuse holes; we only keep "next" right when it pointed at the end.
    bool next_is_end = !v4_ || next_ >= end_block;
    buf.resize(size_t(need * bs_), v4_ ? '\0' : '\0');
    put(at * bs_, buf.data(), buf.size());
    if (next_is_end) {
      next_ = uint32_t(at + need);
      dirty_ = true;
      if (!behind_) flush();
    }
    return uint32_t(at);
  }

  void flush() override {
    if (!dirty_) return;
    uint8_t h[4];
    put_le32(h, next_);
    put(0, h, 4);
    dirty_ = false;
  }

  void reset() override {
    forget_all();
    next_ = 1;
    uint8_t h[4];
    put_le32(h, next_);
    put(0, h, 4);
    file_->truncate(bs_);
    dirty_ = false;
  }

  uint64_t blocks_used(size_t n) const override {
    // dBASE IV: an 8-byte block header; dBASE III: the text and its 0x1A terminator.
    return div_up(uint64_t(n) + (v4_ ? 8 : 1), bs_);
  }
  uint32_t block_size() const override { return bs_; }
  MemoKind kind() const override { return v4_ ? MemoKind::dbt4 : MemoKind::dbt3; }

 private:
  bool v4_;
  bool behind_;
  uint32_t bs_ = 512;
  uint32_t next_ = 1;
  bool dirty_ = false;
};

}  // namespace

std::unique_ptr<MemoFile> MemoFile::open(MemoKind kind, std::unique_ptr<File> f,
                                         bool write_behind, std::vector<Warning>& warnings) {
  if (kind == MemoKind::fpt) {
    auto m = std::make_unique<Fpt>(std::move(f), write_behind);
    m->load(warnings);
    return m;
  }
  auto m = std::make_unique<Dbt>(std::move(f), kind == MemoKind::dbt4, write_behind);
  m->load(warnings);
  return m;
}

std::unique_ptr<MemoFile> MemoFile::create(MemoKind kind, std::unique_ptr<File> f,
                                           uint32_t block_size, const std::string& stem,
                                           bool write_behind) {
  if (kind == MemoKind::fpt) {
    if (block_size > 65535) throw Error(Errc::usage, {}, "memo block size must be 1..65535");
    auto m = std::make_unique<Fpt>(std::move(f), write_behind);
    m->init(block_size);
    return m;
  }
  if (kind == MemoKind::dbt3 && block_size && block_size != 512)
    throw Error(Errc::usage, {}, "dBASE III memo blocks are always 512 bytes");
  if (kind == MemoKind::dbt4 && block_size % 64 != 0)
    throw Error(Errc::usage, {}, "dBASE IV memo block size must be a multiple of 64");
  auto m = std::make_unique<Dbt>(std::move(f), kind == MemoKind::dbt4, write_behind);
  m->init(block_size, stem);
  return m;
}

}  // namespace xbase::memo

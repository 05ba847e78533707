#include "journal/staged_file.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "lock/whole_file_lock.h"
#include "util/side_by_side.h"

namespace xbase::journal {

StagedFile::StagedFile(StagingFs& owner, std::unique_ptr<File> base)
    : owner_(owner), base_(std::move(base)) {
  owner_.files_.push_back(this);
  if (owner_.staging_) begin();
}

StagedFile::~StagedFile() {
  auto& v = owner_.files_;
  v.erase(std::remove(v.begin(), v.end(), this), v.end());
}

size_t StagedFile::read_base(uint64_t off, void* buf, size_t n) {
  for (auto it = beside_.begin(); it != beside_.end(); ++it) {
    const ReadBeside& b = *it;
    // Whole within what it brought, or the very read it was (short at the file's end).
    const bool within = off >= b.off && off - b.off <= b.bytes.size() && n <= b.bytes.size() - (off - b.off);
    const bool same = off == b.off && n == b.asked;
    if (!within && !same) continue;
    // And no dead process's commit completed since, as this process sees it (the lock keeps
    // others' commits out of these bytes).
    if (!owner_.after_ || owner_.after_->mark() != b.mark) {
      beside_.clear();
      break;
    }
    const size_t got = within ? n : b.bytes.size();
    std::memcpy(buf, b.bytes.data() + (off - b.off), got);
    beside_.erase(it);
    return got;
  }
  return base_->read_at(off, buf, n);
}

size_t StagedFile::read_at(uint64_t off, void* buf, size_t n) {
  if (!changed()) return read_base(off, buf, n);
  auto* out = static_cast<uint8_t*>(buf);
  size_t got = 0;
  if (!truncated_ || off < *truncated_) {
    size_t want = truncated_ ? size_t(std::min<uint64_t>(n, *truncated_ - off)) : n;
    got = read_base(off, out, want);
  }
  // Staged extents over the range; a gap between the file's end and an extent reads as zeros.
  uint64_t end = off + got;
  auto it = extents_.upper_bound(off);
  if (it != extents_.begin()) --it;
  for (; it != extents_.end() && it->first < off + n; ++it) {
    uint64_t a = std::max(off, it->first);
    uint64_t b = std::min(off + n, it->first + it->second.size());
    if (a >= b) continue;
    if (a > end) std::memset(out + (end - off), 0, size_t(a - end));
    std::memcpy(out + (a - off), it->second.data() + (a - it->first), size_t(b - a));
    end = std::max(end, b);
  }
  // Still short: the range may lie in a gap before a later extent (zeros up to the size).
  if (end < off + n) {
    uint64_t limit = std::min<uint64_t>(off + n, size());
    if (limit > end) {
      std::memset(out + (end - off), 0, size_t(limit - end));
      end = limit;
    }
  }
  return size_t(end - off);
}

void StagedFile::write_at(uint64_t off, const void* buf, size_t n) {
  if (!staging_) {
    beside_.clear();
    return base_->write_at(off, buf, n);
  }
  if (n == 0) return;
  const auto* p = static_cast<const uint8_t*>(buf);
  const uint64_t hi = off + n;
  // The first extent that overlaps or touches [off, hi).
  auto it = extents_.upper_bound(off);
  if (it != extents_.begin() && std::prev(it)->first + std::prev(it)->second.size() >= off) --it;
  if (it == extents_.end() || it->first > hi) {
    extents_.emplace_hint(it, off, std::vector<uint8_t>(p, p + n));
    return;
  }
  // Common case (a record rewritten, appends one after another): one extent starting at or
  // before off absorbs the write in place.
  auto next = std::next(it);
  if (it->first <= off && (next == extents_.end() || next->first > hi)) {
    auto& v = it->second;
    if (it->first + v.size() < hi) v.resize(size_t(hi - it->first));
    std::memcpy(v.data() + (off - it->first), p, n);
    return;
  }
  // Several extents merge into one.
  uint64_t lo = std::min(off, it->first);
  uint64_t top = hi;
  auto last = it;
  for (auto j = it; j != extents_.end() && j->first <= hi; ++j) {
    top = std::max<uint64_t>(top, j->first + j->second.size());
    last = j;
  }
  std::vector<uint8_t> merged(size_t(top - lo));
  for (auto j = it;; ++j) {
    std::memcpy(merged.data() + (j->first - lo), j->second.data(), j->second.size());
    if (j == last) break;
  }
  std::memcpy(merged.data() + (off - lo), p, n);
  extents_.erase(it, std::next(last));
  extents_.emplace(lo, std::move(merged));
}

uint64_t StagedFile::size() {
  if (!changed()) return base_->size();
  uint64_t s = base_->size();
  if (truncated_) s = std::min(s, *truncated_);
  if (!extents_.empty()) {
    const auto& [off, v] = *extents_.rbegin();
    s = std::max<uint64_t>(s, off + v.size());
  }
  return s;
}

void StagedFile::truncate(uint64_t s) {
  if (!staging_) {
    beside_.clear();
    return base_->truncate(s);
  }
  uint64_t cur = size();
  if (s > cur) {
    // Growing: the new bytes read as zeros.
    std::vector<uint8_t> zeros(size_t(s - cur), 0);
    write_at(cur, zeros.data(), zeros.size());
    return;
  }
  truncated_ = std::min(truncated_.value_or(UINT64_MAX), s);
  // Extents past the new end go; one across it is cut.
  auto it = extents_.lower_bound(s);
  extents_.erase(it, extents_.end());
  if (!extents_.empty()) {
    auto& [eoff, v] = *extents_.rbegin();
    if (eoff + v.size() > s) v.resize(size_t(s - eoff));
  }
  // A cut inside a gap past the file's end (a staged write beyond it) keeps the gap's zeros
  // up to the new end, as the file system would.
  uint64_t now = size();
  if (now < s) {
    std::vector<uint8_t> zeros(size_t(s - now), 0);
    write_at(now, zeros.data(), zeros.size());
  }
}

void StagedFile::sync() {
  if (!staging_) base_->sync();  // staged bytes are made durable by the commit
}

std::vector<StagedFile::Range> StagedFile::uncovered(uint64_t off, uint64_t len) const {
  std::vector<Range> held = held_, parts;
  std::sort(held.begin(), held.end(), [](const Range& a, const Range& b) { return a.off < b.off; });
  uint64_t pos = off, end = off + len;
  for (const Range& r : held) {
    if (pos >= end || r.off >= end) break;
    if (r.off + r.len <= pos) continue;
    if (r.off > pos) parts.push_back({pos, r.off - pos});
    pos = std::max(pos, r.off + r.len);
  }
  if (pos < end) parts.push_back({pos, end - pos});
  return parts;
}

bool StagedFile::covered(uint64_t off, uint64_t len) const { return uncovered(off, len).empty(); }

bool StagedFile::lock(uint64_t off, uint64_t len, LockMode mode, bool wait) {
  // Locks left to the close go first: taken again now, the lock would be the same one (one
  // open file description), and a later release_left() would drop it under its new owner.
  if (!left_.empty()) release_left();
  if (!staging_) return base_->lock(off, len, mode, wait);
  // Already ours for the transaction (taking it again could turn an exclusive lock shared).
  if (covered(off, len)) return true;
  // An exclusive lock is taken only where the transaction holds none yet: Windows refuses a
  // handle a lock that overlaps one it holds itself (lock_file() over a record lock the
  // transaction keeps), where POSIX would merge the two.
  std::vector<Range> parts =
      mode == LockMode::exclusive ? uncovered(off, len) : std::vector<Range>{{off, len}};
  auto give_back = [&](size_t n) {
    for (size_t i = 0; i < n; ++i) {
      try {
        base_->unlock(parts[i].off, parts[i].len);
      } catch (...) {
      }
    }
  };
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!base_->lock(parts[i].off, parts[i].len, mode, wait)) {
      give_back(i);
      return false;
    }
  }
  auto& list = mode == LockMode::exclusive ? held_ : shared_;
  list.insert(list.end(), parts.begin(), parts.end());
  if (owner_.deferring_) {  // checked when the batch ends (StagingFs::DeferredCheck)
    for (const Range& r : parts) owner_.deferred_.push_back({this, r.off, r.len, mode == LockMode::exclusive});
    return true;
  }
  if (owner_.after_) {
    try {
      owner_.look_after_lock(*this);
    } catch (...) {
      // The operation that wanted the lock fails: it must not keep the lock either.
      list.resize(list.size() - parts.size());
      give_back(parts.size());
      throw;
    }
  }
  return true;
}

void StagedFile::unlock(uint64_t off, uint64_t len) {
  if (!left_.empty()) release_left();
  beside_.clear();
  if (!staging_) return base_->unlock(off, len);
  // Exclusive locks (record, header, index and memo locks) are kept until the transaction
  // ends, whenever they were taken; a shared (reading) lock taken meanwhile goes at once, so
  // that two transactions reading one index do not block each other.
  if (covered(off, len)) return;
  auto s = std::find_if(shared_.begin(), shared_.end(),
                        [&](const Range& r) { return r.off == off && r.len == len; });
  if (s != shared_.end()) {
    shared_.erase(s);
    return base_->unlock(off, len);
  }
  held_.push_back({off, len});
}

void StagedFile::release_kept(uint64_t off, uint64_t len) {
  beside_.clear();
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->off >= off && it->off + it->len <= off + len) {
      base_->unlock(it->off, it->len);
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
}

void StagedFile::note_base(uint64_t off, const uint8_t* bytes, size_t n) {
  if (!staging_) return;
  // Bytes this transaction wrote there already are not the base file's.
  auto it = extents_.upper_bound(off + n - 1);
  if (it != extents_.begin() && std::prev(it)->first + std::prev(it)->second.size() > off) return;
  noted_[off].assign(bytes, bytes + n);
}

bool StagedFile::noted_base(uint64_t off, size_t n, std::vector<uint8_t>& out) const {
  out.clear();
  uint64_t at = off;
  const uint64_t end = off + n;
  while (at < end) {
    auto it = noted_.upper_bound(at);
    if (it == noted_.begin()) return false;
    --it;
    const uint64_t to = it->first + it->second.size();
    if (to <= at) return false;  // a gap
    const uint64_t take = std::min(to, end) - at;
    const auto from = it->second.begin() + ptrdiff_t(at - it->first);
    out.insert(out.end(), from, from + ptrdiff_t(take));
    at += take;
  }
  return true;
}

void StagedFile::begin() {
  staging_ = true;
  beside_.clear();
  noted_.clear();
  extents_.clear();
  truncated_.reset();
  held_.clear();
  shared_.clear();
}

void StagedFile::apply() {
  if (truncated_) base_->truncate(*truncated_);
  for (const auto& [off, v] : extents_) base_->write_at(off, v.data(), v.size());
  base_->sync();
}

void StagedFile::end(bool to_close, Unlocks* later) {
  staging_ = false;
  beside_.clear();
  noted_.clear();
  extents_.clear();
  truncated_.reset();
  std::vector<Range> held;
  try {
    held.reserve(held_.size() + shared_.size());
  } catch (...) {
    // No memory for the list: each unlocked now (none may stay held unknown to the table).
    unlock_each(held_);
    unlock_each(shared_);
    held_.clear();
    shared_.clear();
    return;
  }
  held.insert(held.end(), held_.begin(), held_.end());  // reserved: nothing allocated
  held.insert(held.end(), shared_.begin(), shared_.end());
  held_.clear();
  shared_.clear();
  // Only a POSIX descriptor's close drops its locks in the same call; a Windows handle's go
  // "eventually", and a test file system's file may not drop them at all. Handed on when
  // memory allows, else unlocked now.
  try {
    if (to_close && lock::os_descriptor(*base_) >= 0) {
      left_.insert(left_.end(), held.begin(), held.end());
      return;
    }
    if (later && !held.empty()) {
      later->files_.push_back({this, held});
      later->side_by_side_ = later->side_by_side_ && owner_.side_by_side();
      return;
    }
  } catch (...) {
  }
  unlock_each(held);
}

void Unlocks::run() noexcept {
  std::vector<Of> files = std::move(files_);
  std::vector<std::function<void()>> also = std::move(also_);
  files_.clear();
  also_.clear();
  constexpr size_t kMostAtOnce = 16;  // a finalization gives back locks on ten files and a gate
  // Item i: a file's unlocks in turn, then the releases of `also`. None throws (unlock_each
  // swallows), and a thread not to be had runs its job on the caller.
  const size_t n = files.size() + also.size();
  auto item = [&](size_t i) {
    if (i < files.size())
      files[i].file->unlock_each(files[i].ranges);
    else
      also[i - files.size()]();
  };
  try {
    (void)run_spread(n, kMostAtOnce, side_by_side_, item);
  } catch (...) {
    // No memory for the jobs' bookkeeping (nothing ran yet): each in turn here.
    for (size_t i = 0; i < n; ++i) {
      try {
        item(i);
      } catch (...) {
      }
    }
  }
}

void StagedFile::release_left() noexcept {
  std::vector<Range> left = std::move(left_);
  left_.clear();
  unlock_each(left);
}

// Every range is released even when one unlock fails (a dropped connection releases the rest
// anyway; Windows refuses to unlock a range twice).
void StagedFile::unlock_each(const std::vector<Range>& ranges) noexcept {
  for (const Range& r : ranges) {
    try {
      base_->unlock(r.off, r.len);
    } catch (...) {
    }
  }
}

std::unique_ptr<File> StagingFs::open(const std::filesystem::path& p, OpenMode mode) {
  return std::make_unique<StagedFile>(*this, base_.open(p, mode));
}

void StagingFs::begin(AfterLock* after) {
  staging_ = true;
  after_ = after;
  for (StagedFile* f : files_) f->begin();
}

void StagingFs::look_after_lock(StagedFile& f) {
  const uint64_t mark = after_->mark();
  if (f.read_for_.empty() || !base_.parallel_files()) {
    after_->look(mark);
    return;
  }
  // On a share the marker's read and each of these is a round trip; none needs another. What
  // the reads bring is kept only when the look found nothing: otherwise it may hold bytes from
  // before a commit the look completed, and the file's reads go to the file.
  std::vector<StagedFile::ReadBeside> reads;
  for (const StagedFile::Range& r : f.read_for_)
    reads.push_back({r.off, size_t(r.len), std::vector<uint8_t>(size_t(r.len)), mark});
  std::vector<char> read(reads.size(), 0);
  bool as_before = false;
  std::exception_ptr failed = run_side_by_side(1 + reads.size(), true, [&](size_t i) {
    if (i == 0) {
      as_before = after_->look(mark);
      return;
    }
    StagedFile::ReadBeside& b = reads[i - 1];
    try {
      b.bytes.resize(f.base_->read_at(b.off, b.bytes.data(), b.asked));
      read[i - 1] = 1;
    } catch (...) {
      // Not kept: the read made again in its turn reports it.
    }
  });
  if (failed) std::rethrow_exception(failed);
  if (!as_before) return;
  for (size_t i = 0; i < reads.size(); ++i)
    if (read[i]) f.beside_.push_back(std::move(reads[i]));
}

void StagingFs::DeferredCheck::done() {
  if (!s_.deferred_.empty() && s_.after_) s_.look_after_lock(*s_.deferred_.back().file);  // throws: ~DeferredCheck gives them back
  s_.deferred_.clear();
  s_.deferring_ = false;
}

void StagingFs::end_deferral() noexcept {
  deferring_ = false;
  for (const Deferred& d : deferred_) {
    auto& list = d.exclusive ? d.file->held_ : d.file->shared_;
    auto it = std::find_if(list.rbegin(), list.rend(),
                           [&](const StagedFile::Range& r) { return r.off == d.off && r.len == d.len; });
    if (it == list.rend()) continue;  // given up some other way already
    list.erase(std::next(it).base());
    try {
      d.file->base_->unlock(d.off, d.len);
    } catch (...) {
      // The handle's close lets it go in the end (a dropped connection).
    }
  }
  deferred_.clear();
}

void StagingFs::end(bool to_close, Unlocks* later) {
  staging_ = false;
  deferring_ = false;
  deferred_.clear();
  after_ = nullptr;
  for (StagedFile* f : files_) f->end(to_close, later);
}

void StagingFs::release_left() noexcept {
  for (StagedFile* f : files_) f->release_left();
}

}  // namespace xbase::journal

#include "cdx/sorter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "cdx/key_sort.h"
#include "cdx/tree.h"
#include "util/coding.h"

namespace xbase::cdx {

namespace {
bool by_key(const Entry& a, const Entry& b) { return entry_less(a.key, a.recno, b.key, b.recno); }
constexpr size_t kRunBuffer = 64 * 1024;
// Memory an entry costs besides its bytes: its place in the order, and the radix sort's two
// arrays of items (SortScratch).
constexpr size_t kPerEntryExtra = sizeof(uint32_t) + 2 * sizeof(detail::RadixItem);
}  // namespace

bool KeySorter::HeadGreater::operator()(const Head& a, const Head& b) const { return by_key(b.e, a.e); }

KeySorter::KeySorter(FileSystem& fs, std::filesystem::path prefix, uint16_t kl, size_t budget)
    : fs_(fs), prefix_(std::move(prefix)), kl_(kl), budget_(std::max<size_t>(budget, 4096)) {}

KeySorter::~KeySorter() {
  for (auto& r : runs_) {
    r.file.reset();
    try {
      fs_.remove(r.path);
    } catch (const Error&) {
      // A leftover temp file loses nothing; it is named as such.
    }
  }
}

uint8_t* KeySorter::slot(uint32_t recno) {
  max_recno_ = std::max(max_recno_, recno);
  const size_t per = size_t(kl_) + 4;
  if (mem_.capacity() == 0 && expected_) {
    // Room for the expected entries (as many as the budget allows), reserved once: growing by
    // doubling copied the entries and touched fresh pages again at every step (a third of a
    // million-key build).
    room_ = std::min(expected_, budget_ / (per + kPerEntryExtra) + 1);
    mem_.reserve(room_ * per);
    scratch_.order.reserve(room_);
    prefault_.add(mem_.data(), mem_.capacity());
    prefault_.add(scratch_.order.data(), scratch_.order.capacity() * sizeof(uint32_t));
    prefault_.start();
  }
  if (mem_.size() + per > mem_.capacity()) prefault_.stop();  // the buffers are about to move
  return append_entry_slot(mem_, kl_, recno);
}

void KeySorter::added() {
  if (ordered_) note_order();
  bytes_ += kl_ + 4 + kPerEntryExtra;
  if (bytes_ >= budget_) spill();
}

void KeySorter::note_order() {
  const size_t per = size_t(kl_) + 4;
  if (mem_.size() < 2 * per) return;
  const uint8_t* last = mem_.data() + mem_.size() - per;
  if (std::memcmp(last - per, last, per) < 0) return;
  ordered_ = false;
  // The entries need the radix sort after all: its items are reserved and faulted in while
  // the rest come (a tag on a key that grows with the record number never pays for them).
  if (!room_ || mem_.size() > room_ * per) return;  // none reserved, or past the reservation
  scratch_.items.reserve(room_);
  scratch_.tmp.reserve(room_);
  prefault_.add(scratch_.items.data(), scratch_.items.capacity() * sizeof(detail::RadixItem));
  prefault_.add(scratch_.tmp.data(), scratch_.tmp.capacity() * sizeof(detail::RadixItem));
  prefault_.start();
}

std::vector<uint32_t> KeySorter::sorted_order() {
  const size_t per = size_t(kl_) + 4, n = mem_.size() / per;
  std::vector<uint32_t> order;
  if (ordered_) {
    // Seen in order as they came: no sort, nor sort_order's pass to find that out.
    order = std::move(scratch_.order);
    order.resize(n);
    for (size_t i = 0; i < n; ++i) order[i] = uint32_t(i);
  } else {
    order = sort_order(mem_.data(), n, per, &scratch_);
  }
  prefault_.stop();
  scratch_ = SortScratch();  // the items are done with, and the order is handed over
  return order;
}

void KeySorter::add(std::string_view key, uint32_t recno) {
  uint8_t* p = slot(recno);
  std::memcpy(p, key.data(), std::min<size_t>(key.size(), kl_));  // the rest stays 0x00
  added();
}

void KeySorter::spill() {
  const size_t per = size_t(kl_) + 4;
  order_ = sorted_order();
  Run r;
  r.path = prefix_.parent_path() / (prefix_.filename().string() + fmt::format(".sort{}.tmp", runs_.size()));
  r.file = fs_.open(r.path, OpenMode::create);
  std::vector<uint8_t> out;
  out.reserve(kRunBuffer + per);
  uint64_t off = 0;
  for (uint32_t i : order_) {
    out.insert(out.end(), mem_.begin() + long(size_t(i) * per), mem_.begin() + long(size_t(i + 1) * per));
    if (out.size() >= kRunBuffer) {
      r.file->write_at(off, out.data(), out.size());
      off += out.size();
      out.clear();
    }
  }
  if (!out.empty()) r.file->write_at(off, out.data(), out.size());
  r.size = off + out.size();
  runs_.push_back(std::move(r));
  mem_.clear();
  mem_.shrink_to_fit();
  room_ = 0;
  ordered_ = true;
  order_.clear();
  order_.shrink_to_fit();
  bytes_ = 0;
}

bool KeySorter::read_entry(Run& r, Entry& e) {
  const size_t per = size_t(kl_) + 4;
  if (r.buf_pos + per > r.buf_len) {
    if (r.pos >= r.size) return false;
    size_t want = size_t(std::min<uint64_t>(kRunBuffer / per * per, r.size - r.pos));
    r.buf.resize(want);
    size_t got = r.file->read_at(r.pos, r.buf.data(), want);
    if (got != want) throw Error(Errc::io, {r.path.string(), r.pos, {}, {}}, "short read of a sort run");
    r.pos += got;
    r.buf_pos = 0;
    r.buf_len = got;
  }
  e.key.assign(reinterpret_cast<const char*>(r.buf.data() + r.buf_pos), kl_);
  e.recno = coding::get_be32(r.buf.data() + r.buf_pos + kl_);
  r.buf_pos += per;
  return true;
}

bool KeySorter::next(std::string_view& key, uint32_t& recno) {
  if (!merging_ || !runs_.empty()) {
    if (!next(merged_)) return false;
    key = merged_.key;
    recno = merged_.recno;
    return true;
  }
  return sorted_.next(key, recno);
}

bool KeySorter::next(Entry& e) {
  if (!merging_) {
    merging_ = true;
    if (runs_.empty()) {
      order_ = sorted_order();
      sorted_ = SortedEntries(mem_.data(), &order_, kl_);
    } else {
      if (!mem_.empty()) spill();
      for (size_t i = 0; i < runs_.size(); ++i) {
        Head h;
        h.run = i;
        if (read_entry(runs_[i], h.e)) heap_.push(std::move(h));
      }
    }
  }
  if (runs_.empty()) {
    std::string_view key;
    if (!sorted_.next(key, e.recno)) return false;
    e.key.assign(key);
    return true;
  }
  if (heap_.empty()) return false;
  Head h = heap_.top();
  heap_.pop();
  e = std::move(h.e);
  Head n;
  n.run = h.run;
  if (read_entry(runs_[h.run], n.e)) heap_.push(std::move(n));
  return true;
}

}  // namespace xbase::cdx

#include "cdx/sorter.h"

#include <fmt/format.h>

#include <algorithm>

#include "cdx/tree.h"
#include "util/coding.h"

namespace xbase::cdx {

namespace {
bool by_key(const Entry& a, const Entry& b) { return entry_less(a.key, a.recno, b.key, b.recno); }
constexpr size_t kRunBuffer = 64 * 1024;
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

void KeySorter::add(std::string key, uint32_t recno) {
  key.resize(kl_, '\0');
  max_recno_ = std::max(max_recno_, recno);
  bytes_ += kl_ + sizeof(Entry);
  Entry e;
  e.key = std::move(key);
  e.recno = recno;
  mem_.push_back(std::move(e));
  if (bytes_ >= budget_) spill();
}

void KeySorter::spill() {
  std::sort(mem_.begin(), mem_.end(), by_key);
  Run r;
  r.path = prefix_.parent_path() / (prefix_.filename().string() + fmt::format(".sort{}.tmp", runs_.size()));
  r.file = fs_.open(r.path, OpenMode::create);
  const size_t per = size_t(kl_) + 4;
  std::vector<uint8_t> out;
  out.reserve(kRunBuffer + per);
  uint64_t off = 0;
  for (const Entry& e : mem_) {
    out.insert(out.end(), e.key.begin(), e.key.end());
    uint8_t rn[4];
    coding::put_be32(rn, e.recno);
    out.insert(out.end(), rn, rn + 4);
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

bool KeySorter::next(Entry& e) {
  if (!merging_) {
    merging_ = true;
    if (runs_.empty()) {
      std::sort(mem_.begin(), mem_.end(), by_key);
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
    if (mem_pos_ >= mem_.size()) return false;
    e = std::move(mem_[mem_pos_++]);
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

// Lock offsets per scheme, from XBASE_REFERENCE.md 6.2 (DBF), 6.5 (index) and 6.6 (memo).
#include <cctype>

#include "xbase/lock.h"

namespace xbase {

namespace {
constexpr uint64_t kVfpBackward = 0x7FFFFFFE;     // VFP with a structural CDX
constexpr uint64_t kVfpForward = 0x40000000;      // FoxPro 2.x / VFP without one
constexpr uint64_t kClipper = 1000000000;
constexpr uint64_t kHb64 = 0x7F00000000000000ull;
constexpr uint64_t kHb64Index = 0x7FFFFFFF00000001ull;
constexpr uint64_t kHbIndexPool = 0x10000;
}  // namespace

const char* lock_scheme_name(LockScheme s) {
  switch (s) {
    case LockScheme::vfp: return "vfp";
    case LockScheme::clipper: return "clipper";
    case LockScheme::harbour64: return "harbour64";
  }
  return "?";
}

std::optional<LockScheme> parse_lock_scheme(const std::string& name) {
  std::string n;
  for (char c : name) n += char(std::tolower(static_cast<unsigned char>(c)));
  if (n == "vfp" || n == "foxpro") return LockScheme::vfp;
  if (n == "clipper" || n == "fox2" || n == "foxpro2") return LockScheme::clipper;
  if (n == "harbour64" || n == "hb64") return LockScheme::harbour64;
  return std::nullopt;
}

const char* lock_kind_name(LockKind k) {
  switch (k) {
    case LockKind::record: return "record";
    case LockKind::header: return "header";
    case LockKind::file: return "file";
    case LockKind::index: return "index";
    case LockKind::memo: return "memo";
    case LockKind::open: return "open";
  }
  return "?";
}

LockLayout::LockLayout(LockScheme scheme, bool structural_cdx, uint32_t header_len,
                       uint32_t record_len)
    : scheme_(scheme), header_len_(header_len), record_len_(record_len ? record_len : 1) {
  switch (scheme) {
    case LockScheme::vfp:
      backward_ = structural_cdx;
      base_ = backward_ ? kVfpBackward : kVfpForward;
      break;
    case LockScheme::clipper: base_ = kClipper; break;
    case LockScheme::harbour64: base_ = kHb64; break;
  }
}

LockRange LockLayout::record(uint32_t recno) const {
  if (scheme_ == LockScheme::vfp) {
    if (backward_) return {base_ - recno, 1};
    return {base_ + header_len_ + uint64_t(recno - 1) * record_len_, 1};
  }
  return {base_ + recno, 1};
}

LockRange LockLayout::header() const { return {base_, 1}; }

LockRange LockLayout::file() const {
  switch (scheme_) {
    case LockScheme::vfp:
      if (backward_) return {base_ - 0x07FFFFFF, 0x07FFFFFF};
      return {base_ + 1, 0x3FFFFFFD};
    case LockScheme::clipper: return {base_ + 1, 1000000000};
    case LockScheme::harbour64: return {base_ + 1, 0xFFFFFFFE};
  }
  return {};
}

LockRange LockLayout::index_read(uint32_t slot) const {
  switch (scheme_) {
    case LockScheme::vfp: return {kVfpBackward, 1};
    case LockScheme::clipper: return {kClipper, 1};
    case LockScheme::harbour64: return {kHb64Index + 1 + slot % kHbIndexPool, 1};
  }
  return {};
}

LockRange LockLayout::index_write() const {
  switch (scheme_) {
    case LockScheme::vfp: return {kVfpBackward, 1};
    case LockScheme::clipper: return {kClipper, 1};
    case LockScheme::harbour64: return {kHb64Index, kHbIndexPool + 1};
  }
  return {};
}

std::optional<LockLayout::Meaning> LockLayout::classify_dbf(uint64_t off, uint64_t len) const {
  if (off == open().offset && len == 1) return Meaning{LockKind::open};
  if (off == header().offset && len == 1) return Meaning{LockKind::header};
  LockRange f = file();
  if (off == f.offset && len == f.length) return Meaning{LockKind::file};
  if (len != 1 || !f.contains(off)) return std::nullopt;
  uint64_t r = 0;
  if (scheme_ == LockScheme::vfp && !backward_) {
    uint64_t rel = off - base_;
    if (rel < header_len_ || (rel - header_len_) % record_len_) return std::nullopt;
    r = (rel - header_len_) / record_len_ + 1;
  } else {
    r = backward_ ? base_ - off : off - base_;
  }
  if (r == 0 || r > UINT32_MAX) return std::nullopt;
  return Meaning{LockKind::record, uint32_t(r)};
}

}  // namespace xbase

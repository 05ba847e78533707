#include "journal/journal_format.h"

#include <cstring>

#include "util/coding.h"
#include "xbase/error.h"

namespace fs = std::filesystem;

namespace xbase::journal::format {

namespace {

[[noreturn]] void bad_body(const fs::path& p, size_t at) {
  throw Error(Errc::corrupt, {p.string(), kHeaderSize + at, {}, {}},
              "journal body does not parse although its checksum matches");
}

}  // namespace

uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::array<uint8_t, kHeaderSize> encode_header(const Header& h) {
  std::array<uint8_t, kHeaderSize> b{};
  std::memcpy(b.data() + kMagicAt, kMagic, sizeof kMagic);
  coding::put_le32(b.data() + kVersionAt, kVersion);
  coding::put_le32(b.data() + kStateAt, h.state);
  coding::put_le64(b.data() + kBodyLengthAt, h.body_length);
  coding::put_le32(b.data() + kBodyCrcAt, h.body_crc);
  coding::put_le32(b.data() + kFilesAt, h.files);
  coding::put_le64(b.data() + kSequenceAt, h.sequence);
  coding::put_le32(b.data() + kFlagSlotAt, h.flag_slot);
  coding::put_le32(b.data() + kHeaderCrcAt, crc32(b.data(), kHeaderCrcAt));
  return b;
}

// The header, when the bytes are one (a torn or foreign file is not).
std::optional<Header> decode_header(const uint8_t* b, size_t n) {
  if (n < kHeaderSize || std::memcmp(b + kMagicAt, kMagic, sizeof kMagic) != 0 ||
      coding::get_le32(b + kVersionAt) != kVersion ||
      coding::get_le32(b + kHeaderCrcAt) != crc32(b, kHeaderCrcAt))
    return std::nullopt;
  Header h;
  h.state = coding::get_le32(b + kStateAt);
  h.body_length = coding::get_le64(b + kBodyLengthAt);
  h.body_crc = coding::get_le32(b + kBodyCrcAt);
  h.files = coding::get_le32(b + kFilesAt);
  h.sequence = coding::get_le64(b + kSequenceAt);
  h.flag_slot = coding::get_le32(b + kFlagSlotAt);
  return h;
}

std::optional<Header> read_header(File& f) {
  uint8_t b[kHeaderSize];
  return decode_header(b, f.read_at(0, b, kHeaderSize));
}

std::vector<uint8_t> encode_commit(const std::vector<FileChange>& changes, uint64_t sequence,
                                   const std::string& journal, uint32_t flag_slot) {
  std::vector<uint8_t> buf(kHeaderSize);
  for (const auto& c : changes) {
    uint8_t b[13];
    if (c.name.size() > UINT16_MAX)
      throw Error(Errc::usage, {journal, {}, {}, {}}, "file name too long for the journal");
    const size_t n = c.name.size();
    coding::put_le16(b, uint16_t(n));
    buf.insert(buf.end(), b, b + 2);
    buf.insert(buf.end(), c.name.begin(), c.name.begin() + long(n));
    b[0] = c.truncate_to ? 1 : 0;
    coding::put_le64(b + 1, c.truncate_to.value_or(0));
    coding::put_le32(b + 9, uint32_t(c.extents ? c.extents->size() : 0));
    buf.insert(buf.end(), b, b + 13);
    if (!c.extents) continue;
    for (const auto& [off, v] : *c.extents) {
      if (v.size() > UINT32_MAX)
        throw Error(Errc::overflow, {journal, {}, {}, {}}, "a transaction wrote more than 4 GiB at once");
      coding::put_le64(b, off);
      coding::put_le32(b + 8, uint32_t(v.size()));
      buf.insert(buf.end(), b, b + 12);
      buf.insert(buf.end(), v.begin(), v.end());
      auto old = c.before.find(off);
      uint32_t n = old == c.before.end() ? 0 : uint32_t(old->second.size());
      coding::put_le32(b, n);
      buf.insert(buf.end(), b, b + 4);
      if (n) buf.insert(buf.end(), old->second.begin(), old->second.end());
    }
  }
  Header h;
  h.state = kCommitted;
  h.body_length = buf.size() - kHeaderSize;
  h.body_crc = crc32(buf.data() + kHeaderSize, buf.size() - kHeaderSize);
  h.files = uint32_t(changes.size());
  h.sequence = sequence;
  h.flag_slot = flag_slot;
  auto hb = encode_header(h);
  std::memcpy(buf.data(), hb.data(), kHeaderSize);
  return buf;
}

// A committed journal's body, checked whole; nothing when it is not one.
std::optional<std::vector<uint8_t>> committed_body(File& f) {
  auto h = read_header(f);
  if (!h || h->state != kCommitted || h->body_length > (uint64_t(1) << 40)) return std::nullopt;
  std::vector<uint8_t> body(size_t(h->body_length));
  if (f.read_at(kHeaderSize, body.data(), body.size()) != body.size() ||
      crc32(body.data(), body.size()) != h->body_crc)
    return std::nullopt;
  return body;
}

std::vector<ParsedFile> parse_body(const fs::path& journal, const std::vector<uint8_t>& body) {
  std::vector<ParsedFile> out;
  size_t at = 0;
  auto need = [&](size_t n) {
    if (body.size() - at < n) bad_body(journal, at);
  };
  while (at < body.size()) {
    need(2);
    size_t name_len = coding::get_le16(body.data() + at);
    at += 2;
    need(name_len + 1 + 8 + 4);
    std::string name(reinterpret_cast<const char*>(body.data() + at), name_len);
    at += name_len;
    uint8_t flags = body[at];
    uint64_t cut = coding::get_le64(body.data() + at + 1);
    uint32_t extents = coding::get_le32(body.data() + at + 9);
    at += 13;
    if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
      bad_body(journal, at);
    ParsedFile pf;
    pf.name = std::move(name);
    if (flags & 1) pf.cut = cut;
    for (uint32_t i = 0; i < extents; ++i) {
      ParsedExtent e;
      need(12);
      e.off = coding::get_le64(body.data() + at);
      e.after_len = coding::get_le32(body.data() + at + 8);
      at += 12;
      need(e.after_len);
      e.after = body.data() + at;
      at += e.after_len;
      need(4);
      e.before_len = coding::get_le32(body.data() + at);
      at += 4;
      need(e.before_len);
      e.before = body.data() + at;
      at += e.before_len;
      pf.extents.push_back(e);
    }
    out.push_back(std::move(pf));
  }
  return out;
}

}  // namespace xbase::journal::format

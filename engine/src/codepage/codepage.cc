// Codepages: single-byte ones from shared tables (single_byte_tables.h), so decoding a field
// costs no converter call and every platform reads, UPPER()s and LOWER()s them alike;
// multi-byte ones (932, 936, 949, 950, UTF-8) through the platform's converter
// (converter.h: ICU on Linux, the Win32 API on Windows) per call.
#include "xbase/codepage.h"

#include <fmt/format.h>

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "codepage/converter.h"
#include "codepage/single_byte_tables.h"
#include "xbase/error.h"

namespace xbase {

namespace {

// The multi-byte codepages, converted by the platform (the single-byte ones are data:
// single_byte_tables.h).
struct CpName {
  int number;
  const char* icu;
};

const CpName kNames[] = {
    {932, "windows-932"}, {936, "windows-936"}, {949, "windows-949"},
    {950, "windows-950"}, {65001, "UTF-8"},
};

const CpName* find_name(int number) {
  for (const auto& n : kNames)
    if (n.number == number) return &n;
  return nullptr;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xF0 | (c >> 18));
    out += char(0x80 | ((c >> 12) & 0x3F));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

// The next code point of UTF-8 text at `i` (moved past it); -1 for an invalid sequence:
// a stray or missing continuation byte, an overlong form, a surrogate or a value past U+10FFFF.
int32_t next_utf8(const uint8_t* p, size_t& i, size_t n) {
  uint8_t b = p[i++];
  if (b < 0x80) return b;
  int len = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (len < 0 || b > 0xF4) return -1;
  int32_t c = b & (0x3F >> len);
  for (int k = 0; k < len; ++k) {
    if (i >= n || (p[i] & 0xC0) != 0x80) return -1;
    c = (c << 6) | (p[i++] & 0x3F);
  }
  static const int32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (c < kMin[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return -1;
  return c;
}

std::u32string utf8_to_u32(std::string_view s) {
  std::u32string out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0, n = s.size(); i < n;) {
    size_t start = i;
    int32_t c = next_utf8(p, i, n);
    if (c < 0) throw Error(Errc::codepage, {}, fmt::format("invalid UTF-8 at byte {}", start));
    out += char32_t(c);
  }
  return out;
}

[[noreturn]] void unmappable(int cp, char32_t c, size_t pos) {
  throw Error(Errc::codepage, {},
              fmt::format("character U+{:04X} at byte {} of the text does not exist in codepage {}",
                          uint32_t(c), pos, cp));
}

class SingleByte final : public Codepage {
 public:
  explicit SingleByte(const codepage::SingleByteTable& t) : Codepage(t.number) {
    for (int b = 0; b < 256; ++b) {
      char32_t c = t.chars[b];
      to_unicode_[size_t(b)] = c;
      std::string u;
      append_utf8(u, c);
      utf8_[size_t(b)] = u;
      from_unicode_.emplace(c, uint8_t(b));
      upper_[size_t(b)] = t.upper[b];
      lower_[size_t(b)] = t.lower[b];
    }
    ascii_ = true;
    for (int b = 0x20; b < 0x7F; ++b) ascii_ = ascii_ && to_unicode_[size_t(b)] == char32_t(b);
  }

  std::string upper(std::string_view bytes) const override { return map(bytes, upper_); }
  std::string lower(std::string_view bytes) const override { return map(bytes, lower_); }
  const uint8_t* upper_map() const override { return upper_.data(); }
  bool ascii_identity() const override { return ascii_; }

  std::string decode(std::string_view bytes) const override {
    std::string out;
    out.reserve(bytes.size());
    for (unsigned char b : bytes) {
      if (b < 0x80 && to_unicode_[b] == b)
        out += char(b);
      else
        out += utf8_[b];
    }
    return out;
  }

  std::string encode(std::string_view s) const override {
    std::string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    size_t i = 0, n = s.size();
    while (i < n) {
      if (p[i] < 0x80 && to_unicode_[p[i]] == p[i]) {
        out += char(p[i++]);
        continue;
      }
      size_t start = i;
      int32_t c = next_utf8(p, i, n);
      if (c < 0) throw Error(Errc::codepage, {}, fmt::format("invalid UTF-8 at byte {}", start));
      auto it = from_unicode_.find(char32_t(c));
      if (it == from_unicode_.end()) unmappable(number(), char32_t(c), start);
      out += char(it->second);
    }
    return out;
  }

 private:
  static std::string map(std::string_view bytes, const std::array<uint8_t, 256>& table) {
    std::string out(bytes);
    for (auto& c : out) c = char(table[static_cast<unsigned char>(c)]);
    return out;
  }
  std::array<char32_t, 256> to_unicode_{};
  std::array<uint8_t, 256> upper_{}, lower_{};
  bool ascii_ = false;
  std::array<std::string, 256> utf8_;
  std::unordered_map<char32_t, uint8_t> from_unicode_;
};

class MultiByte final : public Codepage {
 public:
  MultiByte(int number, const char* name)
      : Codepage(number), cnv_(codepage::open_converter(number, name)) {}

  std::string decode(std::string_view bytes) const override {
    auto u = cnv_->decode(bytes);
    if (!u) throw Error(Errc::codepage, {}, fmt::format("text does not decode in codepage {}", number()));
    std::string out;
    for (char32_t c : *u) append_utf8(out, c);
    return out;
  }

  std::string encode(std::string_view s) const override {
    auto out = cnv_->encode(utf8_to_u32(s));
    if (!out)
      throw Error(Errc::codepage, {}, fmt::format("text has characters that codepage {} lacks", number()));
    return *out;
  }

  // Multi-byte text: through Unicode, so trail bytes that look like ASCII letters are safe.
  std::string upper(std::string_view bytes) const override { return recase(bytes, true); }
  bool ascii_identity() const override { return number() == 65001; }
  std::string lower(std::string_view bytes) const override { return recase(bytes, false); }

 private:
  std::string recase(std::string_view bytes, bool up) const {
    auto u = cnv_->decode(bytes);
    if (!u) return std::string(bytes);
    for (auto& c : *u) c = up ? codepage::to_upper(c) : codepage::to_lower(c);
    return cnv_->encode(*u).value_or(std::string(bytes));
  }
  std::unique_ptr<codepage::Converter> cnv_;
};

}  // namespace

namespace codepage {
const SingleByteTable* single_byte_table(int number) {
  for (size_t i = 0; i < kSingleByteTableCount; ++i)
    if (kSingleByteTables[i].number == number) return &kSingleByteTables[i];
  return nullptr;
}
}  // namespace codepage

bool Codepage::known(int number) {
  return codepage::single_byte_table(number) != nullptr || find_name(number) != nullptr;
}

const Codepage& Codepage::get(int number) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<Codepage>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(number);
  if (it != cache.end()) return *it->second;
  std::unique_ptr<Codepage> cp;
  if (const auto* t = codepage::single_byte_table(number)) {
    cp = std::make_unique<SingleByte>(*t);
  } else {
    const CpName* n = find_name(number);
    if (!n) throw Error(Errc::unsupported, {}, fmt::format("unknown codepage {}", number));
    cp = std::make_unique<MultiByte>(number, n->icu);
  }
  return *cache.emplace(number, std::move(cp)).first->second;
}

namespace {
struct MarkCp {
  uint8_t mark;
  int cp;
};
// VFP's documented marks first (these are also what we write), then dBASE language drivers.
const MarkCp kMarks[] = {
    {0x01, 437},   {0x69, 620},   {0x6A, 737},   {0x02, 850},   {0x64, 852},   {0x6B, 857},
    {0x67, 861},   {0x66, 865},   {0x65, 866},   {0x7C, 874},   {0x68, 895},   {0x7B, 932},
    {0x7A, 936},   {0x79, 949},   {0x78, 950},   {0xC8, 1250},  {0xC9, 1251},  {0x03, 1252},
    {0xCB, 1253},  {0xCA, 1254},  {0x7D, 1255},  {0x7E, 1256},  {0xCC, 1257},  {0x04, 10000},
    {0x98, 10006}, {0x96, 10007}, {0x97, 10029},
    {0x08, 865},   {0x09, 437},   {0x0A, 850},   {0x0B, 437},   {0x0D, 437},   {0x0E, 850},
    {0x0F, 437},   {0x10, 850},   {0x11, 437},   {0x12, 850},   {0x13, 932},   {0x14, 850},
    {0x15, 437},   {0x16, 850},   {0x17, 865},   {0x18, 437},   {0x19, 437},   {0x1A, 850},
    {0x1B, 437},   {0x1C, 863},   {0x1D, 850},   {0x1F, 852},   {0x22, 852},   {0x23, 852},
    {0x24, 860},   {0x25, 850},   {0x26, 866},   {0x37, 850},   {0x40, 852},   {0x4D, 936},
    {0x4E, 949},   {0x4F, 950},   {0x50, 874},   {0x57, 1252},  {0x58, 1252},  {0x59, 1252},
    {0x87, 852},   {0xF0, 65001},
};
}  // namespace

int codepage_from_mark(uint8_t mark) {
  for (const auto& m : kMarks)
    if (m.mark == mark) return m.cp;
  return 0;
}

uint8_t mark_from_codepage(int number) {
  for (const auto& m : kMarks)
    if (m.cp == number) return m.mark;
  return 0;
}

}  // namespace xbase

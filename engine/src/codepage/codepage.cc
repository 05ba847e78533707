// Codepage conversion through ICU. Single-byte codepages are turned into two lookup tables
// once, so decoding a field costs no ICU call; multi-byte ones (932, 936, 949, 950, UTF-8)
// go through an ICU converter per call.
#include "xbase/codepage.h"

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "xbase/error.h"

namespace xbase {

namespace {

struct CpName {
  int number;
  const char* icu;
  bool multibyte;
};

const CpName kNames[] = {
    {437, "ibm-437", false},        {737, "ibm-737", false},
    {850, "ibm-850", false},        {852, "ibm-852", false},
    {857, "ibm-857", false},        {860, "ibm-860", false},
    {861, "ibm-861", false},        {863, "ibm-863", false},
    {865, "ibm-865", false},        {866, "ibm-866", false},
    {874, "windows-874", false},    {932, "windows-932", true},
    {936, "windows-936", true},     {949, "windows-949", true},
    {950, "windows-950", true},     {1250, "windows-1250", false},
    {1251, "windows-1251", false},  {1252, "windows-1252", false},
    {1253, "windows-1253", false},  {1254, "windows-1254", false},
    {1255, "windows-1255", false},  {1256, "windows-1256", false},
    {1257, "windows-1257", false},  {10000, "macintosh", false},
    {10006, "x-mac-greek", false},  {10007, "x-mac-cyrillic", false},
    {10029, "x-mac-centraleurroman", false}, {65001, "UTF-8", true},
};

const CpName* find_name(int number) {
  for (const auto& n : kNames)
    if (n.number == number) return &n;
  return nullptr;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t len = 0;
  U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(buf), len, c);
  out.append(buf, size_t(len));
}

[[noreturn]] void unmappable(int cp, UChar32 c, size_t pos) {
  throw Error(Errc::codepage, {},
              fmt::format("character U+{:04X} at byte {} of the text does not exist in codepage {}",
                          uint32_t(c), pos, cp));
}

class SingleByte final : public Codepage {
 public:
  SingleByte(int number, const char* icu) : Codepage(number) {
    UErrorCode e = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open(icu, &e);
    if (U_FAILURE(e)) throw Error(Errc::unsupported, {}, fmt::format("ICU lacks codepage {}", number));
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &e);
    for (int b = 0; b < 256; ++b) {
      char in = char(b);
      UChar out[4];
      e = U_ZERO_ERROR;
      ucnv_reset(cnv);
      int32_t n = ucnv_toUChars(cnv, out, 4, &in, 1, &e);
      UChar32 c;
      // A byte the codepage leaves undefined maps to the control character of the same
      // number, as Windows does; that keeps every byte string round-trippable.
      if (U_FAILURE(e) || n != 1) {
        c = b;
      } else {
        c = out[0];
      }
      to_unicode_[size_t(b)] = c;
      std::string u;
      append_utf8(u, c);
      utf8_[size_t(b)] = u;
      from_unicode_.emplace(c, uint8_t(b));
    }
    ucnv_close(cnv);
    ascii_ = true;
    for (int b = 0x20; b < 0x7F; ++b) ascii_ = ascii_ && to_unicode_[size_t(b)] == UChar32(b);
    for (int b = 0; b < 256; ++b) {
      upper_[size_t(b)] = lower_[size_t(b)] = uint8_t(b);
      auto u = from_unicode_.find(u_toupper(to_unicode_[size_t(b)]));
      if (u != from_unicode_.end()) upper_[size_t(b)] = u->second;
      auto l = from_unicode_.find(u_tolower(to_unicode_[size_t(b)]));
      if (l != from_unicode_.end()) lower_[size_t(b)] = l->second;
    }
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
    int32_t i = 0, n = int32_t(s.size());
    while (i < n) {
      if (p[i] < 0x80 && to_unicode_[p[i]] == p[i]) {
        out += char(p[i++]);
        continue;
      }
      int32_t start = i;
      UChar32 c;
      U8_NEXT(p, i, n, c);
      if (c < 0) throw Error(Errc::codepage, {}, fmt::format("invalid UTF-8 at byte {}", start));
      auto it = from_unicode_.find(c);
      if (it == from_unicode_.end()) unmappable(number(), c, size_t(start));
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
  std::array<UChar32, 256> to_unicode_{};
  std::array<uint8_t, 256> upper_{}, lower_{};
  bool ascii_ = false;
  std::array<std::string, 256> utf8_;
  std::unordered_map<UChar32, uint8_t> from_unicode_;
};

class MultiByte final : public Codepage {
 public:
  MultiByte(int number, const char* icu) : Codepage(number), icu_(icu) {}

  std::string decode(std::string_view bytes) const override {
    UErrorCode e = U_ZERO_ERROR;
    std::unique_ptr<UConverter, void (*)(UConverter*)> cnv(ucnv_open(icu_, &e), ucnv_close);
    if (U_FAILURE(e)) throw Error(Errc::unsupported, {}, fmt::format("ICU lacks codepage {}", number()));
    std::u16string u(bytes.size() * 2 + 4, u'\0');
    int32_t n = ucnv_toUChars(cnv.get(), u.data(), int32_t(u.size()), bytes.data(),
                              int32_t(bytes.size()), &e);
    if (U_FAILURE(e)) throw Error(Errc::codepage, {}, fmt::format("text does not decode in codepage {}", number()));
    std::string out;
    for (int32_t i = 0; i < n;) {
      UChar32 c;
      U16_NEXT(u.data(), i, n, c);
      append_utf8(out, c);
    }
    return out;
  }

  std::string encode(std::string_view s) const override {
    UErrorCode e = U_ZERO_ERROR;
    std::u16string u;
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    for (int32_t i = 0, n = int32_t(s.size()); i < n;) {
      int32_t start = i;
      UChar32 c;
      U8_NEXT(p, i, n, c);
      if (c < 0) throw Error(Errc::codepage, {}, fmt::format("invalid UTF-8 at byte {}", start));
      if (c > 0xFFFF) {
        u += char16_t(U16_LEAD(c));
        u += char16_t(U16_TRAIL(c));
      } else {
        u += char16_t(c);
      }
    }
    std::unique_ptr<UConverter, void (*)(UConverter*)> cnv(ucnv_open(icu_, &e), ucnv_close);
    ucnv_setFromUCallBack(cnv.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &e);
    std::string out(u.size() * 4 + 4, '\0');
    int32_t n = ucnv_fromUChars(cnv.get(), out.data(), int32_t(out.size()), u.data(),
                                int32_t(u.size()), &e);
    if (U_FAILURE(e))
      throw Error(Errc::codepage, {}, fmt::format("text has characters that codepage {} lacks", number()));
    out.resize(size_t(n));
    return out;
  }

  // Multi-byte text: through Unicode, so trail bytes that look like ASCII letters are safe.
  std::string upper(std::string_view bytes) const override { return recase(bytes, true); }
  bool ascii_identity() const override { return number() == 65001; }
  std::string lower(std::string_view bytes) const override { return recase(bytes, false); }

 private:
  std::string recase(std::string_view bytes, bool up) const {
    std::string u8 = decode(bytes), out;
    const auto* p = reinterpret_cast<const uint8_t*>(u8.data());
    for (int32_t i = 0, n = int32_t(u8.size()); i < n;) {
      UChar32 c;
      U8_NEXT(p, i, n, c);
      if (c < 0) c = 0xFFFD;
      append_utf8(out, up ? u_toupper(c) : u_tolower(c));
    }
    try {
      return encode(out);
    } catch (const Error&) {
      return std::string(bytes);
    }
  }
  const char* icu_;
};

}  // namespace

bool Codepage::known(int number) { return find_name(number) != nullptr; }

const Codepage& Codepage::get(int number) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<Codepage>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(number);
  if (it != cache.end()) return *it->second;
  const CpName* n = find_name(number);
  if (!n) throw Error(Errc::unsupported, {}, fmt::format("unknown codepage {}", number));
  std::unique_ptr<Codepage> cp;
  if (n->multibyte)
    cp = std::make_unique<MultiByte>(number, n->icu);
  else
    cp = std::make_unique<SingleByte>(number, n->icu);
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

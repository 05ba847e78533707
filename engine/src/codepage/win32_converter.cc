// The codepage converter on the Win32 API (MultiByteToWideChar, WideCharToMultiByte,
// LCMapStringEx): Windows numbers its codepages as DBF files do, so the number is the API's.
#ifdef _WIN32

#include <fmt/format.h>
#include <windows.h>

#include "codepage/converter.h"
#include "xbase/error.h"

namespace xbase::codepage {

namespace {

std::u16string to_utf16(std::u32string_view text) {
  std::u16string u;
  for (char32_t c : text) {
    if (c > 0xFFFF) {
      c -= 0x10000;
      u += char16_t(0xD800 + (c >> 10));
      u += char16_t(0xDC00 + (c & 0x3FF));
    } else {
      u += char16_t(c);
    }
  }
  return u;
}

std::u32string to_utf32(const wchar_t* u, size_t n) {
  std::u32string out;
  for (size_t i = 0; i < n; ++i) {
    char32_t c = char32_t(u[i]);
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
      c = 0x10000 + ((c - 0xD800) << 10) + (char32_t(u[++i]) - 0xDC00);
    out += c;
  }
  return out;
}

class Win32Converter final : public Converter {
 public:
  explicit Win32Converter(int number) : cp_(UINT(number)) {
    if (!IsValidCodePage(cp_))
      throw Error(Errc::unsupported, {}, fmt::format("Windows lacks codepage {}", number));
  }

  std::optional<char32_t> byte(uint8_t b) const override {
    char in = char(b);
    wchar_t out[4];
    int n = MultiByteToWideChar(cp_, MB_ERR_INVALID_CHARS, &in, 1, out, 4);
    if (n != 1) return std::nullopt;
    return char32_t(out[0]);
  }

  // As ICU does, a byte sequence the codepage does not define decodes to a substitute
  // character rather than failing.
  std::optional<std::u32string> decode(std::string_view bytes) const override {
    if (bytes.empty()) return std::u32string();
    int n = MultiByteToWideChar(cp_, 0, bytes.data(), int(bytes.size()), nullptr, 0);
    if (n <= 0) return std::nullopt;
    std::wstring u(size_t(n), L'\0');
    MultiByteToWideChar(cp_, 0, bytes.data(), int(bytes.size()), u.data(), n);
    return to_utf32(u.data(), u.size());
  }

  std::optional<std::string> encode(std::u32string_view text) const override {
    std::u16string u = to_utf16(text);
    if (u.empty()) return std::string();
    const auto* w = reinterpret_cast<const wchar_t*>(u.data());
    // UTF-8 takes no best-fit flag and reports no default character: it maps every code point.
    bool utf8 = cp_ == CP_UTF8;
    DWORD flags = utf8 ? WC_ERR_INVALID_CHARS : WC_NO_BEST_FIT_CHARS;
    BOOL used_default = FALSE;
    BOOL* used = utf8 ? nullptr : &used_default;
    int n = WideCharToMultiByte(cp_, flags, w, int(u.size()), nullptr, 0, nullptr, used);
    if (n <= 0 || used_default) return std::nullopt;
    std::string out(size_t(n), '\0');
    WideCharToMultiByte(cp_, flags, w, int(u.size()), out.data(), n, nullptr, used);
    if (used_default) return std::nullopt;
    return out;
  }

 private:
  UINT cp_;
};

char32_t map_case(char32_t c, DWORD how) {
  std::u16string in = to_utf16(std::u32string_view(&c, 1));
  wchar_t out[4];
  int n = LCMapStringEx(LOCALE_NAME_INVARIANT, how, reinterpret_cast<const wchar_t*>(in.data()),
                        int(in.size()), out, 4, nullptr, nullptr, 0);
  if (n <= 0) return c;
  std::u32string r = to_utf32(out, size_t(n));
  return r.size() == 1 ? r[0] : c;
}

}  // namespace

std::unique_ptr<Converter> open_converter(int number, const char*) {
  return std::make_unique<Win32Converter>(number);
}

char32_t to_upper(char32_t c) { return map_case(c, LCMAP_UPPERCASE); }
char32_t to_lower(char32_t c) { return map_case(c, LCMAP_LOWERCASE); }

}  // namespace xbase::codepage

#endif  // _WIN32

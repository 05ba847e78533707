// The codepage converter on ICU (Linux and every platform with ICU).
#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/utf16.h>

#include "codepage/converter.h"
#include "xbase/error.h"

namespace xbase::codepage {

namespace {

using Cnv = std::unique_ptr<UConverter, void (*)(UConverter*)>;

class IcuConverter final : public Converter {
 public:
  IcuConverter(int number, const char* name) : name_(name) {
    UErrorCode e = U_ZERO_ERROR;
    Cnv probe(ucnv_open(name, &e), ucnv_close);
    if (U_FAILURE(e)) throw Error(Errc::unsupported, {}, fmt::format("ICU lacks codepage {}", number));
  }

  std::optional<char32_t> byte(uint8_t b) const override {
    Cnv cnv = open();
    UErrorCode e = U_ZERO_ERROR;
    ucnv_setToUCallBack(cnv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &e);
    char in = char(b);
    UChar out[4];
    int32_t n = ucnv_toUChars(cnv.get(), out, 4, &in, 1, &e);
    if (U_FAILURE(e) || n != 1) return std::nullopt;
    return char32_t(out[0]);
  }

  std::optional<std::u32string> decode(std::string_view bytes) const override {
    Cnv cnv = open();
    UErrorCode e = U_ZERO_ERROR;
    std::u16string u(bytes.size() * 2 + 4, u'\0');
    int32_t n = ucnv_toUChars(cnv.get(), u.data(), int32_t(u.size()), bytes.data(),
                              int32_t(bytes.size()), &e);
    if (U_FAILURE(e)) return std::nullopt;
    std::u32string out;
    for (int32_t i = 0; i < n;) {
      UChar32 c;
      U16_NEXT(u.data(), i, n, c);
      out += char32_t(c);
    }
    return out;
  }

  std::optional<std::string> encode(std::u32string_view text) const override {
    std::u16string u;
    for (char32_t c : text) {
      if (c > 0xFFFF) {
        u += char16_t(U16_LEAD(c));
        u += char16_t(U16_TRAIL(c));
      } else {
        u += char16_t(c);
      }
    }
    Cnv cnv = open();
    UErrorCode e = U_ZERO_ERROR;
    ucnv_setFromUCallBack(cnv.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &e);
    std::string out(u.size() * 4 + 4, '\0');
    int32_t n = ucnv_fromUChars(cnv.get(), out.data(), int32_t(out.size()), u.data(),
                                int32_t(u.size()), &e);
    if (U_FAILURE(e)) return std::nullopt;
    out.resize(size_t(n));
    return out;
  }

 private:
  // A converter per call: UConverter carries state and is not safe to share between threads
  // (ICU caches the tables, so opening one is cheap).
  Cnv open() const {
    UErrorCode e = U_ZERO_ERROR;
    return Cnv(ucnv_open(name_, &e), ucnv_close);
  }
  const char* name_;
};

}  // namespace

std::unique_ptr<Converter> open_converter(int number, const char* name) {
  return std::make_unique<IcuConverter>(number, name);
}

char32_t to_upper(char32_t c) { return char32_t(u_toupper(UChar32(c))); }
char32_t to_lower(char32_t c) { return char32_t(u_tolower(UChar32(c))); }

}  // namespace xbase::codepage

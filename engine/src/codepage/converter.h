// What the platform supplies beside the shared single-byte tables (single_byte_tables.h): a
// multi-byte codepage's conversion to and from Unicode code points, and Unicode simple case
// mapping for UPPER()/LOWER() of multi-byte text. ICU on Linux
// (icu_converter.cc); the Win32 API on Windows (win32_converter.cc), where Debian packages no
// ICU for mingw-w64. Both must pass the same tests (tests/engine/codepage).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace xbase::codepage {

class Converter {
 public:
  virtual ~Converter() = default;
  // One byte of a single-byte codepage; nullopt where the codepage leaves it undefined (only
  // for making and checking single_byte_tables.h: the engine reads those).
  virtual std::optional<char32_t> byte(uint8_t b) const = 0;
  // Multi-byte text -> code points; nullopt when the bytes do not decode.
  virtual std::optional<std::u32string> decode(std::string_view bytes) const = 0;
  // Code points -> bytes; nullopt when a character does not exist in the codepage.
  virtual std::optional<std::string> encode(std::u32string_view text) const = 0;
};

// The platform's converter for a codepage number (1252, 850, 932, 65001, ...); `name` is its
// ICU name. Throws Error(unsupported) when the platform lacks it.
std::unique_ptr<Converter> open_converter(int number, const char* name);

// Unicode simple case mapping of one code point (itself when it has no other case).
char32_t to_upper(char32_t c);
char32_t to_lower(char32_t c);

}  // namespace xbase::codepage

#include "import/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace invoicing::import {

namespace {

// Decomposes (NFD) and drops the combining marks: "é" -> "e", "ç" -> "c".
icu::UnicodeString without_accents(std::string_view text) {
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(st);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString decomposed = U_SUCCESS(st) ? nfd->normalize(in, st) : in;
  if (U_FAILURE(st)) decomposed = in;
  icu::UnicodeString out;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) != U_NON_SPACING_MARK) out.append(c);
  }
  return out;
}

bool ascii_only(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string fold_key(std::string_view text) {
  std::string out;
  if (ascii_only(text)) {  // the common case, without ICU
    for (char c : text) {
      if (c >= 'A' && c <= 'Z')
        out += static_cast<char>(c - 'A' + 'a');
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '%')
        out += c;
    }
    return out;
  }
  icu::UnicodeString s = without_accents(text);
  s.foldCase();
  icu::UnicodeString kept;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    // The ordinal indicators of "Nº"/"Nª" are letters to Unicode, not to a reader.
    if (c == 0xBA || c == 0xAA) continue;
    if (u_isalnum(c) || c == '%') kept.append(c);
  }
  kept.toUTF8String(out);
  return out;
}

std::string ascii_upper_alnum(std::string_view text) {
  std::string out;
  std::string plain;
  if (ascii_only(text)) {
    plain = std::string(text);
  } else {
    without_accents(text).toUTF8String(plain);
  }
  for (char c : plain) {
    if (c >= 'a' && c <= 'z')
      out += static_cast<char>(c - 'a' + 'A');
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
      out += c;
  }
  return out;
}

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace invoicing::import

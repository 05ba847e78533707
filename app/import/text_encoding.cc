#include "import/text_encoding.h"

#include <fmt/format.h>
#include <unicode/ustring.h>

#include <array>
#include <vector>

#include "import/sheet.h"

namespace invoicing::import {

namespace {

// Bytes Windows-1252 leaves undefined: a text holding them is not Windows-1252.
bool undefined_in_1252(uint8_t b) {
  return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

// Windows-1252 byte -> its UTF-8, built once from ICU's mapping table.
const std::array<std::string, 256>& cp1252_table() {
  static const std::array<std::string, 256> table = [] {
    std::array<std::string, 256> t;
    UErrorCode status = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open("windows-1252", &status);
    for (int b = 0; b < 256; ++b) {
      if (b < 0x80 || U_FAILURE(status)) {
        t[b] = std::string(1, static_cast<char>(b));
        continue;
      }
      char in = static_cast<char>(b);
      UChar u[4];
      UErrorCode st = U_ZERO_ERROR;
      int32_t n = ucnv_toUChars(cnv, u, 4, &in, 1, &st);
      char out[16];
      int32_t len = 0;
      UErrorCode st2 = U_ZERO_ERROR;
      u_strToUTF8(out, sizeof out, &len, u, n, &st2);
      t[b] = (U_SUCCESS(st) && U_SUCCESS(st2) && len > 0) ? std::string(out, len) : "\xEF\xBF\xBD";
    }
    if (cnv) ucnv_close(cnv);
    return t;
  }();
  return table;
}

// Incremental UTF-8 validation over chunks.
struct Utf8Scanner {
  int need = 0;      // continuation bytes still expected
  uint8_t lead = 0;  // the lead byte of the sequence being read
  int seen = 0;      // continuation bytes read of it
  uint64_t multibyte = 0;
  bool valid = true;

  // Returns false at the first byte that breaks UTF-8.
  bool feed(uint8_t b) {
    if (need == 0) {
      if (b < 0x80) return true;
      if (b >= 0xC2 && b <= 0xDF)
        need = 1;
      else if (b >= 0xE0 && b <= 0xEF)
        need = 2;
      else if (b >= 0xF0 && b <= 0xF4)
        need = 3;
      else
        return false;
      lead = b;
      seen = 0;
      return true;
    }
    if ((b & 0xC0) != 0x80) return false;
    // Overlong forms, surrogates and code points past U+10FFFF show in the second byte.
    if (seen == 0) {
      if (lead == 0xE0 && b < 0xA0) return false;
      if (lead == 0xED && b > 0x9F) return false;
      if (lead == 0xF0 && b < 0x90) return false;
      if (lead == 0xF4 && b > 0x8F) return false;
    }
    ++seen;
    if (--need == 0) ++multibyte;
    return true;
  }
};

}  // namespace

const char* encoding_name(TextEncoding e) {
  switch (e) {
    case TextEncoding::utf8:
      return "UTF-8";
    case TextEncoding::utf8_bom:
      return "UTF-8 with BOM";
    case TextEncoding::windows1252:
      return "Windows-1252";
    case TextEncoding::utf16le:
      return "UTF-16LE";
    case TextEncoding::utf16be:
      return "UTF-16BE";
  }
  return "?";
}

int bom_length(TextEncoding e) {
  switch (e) {
    case TextEncoding::utf8_bom:
      return 3;
    case TextEncoding::utf16le:
    case TextEncoding::utf16be:
      return 2;
    default:
      return 0;
  }
}

TextEncoding detect_encoding(std::FILE* file, uint64_t size, const std::string& name,
                             const std::string& forced) {
  std::vector<uint8_t> buf(1 << 16);
  std::rewind(file);
  size_t n = std::fread(buf.data(), 1, buf.size(), file);
  bool bom8 = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF;
  if (n >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) return TextEncoding::utf16le;
  if (n >= 2 && buf[0] == 0xFE && buf[1] == 0xFF) return TextEncoding::utf16be;

  Utf8Scanner utf8;
  uint64_t offset = 0, line = 1, controls = 0;
  uint64_t first_bad_line = 0, first_bad_offset = 0, first_multibyte_line = 0;
  uint64_t lead_line = 1, lead_offset = 0;
  uint64_t undefined_line = 0;
  int undefined_byte = 0;
  for (;;) {
    for (size_t i = 0; i < n; ++i, ++offset) {
      uint8_t b = buf[i];
      if (b == 0) {
        throw ImportError(fmt::format(
            "{}: not a text file: a NUL byte at offset {} (line {}); is it a binary file "
            "named as a text file?",
            name, offset, line));
      }
      // Tab, CR, LF, form feed and the DOS end-of-file mark are at home in text files.
      if (b < 0x20 && b != '\t' && b != '\r' && b != '\n' && b != 0x0C && b != 0x1A) ++controls;
      if (undefined_in_1252(b) && undefined_line == 0) {
        undefined_line = line;
        undefined_byte = b;
      }
      // The scanner goes on after a broken sequence (starting afresh), so that UTF-8 after
      // a Windows-1252 byte still shows the file mixes both.
      if (utf8.need == 0) {
        lead_line = line;
        lead_offset = offset;
      }
      uint64_t before = utf8.multibyte;
      if (!utf8.feed(b)) {
        bool mid = utf8.need != 0;
        if (utf8.valid) {
          first_bad_line = mid ? lead_line : line;
          first_bad_offset = mid ? lead_offset : offset;
        }
        utf8.valid = false;
        utf8.need = 0;
        if (mid) {  // this byte may start the next sequence
          lead_line = line;
          lead_offset = offset;
          if (!utf8.feed(b)) utf8.need = 0;
        }
      } else if (utf8.multibyte != before && first_multibyte_line == 0) {
        first_multibyte_line = line;
      }
      if (b == '\n') ++line;
    }
    if (n < buf.size()) break;
    n = std::fread(buf.data(), 1, buf.size(), file);
    if (n == 0) break;
  }
  if (std::ferror(file)) throw ImportError(fmt::format("{}: cannot be read", name));
  if (utf8.valid && utf8.need != 0) {  // the file ends inside a sequence
    utf8.valid = false;
    first_bad_line = lead_line;
    first_bad_offset = lead_offset;
  }
  if (size > 0 && controls * 100 > size) {
    throw ImportError(
        fmt::format("{}: not a text file: {} control characters in {} bytes; is it a binary file?",
                    name, controls, size));
  }
  if (forced == "windows-1252") return TextEncoding::windows1252;
  if (forced == "utf-8" || forced == "utf8" || bom8) {
    if (!utf8.valid) {
      throw ImportError(fmt::format("{}: not valid UTF-8 at line {} (offset {}){}", name,
                                    first_bad_line, first_bad_offset,
                                    bom8 ? " although it starts with a UTF-8 BOM" : ""));
    }
    return bom8 ? TextEncoding::utf8_bom : TextEncoding::utf8;
  }
  if (!forced.empty()) {
    throw ImportError(fmt::format("unknown encoding '{}' (utf-8 or windows-1252)", forced));
  }
  if (utf8.valid) return TextEncoding::utf8;
  if (utf8.multibyte > 0) {
    throw ImportError(fmt::format(
        "{}: mixes encodings: UTF-8 text (line {}) and bytes that are not UTF-8 (line {}, "
        "offset {}); save it again in one encoding",
        name, first_multibyte_line, first_bad_line, first_bad_offset));
  }
  if (undefined_line != 0) {
    throw ImportError(fmt::format("{}: neither UTF-8 nor Windows-1252: byte 0x{:02X} at line {}",
                                  name, undefined_byte, undefined_line));
  }
  return TextEncoding::windows1252;
}

TextDecoder::TextDecoder(TextEncoding encoding, std::string display_name)
    : encoding_(encoding), name_(std::move(display_name)) {
  if (encoding_ == TextEncoding::utf16le || encoding_ == TextEncoding::utf16be) {
    UErrorCode st = U_ZERO_ERROR;
    from_ = ucnv_open(encoding_ == TextEncoding::utf16le ? "UTF-16LE" : "UTF-16BE", &st);
    to_ = ucnv_open("UTF-8", &st);
    if (U_FAILURE(st)) throw ImportError(fmt::format("{}: no UTF-16 converter", name_));
    ucnv_setToUCallBack(from_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &st);
  }
}

TextDecoder::~TextDecoder() {
  if (from_) ucnv_close(from_);
  if (to_) ucnv_close(to_);
}

void TextDecoder::decode(std::string_view bytes, bool last, std::string& out) {
  switch (encoding_) {
    case TextEncoding::utf8:
    case TextEncoding::utf8_bom:
      out.append(bytes);
      return;
    case TextEncoding::windows1252: {
      const auto& table = cp1252_table();
      for (char c : bytes) {
        auto b = static_cast<uint8_t>(c);
        if (b < 0x80)
          out += c;
        else
          out += table[b];
      }
      return;
    }
    default:
      break;
  }
  const char* src = bytes.data();
  const char* src_end = src + bytes.size();
  char buf[8192];
  for (;;) {
    char* target = buf;
    UErrorCode st = U_ZERO_ERROR;
    ucnv_convertEx(to_, from_, &target, buf + sizeof buf, &src, src_end, pivot_, &pivot_source_,
                   &pivot_target_, pivot_ + 1024, reset_, last, &st);
    reset_ = false;
    out.append(buf, target - buf);
    if (st == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(st)) {
      throw ImportError(fmt::format("{}: not valid {}", name_, encoding_name(encoding_)));
    }
    return;
  }
}

}  // namespace invoicing::import

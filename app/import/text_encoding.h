// The encoding of an import text file: detected in one pass over the file (so that a byte
// far down cannot turn out to contradict the guess after rows were handed on), then decoded
// to UTF-8 chunk by chunk.
#pragma once

#include <unicode/ucnv.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace invoicing::import {

enum class TextEncoding { utf8, utf8_bom, windows1252, utf16le, utf16be };

const char* encoding_name(TextEncoding e);

// Reads `file` (`size` bytes) from the start and decides: a BOM decides; otherwise valid
// UTF-8 is UTF-8 and other text is Windows-1252. `forced` ("", "utf-8", "windows-1252")
// skips the guess. Throws ImportError naming `display_name` for a binary file (NUL bytes,
// many control characters), for a file that mixes UTF-8 with other bytes, and for bytes
// that are neither UTF-8 nor Windows-1252. Leaves the file position anywhere.
TextEncoding detect_encoding(std::FILE* file, uint64_t size, const std::string& display_name,
                             const std::string& forced);

// How many bytes the BOM of `e` takes at the start of the file.
int bom_length(TextEncoding e);

// Decodes chunks of the file (after its BOM) to UTF-8; a character cut between two chunks
// is completed by the next one.
class TextDecoder {
 public:
  TextDecoder(TextEncoding encoding, std::string display_name);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // Appends the UTF-8 of `bytes` to `out`; `last` on the final chunk. Throws ImportError for
  // bytes that are not valid in the encoding (UTF-16 only: the others were checked before).
  void decode(std::string_view bytes, bool last, std::string& out);

 private:
  TextEncoding encoding_;
  std::string name_;
  UConverter* from_ = nullptr;  // UTF-16 only
  UConverter* to_ = nullptr;
  UChar pivot_[1024];
  UChar* pivot_source_ = pivot_;
  UChar* pivot_target_ = pivot_;
  bool reset_ = true;
};

}  // namespace invoicing::import

#include "common/text/terminal_text.h"

namespace common {

namespace {

void append_hex(std::string& out, unsigned char c) {
  static const char* hex = "0123456789abcdef";
  out += "\\x";
  out += hex[c >> 4];
  out += hex[c & 15];
}

}  // namespace

std::string terminal_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    // CR LF (CSV line ends) moves to the next line like LF alone; a lone CR would let the
    // rest of a value overwrite what was printed before it.
    const bool crlf = c == '\r' && i + 1 < s.size() && s[i + 1] == '\n';
    if ((c < 0x20 && c != '\n' && c != '\t' && !crlf) || c == 0x7F) {
      append_hex(out, c);
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      append_hex(out, c);
      append_hex(out, static_cast<unsigned char>(s[++i]));
    } else {
      out += char(c);
    }
  }
  return out;
}

}  // namespace common

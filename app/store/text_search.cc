#include "store/text_search.h"

#include <algorithm>

#include "xbase/codepage.h"
#include "xbase/error.h"

namespace invoicing::store {

std::string upper_text(const std::string& utf8) {
  // Plain ASCII (most codes, names and cities) needs no trip through the codepage: a search
  // walks every record of a list.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string out = utf8;
    for (char& c : out)
      if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return out;
  }
  const auto& cp = xbase::Codepage::get(1252);
  try {
    return cp.decode(cp.upper(cp.encode(utf8)));
  } catch (const xbase::Error&) {
    return utf8;  // text the tables cannot hold is compared as typed
  }
}

TextSearch::TextSearch(const std::string& typed) : needle_(upper_text(typed)) {}

bool TextSearch::matches(std::initializer_list<std::string> texts) const {
  if (needle_.empty()) return true;
  for (const auto& t : texts)
    if (upper_text(t).find(needle_) != std::string::npos) return true;
  return false;
}

}  // namespace invoicing::store

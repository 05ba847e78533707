#include "store/text_search.h"

#include "xbase/codepage.h"
#include "xbase/error.h"

namespace invoicing::store {

std::string upper_text(const std::string& utf8) {
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

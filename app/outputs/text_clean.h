// Text from the data folder on its way into XML, PDF or a spreadsheet: valid UTF-8 without
// the control characters XML 1.0 forbids (a stray \x01 in a description would make the whole
// e-invoice unreadable, and pango draws boxes for broken UTF-8).
#pragma once

#include <string>
#include <string_view>

namespace invoicing::outputs {

// Invalid UTF-8 sequences become U+FFFD; C0 controls other than tab, LF and CR, and DEL, are
// dropped; so are U+FFFE and U+FFFF. Everything else is kept as it is.
std::string clean_text(std::string_view text);

// ASCII letters in lower case, other bytes (UTF-8 too) as they are: for comparing codes and
// names ("NL", "Factuur") without regard to case.
std::string lower_ascii(std::string s);

}  // namespace invoicing::outputs

// libFuzzer target: bytes as an import profile (a text file in the data folder's
// import-profiles/, which anyone with access to the share can edit). Parsing either gives a
// profile or an ImportError; a profile written back parses to the same profile.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "import/column_mapping.h"
#include "import/sheet.h"

using namespace invoicing::import;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ImportProfile p;
  try {
    p = parse_profile(text);
  } catch (const ImportError&) {
    return 0;
  }
  ImportProfile again;
  try {
    again = parse_profile(serialize_profile(p));
  } catch (const ImportError&) {
    std::abort();  // what we write, we must read
  }
  if (again.name != p.name || again.target != p.target || again.mapping != p.mapping ||
      again.sheet != p.sheet || again.encoding != p.encoding || again.separator != p.separator ||
      again.decimal_mark != p.decimal_mark)
    std::abort();
  return 0;
}

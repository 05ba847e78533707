// libFuzzer target: the PDF layout file parser (app/outputs/layout.h), the one parser of
// the output library that reads a file a user edits. Any input must either parse or throw
// LayoutError; anything else (a crash, another exception, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "outputs/layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    invoicing::outputs::Layout l = invoicing::outputs::parse_layout(text, "fuzz.ini");
    // A layout that parsed is used: its footers are read, its columns walked.
    size_t n = footer_text(l, "nl").size() + footer_text(l, "fr").size() + l.columns.size();
    (void)n;
  } catch (const invoicing::outputs::LayoutError&) {
  }
  return 0;
}

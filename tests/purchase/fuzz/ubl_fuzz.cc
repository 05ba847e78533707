// libFuzzer target: the UBL reader on arbitrary bytes. A UblError is a refusal, the expected
// outcome for nearly every input; anything else escaping (or a crash) is a finding.
#include <cstdint>
#include <string_view>

#include "purchase/ubl_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto d = invoicing::purchase::read_ubl(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
    // What the import reads from an accepted document must be usable.
    for (const auto& l : d.lines) {
      try {
        (void)(l.quantity * l.price).round(2);
      } catch (const invoicing::domain::DecimalOverflow&) {  // the import refuses the file then
      }
    }
  } catch (const invoicing::purchase::UblError&) {
  }
  return 0;
}

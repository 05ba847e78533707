// libFuzzer target: a Visual FoxPro database container's property memo, parsed on its own and
// read through a DBC and a member table (fuzz_harness.h). Run with tests/fuzz/run_fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xbase::fuzz::run_dbc_properties(data, size);
  return 0;
}

// libFuzzer target: a structural CDX for a harness-built table, as raw bytes or as changes to a
// CDX the engine built (see run_cdx in fuzz_harness.h). Run with tests/fuzz/run_fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xbase::fuzz::run_cdx(data, size);
  return 0;
}

// libFuzzer target: the input is a whole DBF file, opened read-only and read tolerantly through
// an in-memory file system (see fuzz_harness.h). Run with tests/fuzz/run_fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xbase::fuzz::run_dbf(data, size);
  return 0;
}

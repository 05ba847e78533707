// libFuzzer target: the input is a whole DBF file, opened read-write and changed in every way
// the API allows (see run_dbf_write in fuzz_harness.h). Run with tests/fuzz/run_fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xbase::fuzz::run_dbf_write(data, size);
  return 0;
}

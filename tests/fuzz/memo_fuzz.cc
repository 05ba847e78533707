// libFuzzer target: a small table with memo fields built by the harness, plus a fuzzer-made
// FPT or DBT memo file (input layout in fuzz_harness.h). Run with tests/fuzz/run_fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xbase::fuzz::run_memo(data, size);
  return 0;
}

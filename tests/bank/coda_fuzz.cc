// libFuzzer target: the coda parser on arbitrary bytes (see fuzz_harness.h).
#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return invoicing::bank::fuzz::coda_one_input(data, size);
}

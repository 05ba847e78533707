// libFuzzer target: a backup archive and its manifest as untrusted input (fuzz_harness.h).
#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  backup_fuzz::run_one(data, size);
  return 0;
}

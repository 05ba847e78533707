// libFuzzer target: bytes as an XLSX file, its first sheet read to the end. Limits are
// small so that an input cannot hold the fuzzer up; an ImportError is a correct answer.
#include <cstdint>

#include "fuzz_input_file.h"
#include "import/xlsx_reader.h"

using namespace invoicing::import;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = fuzz::input_path(".xlsx");
  fuzz::write_input(path, data, size);
  try {
    ReadOptions o;
    o.limits.max_entry_bytes = 16 << 20;
    o.limits.max_shared_strings_bytes = 4 << 20;
    o.limits.max_columns = 1024;
    XlsxReader reader(path, o);
    SheetRow row;
    while (reader.next(row)) {
    }
    (void)reader.progress();
  } catch (const ImportError&) {
  }
  return 0;
}

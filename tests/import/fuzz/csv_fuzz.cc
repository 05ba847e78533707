// libFuzzer target: bytes as a delimited text file, read to the end by the CSV reader, every
// cell then run through the value parsers and every field check. Any outcome but a crash, a
// sanitizer report or a leak is fine; an ImportError is a correct answer.
#include <cstdint>

#include "fuzz_input_file.h"
#include "import/csv_reader.h"
#include "import/field_check.h"
#include "import/values.h"

using namespace invoicing::import;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = fuzz::input_path(".csv");
  fuzz::write_input(path, data, size);
  try {
    ReadOptions o;
    o.limits.max_record_bytes = 1 << 16;
    CsvReader reader(path, o);
    SheetRow row;
    const TargetDef& customers = target_def(Target::customers);
    const TargetDef& articles = target_def(Target::articles);
    FieldContext ctx;
    while (reader.next(row)) {
      for (const Cell& cell : row.cells) {
        (void)parse_decimal_text(cell.value, ',');
        (void)parse_date_text(cell.value);
        (void)normalize_number(cell.value);
        (void)date_from_serial(cell.value, size % 2 == 0);
        (void)without_formula_guard(cell.value);
      }
      size_t i = 0;
      for (const auto* def : {&customers, &articles}) {
        for (const FieldDef& f : def->fields) {
          if (row.cells.empty()) break;
          (void)check_field(f, row.cells[i++ % row.cells.size()], ctx);
        }
      }
    }
    (void)reader.progress();
  } catch (const ImportError&) {
  }
  return 0;
}

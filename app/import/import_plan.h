// An import read, mapped and checked, before anything is written: the rows that passed, as
// canonical values keyed by logical field, the problems of the others, and what was
// detected. The store carries a plan out in one transaction; this library writes nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/money.h"
#include "import/column_mapping.h"
#include "import/fields.h"
#include "import/sheet.h"

namespace invoicing::import {

// One row that passed every check. Values are canonical text (see field_check.h), kept in
// one buffer per row so that 100,000 rows stay small.
class ImportRow {
 public:
  ImportRow(const TargetDef& target, uint64_t source_row, const std::vector<std::string>& values);

  uint64_t source_row() const { return source_row_; }  // as the user sees it in the file
  const TargetDef& target() const { return *target_; }
  // The value of a field ("" when empty or not imported); throws std::out_of_range for a
  // name the target does not have.
  std::string_view get(std::string_view field) const;
  std::string_view at(size_t field) const;
  bool has(std::string_view field) const { return !get(field).empty(); }
  std::optional<domain::Decimal> decimal(std::string_view field) const;
  std::optional<bool> boolean(std::string_view field) const;
  std::optional<int> integer(std::string_view field) const;
  bool code_generated() const { return code_generated_; }

 private:
  friend class PlanBuilder;
  void set(size_t field, std::string_view value);

  const TargetDef* target_;
  uint64_t source_row_;
  std::string data_;
  std::vector<uint32_t> ends_;
  bool code_generated_ = false;
};

struct Problem {
  uint64_t row = 0;    // as the user sees it in the file; 0 for the file as a whole
  std::string column;  // the column's header
  std::string value;   // as read
  std::string reason;
};

struct ImportProgress {
  uint64_t rows_read = 0;
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;
};

struct ImportOptions {
  Target target = Target::customers;
  ReadOptions read;     // sheet, encoding, separator, limits
  std::string mapping;  // "Source column=field,..." (over the profile's)
  const ImportProfile* profile = nullptr;
  char decimal_mark = 0;                 // ',' or '.'; 0: the profile's, else detected
  std::set<std::string> existing_codes;  // generated codes avoid these
  std::string supplier_country = "BE";   // whose VAT rates articles may have
  uint64_t max_rows = 200000;            // data rows; a larger file is refused
  size_t max_problems = 100000;          // kept in the plan; the rest are only counted
  std::function<void(const ImportProgress&)> progress;  // every 1,000 rows and at the end
};

struct ImportPlan {
  std::string file;  // the file's name
  Target target = Target::customers;
  SourceFormat format;
  char decimal_mark = ',';
  bool decimal_mark_detected = false;  // false: given, or the default for the format
  uint64_t header_row = 0;
  ColumnMapping mapping;
  bool codes_generated = false;  // rows without a code got one made from the name
  std::vector<ImportRow> rows;   // the rows that passed, in file order
  std::vector<Problem> problems;
  uint64_t rows_read = 0;  // data rows, blank rows not counted
  uint64_t rows_rejected = 0;
  uint64_t problems_not_kept = 0;  // past max_problems
};

// Reads, maps and checks `path`. Throws ImportError (naming the file, and the row or part)
// when the file as a whole cannot be imported: unreadable, empty, only a header, more rows
// than max_rows, a required field no column maps to, a mapping that names what is not
// there. Problems of single rows do not throw: they are in the plan.
ImportPlan build_import_plan(const std::filesystem::path& path, const ImportOptions& options);

}  // namespace invoicing::import

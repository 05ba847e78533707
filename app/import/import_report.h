// What the user reads about an import: the dry-run summary (detected format, mapping, the
// first rows as they will be imported) and the problem report as a CSV file for Excel.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "import/import_plan.h"

namespace invoicing::import {

// Detected format, the mapping, the unmapped columns, counts, the first `rows` rows that
// will be imported and the first problems.
std::string dry_run_text(const ImportPlan& plan, size_t rows = 20);

// The problems as CSV: "row;column;value;reason", UTF-8 with BOM (Excel then reads the
// accents right), CRLF line ends.
std::string problems_csv(const ImportPlan& plan);

// problems_csv() written to `path` through a temp file renamed over it. Throws
// std::runtime_error naming the path when it cannot be written.
void write_problems_csv(const ImportPlan& plan, const std::filesystem::path& path);

// One CSV cell for a ';' file: quoted when it holds ';', '"' or a line break, and prefixed
// with ' when it starts with =, +, -, @, tab or CR, so that a spreadsheet never runs it as
// a formula.
std::string csv_cell(std::string_view value);

}  // namespace invoicing::import

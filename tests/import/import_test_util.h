// Helpers of the import tests: files made by other programs, and whole sheets read at once.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "import/sheet.h"
#include "test_util.h"

namespace invoicing::import::test {

// Runs tests/import/SCRIPT with Debian's python3 and ARGS; fails the test (throws) when the
// script fails.
void run_python(const std::string& script, const std::vector<std::string>& args,
                const std::filesystem::path& scratch);

// Every row of the file, through open_sheet.
std::vector<SheetRow> read_all(const std::filesystem::path& path, const ReadOptions& options = {});

// The message of the ImportError that `f` throws, or "" when it throws none.
template <typename F>
std::string import_error(F&& f) {
  try {
    f();
  } catch (const ImportError& e) {
    return e.what();
  }
  return "";
}

}  // namespace invoicing::import::test

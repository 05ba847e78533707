#include "import_test_util.h"

#include <stdexcept>

namespace invoicing::import::test {

void run_python(const std::string& script, const std::vector<std::string>& args,
                const std::filesystem::path& scratch) {
  std::vector<std::string> all{std::string(IMPORT_TEST_DIR) + "/" + script};
  all.insert(all.end(), args.begin(), args.end());
  auto r = xbase::test::run_program(IMPORT_PYTHON, all, scratch);
  if (r.rc != 0) throw std::runtime_error(script + " failed: " + r.err);
}

std::vector<SheetRow> read_all(const std::filesystem::path& path, const ReadOptions& options) {
  auto reader = open_sheet(path, options);
  std::vector<SheetRow> rows;
  SheetRow row;
  while (reader->next(row)) rows.push_back(row);
  return rows;
}

}  // namespace invoicing::import::test

// open_sheet: the reader chosen by what the file holds, not by its name.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>

#include "import/csv_reader.h"
#include "import/sheet.h"
#include "import/xls_reader.h"
#include "import/xlsx_reader.h"

namespace invoicing::import {

std::unique_ptr<SheetReader> open_sheet(const std::filesystem::path& path,
                                        const ReadOptions& options) {
  std::string name = path.filename().string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ImportError(fmt::format("{}: is a folder, not a file", path.string()));
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");  // the user's input file, only read
  if (!f) throw ImportError(fmt::format("{}: cannot be opened", path.string()));
  unsigned char magic[8] = {};
  size_t n = std::fread(magic, 1, sizeof magic, f);
  std::fclose(f);
  if (n == 0) throw ImportError(fmt::format("{}: the file is empty", name));
  if (n >= 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0) {
    return std::make_unique<XlsxReader>(path, options);
  }
  if (n >= 4 && std::memcmp(magic, "PK\x05\x06", 4) == 0) {
    throw ImportError(fmt::format("{}: an empty ZIP archive, not a spreadsheet", name));
  }
  if (n == 8 && std::memcmp(magic, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
    return std::make_unique<XlsReader>(path, options);
  }
  return std::make_unique<CsvReader>(path, options);
}

}  // namespace invoicing::import

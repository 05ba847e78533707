// XLSX sheets read as a stream: the sheet's XML is inflated and parsed a chunk at a time,
// so only the rows of one chunk (and the shared strings) are ever in memory.
//
// Written here because Debian packages no XLSX reader for C++; it stands on libzip and expat.
#pragma once

#include <deque>
#include <filesystem>
#include <memory>

#include "import/sheet.h"
#include "import/xlsx_workbook.h"

namespace invoicing::import {

class XlsxSheetParser;

class XlsxReader : public SheetReader {
 public:
  // Opens the workbook and the sheet `options.sheet` (the first when empty). Throws
  // ImportError (not an XLSX, no such sheet, broken shared strings or styles...).
  XlsxReader(const std::filesystem::path& path, const ReadOptions& options);
  ~XlsxReader() override;

  bool next(SheetRow& row) override;
  const SourceFormat& format() const override { return format_; }
  ReadProgress progress() const override;

 private:
  std::unique_ptr<ZipArchive> archive_;
  XlsxWorkbook workbook_;
  SharedStrings strings_;
  SourceFormat format_;
  std::deque<SheetRow> ready_;
  std::unique_ptr<XlsxSheetParser> parser_;
};

}  // namespace invoicing::import

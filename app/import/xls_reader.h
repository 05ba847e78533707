// Excel 97-2003 (BIFF) sheets through FreeXL. An XLS sheet has at most 65,536 rows and FreeXL
// reads the workbook into memory when it opens it; rows are handed on one at a time.
#pragma once

#include <filesystem>

#include "import/sheet.h"

namespace invoicing::import {

class XlsReader : public SheetReader {
 public:
  // Throws ImportError (not an XLS file, password-protected, no such sheet).
  XlsReader(const std::filesystem::path& path, const ReadOptions& options);
  ~XlsReader() override;

  bool next(SheetRow& row) override;
  const SourceFormat& format() const override { return format_; }
  ReadProgress progress() const override { return {row_ * bytes_per_row_, size_}; }

 private:
  const void* handle_ = nullptr;
  std::string display_;
  SourceFormat format_;
  unsigned rows_ = 0;
  unsigned short columns_ = 0;
  unsigned row_ = 0;
  uint64_t size_ = 0, bytes_per_row_ = 0;
};

}  // namespace invoicing::import

// The small parts of an XLSX file read before its sheet: where the workbook is, its sheets,
// the date system, which cell styles show dates, and the shared strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "import/zip_archive.h"

namespace invoicing::import {

struct XlsxSheetRef {
  std::string name;
  std::string part;  // "xl/worksheets/sheet1.xml"
};

// What a cell style makes of a number.
enum class NumberStyle : uint8_t { number, date, time };

struct XlsxWorkbook {
  std::vector<XlsxSheetRef> sheets;
  bool date1904 = false;
  std::string shared_strings_part;  // empty when there is none
  std::string styles_part;
  std::vector<NumberStyle> cell_styles;  // by the cell's s="..." index
};

// Reads _rels/.rels, the workbook and its relationships, and the styles. Throws ImportError.
XlsxWorkbook read_workbook(const ZipArchive& archive, const ReadLimits& limits);

// Whether a number format shows a date or time: the built-in formats 14-22 and 45-47, and
// custom formats with d, m, y or h outside quotes, brackets and escapes.
NumberStyle number_style(int builtin_id, std::string_view custom_format);

// The shared strings, in one buffer (a 100,000-row sheet can have as many strings).
class SharedStrings {
 public:
  void load(const ZipArchive& archive, const std::string& part, const ReadLimits& limits);
  size_t size() const { return ends_.size(); }
  std::string_view at(size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

 private:
  friend class SharedStringsParser;
  std::string text_;
  std::vector<uint32_t> ends_;
};

}  // namespace invoicing::import

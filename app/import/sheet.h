// What every reader of an import file hands on: rows of typed cells, read one at a time so
// that a file of any length is never held whole in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace invoicing::import {

// A file that cannot be imported: the message names the file and, where it applies, the row
// or the part of the file that is wrong. Nothing has been produced when this is thrown.
class ImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class CellKind { empty, text, number, boolean, date };

// One cell. The value is always text, so that numbers stay exact:
//   text     as written (UTF-8)
//   number   plain decimal text, '.' as mark, no exponent: "-1234.5", "0.000012"
//   boolean  "1" or "0"
//   date     ISO "2024-03-01", with " 14:30:00" when it has a time; "14:30:00" for a time
struct Cell {
  CellKind kind = CellKind::empty;
  std::string value;
};

struct SheetRow {
  uint64_t number = 0;  // as the user sees it: the sheet's row, or the text file's line
  std::vector<Cell> cells;
};

// What was detected about the file (the import plan adds the decimal mark).
struct SourceFormat {
  std::string type;      // "csv", "xlsx", "xls"
  std::string encoding;  // text files: "UTF-8", "UTF-8 with BOM", "Windows-1252", "UTF-16LE"
  char separator = 0;    // text files: ';', ',' or '\t' (0: a single column)
  std::string sheet;     // spreadsheets: the sheet read
  std::vector<std::string> sheets;  // spreadsheets: all sheets, in workbook order
};

struct ReadProgress {
  uint64_t bytes_read = 0;  // of the file (XLSX: of the sheet's XML)
  uint64_t bytes_total = 0;
};

// Limits against files built to exhaust memory or time.
struct ReadLimits {
  uint64_t max_entry_bytes = uint64_t{4} << 30;   // XLSX: uncompressed size of one part
  uint64_t max_shared_strings_bytes = 512 << 20;  // XLSX: the shared strings held in memory
  uint32_t max_ratio = 200;             // XLSX: uncompressed / compressed size of one part
  uint32_t max_record_bytes = 1 << 20;  // text files: one record (an unclosed quote...)
  uint32_t max_columns = 16384;         // Excel's own limit
  uint32_t max_cell_chars = 32767;      // Excel's own limit
};

struct ReadOptions {
  std::string sheet;     // spreadsheets: the sheet to read (empty: the first)
  std::string encoding;  // text files: "" detect, "utf-8", "windows-1252"
  char separator = 0;    // text files: 0 detect, or ';', ',' '\t'
  ReadLimits limits;
};

class SheetReader {
 public:
  virtual ~SheetReader() = default;
  // The next row that has at least one cell (blank rows are skipped); false at the end.
  // Throws ImportError for a broken file.
  virtual bool next(SheetRow& row) = 0;
  virtual const SourceFormat& format() const = 0;
  virtual ReadProgress progress() const = 0;
};

// Opens `path` by what it holds (a ZIP is XLSX, an OLE2 compound file is XLS, anything else is
// read as delimited text), whatever its name. Throws ImportError.
std::unique_ptr<SheetReader> open_sheet(const std::filesystem::path& path,
                                        const ReadOptions& options = {});

}  // namespace invoicing::import

// Tables of typed cells written as CSV (for Belgian and Dutch Excel) or as XLSX sheets (with
// libxlsxwriter): the document overview for the accountant, and any other list (customers,
// articles) that wants the same two formats.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "domain/money.h"
#include "outputs/document_data.h"

namespace invoicing::outputs {

enum class CellType { text, number, money, date, integer };

// An empty cell, text, an exact number (money or quantity), a date or a whole number.
using Cell = std::variant<std::monostate, std::string, domain::Decimal, Date, int64_t>;

struct TableColumn {
  std::string title;
  CellType type = CellType::text;
  bool total = false;  // summed in the totals row
  double width = 0;    // XLSX column width in characters; 0: chosen from the type
};

struct Table {
  std::string name;  // the sheet name in XLSX (at most 31 characters are kept)
  std::vector<TableColumn> columns;
  std::vector<std::vector<Cell>> rows;
  std::string totals_label;  // non-empty: a totals row after the rows, this text in column 1
};

// CSV as Belgian and Dutch Excel opens it by double-click: UTF-8 with a byte order mark, ';'
// between fields, CRLF line ends, a decimal comma and no thousands separator, ISO dates
// (2026-03-15). Fields with ';', '"' or a line break are quoted. A text cell that starts with
// '=', '+', '-', '@', a tab or a CR gets a leading "'" so a spreadsheet never runs it as a
// formula (numbers are never text cells, so negative amounts stay numbers).
std::string write_csv(const Table& table);

// The tables as sheets of one XLSX workbook: numbers and dates as real cells with number
// formats, the totals row as SUM formulas (with their values cached, so readers that do not
// calculate see them too). The workbook is written to a temp file beside `target` and renamed.
// Throws std::runtime_error naming the file when libxlsxwriter fails.
void write_xlsx(const std::vector<Table>& sheets, const std::filesystem::path& target);

// Excel sheet name rules: at most 31 characters, none of []:*?/\ ; unique within a workbook.
std::string sheet_name(const std::string& wanted, const std::vector<std::string>& taken);

}  // namespace invoicing::outputs

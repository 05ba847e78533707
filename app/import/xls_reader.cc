#include "import/xls_reader.h"

#include <fmt/format.h>
#include <freexl.h>

#include "import/values.h"

namespace invoicing::import {

namespace {
const char* freexl_reason(int rc) {
  switch (rc) {
    case FREEXL_FILE_NOT_FOUND:
      return "cannot be opened";
    case FREEXL_INSUFFICIENT_MEMORY:
      return "too large for the memory";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return "holds no Excel workbook (another Office file?)";
    case FREEXL_UNSUPPORTED_CHARSET:
      return "uses a character set FreeXL does not read";
    case FREEXL_CRAFTED_FILE:
      return "is damaged or crafted (FreeXL refuses it)";
    default:
      return "is not a readable XLS file";
  }
}
}  // namespace

XlsReader::XlsReader(const std::filesystem::path& path, const ReadOptions& options)
    : display_(path.filename().string()) {
  std::error_code ec;
  size_ = std::filesystem::file_size(path, ec);
  int rc = freexl_open(path.c_str(), &handle_);
  if (rc != FREEXL_OK) {
    if (handle_) freexl_close(handle_);
    handle_ = nullptr;
    throw ImportError(fmt::format("{}: {} (FreeXL error {})", display_, freexl_reason(rc), rc));
  }
  format_.type = "xls";
  unsigned count = 0;
  freexl_get_info(handle_, FREEXL_BIFF_SHEET_COUNT, &count);
  int chosen = -1;
  for (unsigned i = 0; i < count && i < 65536; ++i) {
    const char* name = nullptr;
    if (freexl_get_worksheet_name(handle_, static_cast<unsigned short>(i), &name) != FREEXL_OK)
      continue;
    format_.sheets.emplace_back(name ? name : "");
    if (chosen < 0 && (options.sheet.empty() || format_.sheets.back() == options.sheet)) {
      chosen = static_cast<int>(i);
    }
  }
  if (chosen < 0) {
    std::string names;
    for (const auto& s : format_.sheets) names += (names.empty() ? "'" : ", '") + s + "'";
    freexl_close(handle_);
    handle_ = nullptr;
    throw ImportError(
        options.sheet.empty()
            ? fmt::format("{}: the workbook has no sheets", display_)
            : fmt::format("{}: no sheet named '{}' (sheets: {})", display_, options.sheet, names));
  }
  format_.sheet = format_.sheets[static_cast<size_t>(chosen)];
  freexl_select_active_worksheet(handle_, static_cast<unsigned short>(chosen));
  if (freexl_worksheet_dimensions(handle_, &rows_, &columns_) != FREEXL_OK) rows_ = 0;
  bytes_per_row_ = rows_ ? size_ / rows_ : 0;
}

XlsReader::~XlsReader() {
  if (handle_) freexl_close(handle_);
}

bool XlsReader::next(SheetRow& row) {
  while (row_ < rows_) {
    row.number = row_ + 1;
    row.cells.clear();
    bool any = false;
    for (unsigned short c = 0; c < columns_; ++c) {
      FreeXL_CellValue v;
      Cell cell;
      if (freexl_get_cell_value(handle_, row_, c, &v) != FREEXL_OK) {
        throw ImportError(fmt::format("{}: sheet '{}': row {} cannot be read", display_,
                                      format_.sheet, row_ + 1));
      }
      switch (v.type) {
        case FREEXL_CELL_INT:
          cell.kind = CellKind::number;
          cell.value = std::to_string(v.value.int_value);
          break;
        case FREEXL_CELL_DOUBLE:
          cell.kind = CellKind::number;
          cell.value = number_from_double(v.value.double_value);
          break;
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
          if (v.value.text_value && *v.value.text_value) {
            cell.kind = CellKind::text;
            cell.value = v.value.text_value;
          }
          break;
        case FREEXL_CELL_DATE:
        case FREEXL_CELL_DATETIME:
        case FREEXL_CELL_TIME:
          cell.kind = CellKind::date;
          cell.value = v.value.text_value ? v.value.text_value : "";
          if (v.type == FREEXL_CELL_DATETIME && cell.value.size() == 19 &&
              cell.value.compare(10, 9, " 00:00:00") == 0) {
            cell.value.resize(10);
          }
          break;
        default:
          break;
      }
      if (cell.kind != CellKind::empty) {
        any = true;
        row.cells.resize(c);
        row.cells.push_back(std::move(cell));
      }
    }
    ++row_;
    if (any) return true;
  }
  return false;
}

}  // namespace invoicing::import

#include "import/xlsx_reader.h"

#include <fmt/format.h>

#include "import/values.h"
#include "import/xml_part.h"

namespace invoicing::import {

namespace {

// "C5" -> column 2 (0-based) and row 5; false when it is not a cell reference.
bool parse_ref(const char* ref, uint32_t& column, uint64_t& row) {
  const char* p = ref;
  uint64_t col = 0;
  while (*p >= 'A' && *p <= 'Z') {
    col = col * 26 + static_cast<uint64_t>(*p - 'A' + 1);
    if (col > (1u << 20)) return false;
    ++p;
  }
  if (col == 0 || *p < '0' || *p > '9') return false;
  uint64_t r = 0;
  while (*p >= '0' && *p <= '9') {
    r = r * 10 + static_cast<uint64_t>(*p - '0');
    if (r > (uint64_t{1} << 32)) return false;
    ++p;
  }
  if (*p != 0 || r == 0) return false;
  column = static_cast<uint32_t>(col - 1);
  row = r;
  return true;
}

bool parse_uint(const char* s, uint64_t& out) {
  if (!s || !*s) return false;
  out = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') return false;
    out = out * 10 + static_cast<uint64_t>(*s - '0');
    if (out > (uint64_t{1} << 40)) return false;
  }
  return true;
}

std::string column_name(uint32_t col) {
  std::string s;
  for (uint64_t c = uint64_t{col} + 1; c > 0; c = (c - 1) / 26) {
    s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  }
  return s;
}

}  // namespace

// The sheet's <row> and <c> elements turned into SheetRows, queued until next() takes them.
class XlsxSheetParser : public XmlPart {
 public:
  XlsxSheetParser(const ZipArchive& a, const std::string& part, const ReadLimits& limits,
                  const XlsxWorkbook& wb, const SharedStrings& strings, std::deque<SheetRow>& out)
      : XmlPart(a, part, limits), wb_(wb), strings_(strings), out_(out), limits_(limits) {}

 protected:
  void on_start(std::string_view name, const char** attrs) override {
    if (name == "row") {
      uint64_t r = 0;
      const char* ref = attr(attrs, "r");
      if (ref && !parse_uint(ref, r)) throw error(fmt::format("a row numbered '{}'", ref));
      if (!ref) r = last_row_ + 1;
      if (r <= last_row_) throw error(fmt::format("row {} comes after row {}", r, last_row_));
      last_row_ = r;
      row_.number = r;
      row_.cells.clear();
      in_row_ = true;
      next_col_ = 0;
    } else if (name == "c" && in_row_) {
      const char* ref = attr(attrs, "r");
      if (ref) {
        uint64_t r;
        if (!parse_ref(ref, col_, r) || r != row_.number) {
          throw error(fmt::format("cell '{}' in row {}", ref, row_.number));
        }
      } else {
        col_ = next_col_;
      }
      if (col_ >= limits_.max_columns) {
        throw error(fmt::format("cell {}{} is past column {}", column_name(col_), row_.number,
                                limits_.max_columns));
      }
      next_col_ = col_ + 1;
      const char* t = attr(attrs, "t");
      type_ = t ? t : "n";
      uint64_t s = 0;
      style_ = parse_uint(attr(attrs, "s"), s) && s < wb_.cell_styles.size() ? wb_.cell_styles[s]
                                                                             : NumberStyle::number;
      value_.clear();
      in_cell_ = true;
    } else if (in_cell_ && (name == "v" || (name == "t" && in_is_ && phonetic_ == 0))) {
      in_value_ = true;
    } else if (in_cell_ && name == "is") {
      in_is_ = true;
    } else if (in_cell_ && name == "rPh") {
      ++phonetic_;
    }
  }

  void on_end(std::string_view name) override {
    if (name == "v" || name == "t") {
      in_value_ = false;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "c" && in_cell_) {
      in_cell_ = false;
      Cell cell = make_cell();
      if (cell.kind != CellKind::empty) {
        if (row_.cells.size() <= col_) row_.cells.resize(col_ + 1);
        row_.cells[col_] = std::move(cell);
      }
    } else if (name == "row" && in_row_) {
      in_row_ = false;
      if (!row_.cells.empty()) out_.push_back(std::move(row_));
      row_ = SheetRow{};
    }
  }

  void on_text(std::string_view s) override {
    if (!in_value_) return;
    if (value_.size() + s.size() > size_t{limits_.max_cell_chars} * 4) {
      throw error(fmt::format("cell {}{} holds more than {} characters", column_name(col_),
                              row_.number, limits_.max_cell_chars));
    }
    value_.append(s);
  }

 private:
  Cell make_cell() {
    Cell c;
    auto where = [&] { return fmt::format("cell {}{}", column_name(col_), row_.number); };
    if (type_ == "s") {
      uint64_t i;
      if (!parse_uint(value_.c_str(), i) || i >= strings_.size()) {
        throw error(
            fmt::format("{} refers to shared string '{}' of {}", where(), value_, strings_.size()));
      }
      c.value = std::string(strings_.at(i));
      c.kind = c.value.empty() ? CellKind::empty : CellKind::text;
    } else if (type_ == "inlineStr" || type_ == "str" || type_ == "e") {
      c.value = value_;
      c.kind = c.value.empty() ? CellKind::empty : CellKind::text;
    } else if (type_ == "b") {
      if (value_ != "0" && value_ != "1") {
        throw error(fmt::format("{} holds boolean '{}'", where(), value_));
      }
      c.kind = CellKind::boolean;
      c.value = value_;
    } else if (type_ == "d") {
      auto d = parse_date_text(value_);
      if (value_.empty()) return c;
      if (!d) throw error(fmt::format("{} holds date '{}'", where(), value_));
      c.kind = CellKind::date;
      c.value = *d;
    } else {
      if (value_.empty()) return c;
      auto n = normalize_number(value_);
      if (!n) throw error(fmt::format("{} holds number '{}'", where(), value_));
      if (style_ != NumberStyle::number) {
        auto d = date_from_serial(*n, wb_.date1904, style_ == NumberStyle::time);
        if (d) {
          c.kind = CellKind::date;
          c.value = *d;
          return c;
        }
      }
      c.kind = CellKind::number;
      c.value = *n;
    }
    return c;
  }

  const XlsxWorkbook& wb_;
  const SharedStrings& strings_;
  std::deque<SheetRow>& out_;
  ReadLimits limits_;
  SheetRow row_;
  uint64_t last_row_ = 0;
  uint32_t col_ = 0, next_col_ = 0;
  bool in_row_ = false, in_cell_ = false, in_value_ = false, in_is_ = false;
  int phonetic_ = 0;
  std::string type_, value_;
  NumberStyle style_ = NumberStyle::number;
};

XlsxReader::XlsxReader(const std::filesystem::path& path, const ReadOptions& options) {
  std::string display = path.filename().string();
  archive_ = std::make_unique<ZipArchive>(path, display);
  workbook_ = read_workbook(*archive_, options.limits);
  format_.type = "xlsx";
  const XlsxSheetRef* sheet = nullptr;
  for (const auto& s : workbook_.sheets) {
    format_.sheets.push_back(s.name);
    if (!sheet && (options.sheet.empty() || s.name == options.sheet)) sheet = &s;
  }
  if (!sheet) {
    std::string names;
    for (const auto& s : workbook_.sheets) names += (names.empty() ? "'" : ", '") + s.name + "'";
    throw ImportError(
        fmt::format("{}: no sheet named '{}' (sheets: {})", display, options.sheet, names));
  }
  format_.sheet = sheet->name;
  if (!workbook_.shared_strings_part.empty() && archive_->has(workbook_.shared_strings_part)) {
    strings_.load(*archive_, workbook_.shared_strings_part, options.limits);
  }
  parser_ = std::make_unique<XlsxSheetParser>(*archive_, sheet->part, options.limits, workbook_,
                                              strings_, ready_);
}

XlsxReader::~XlsxReader() = default;

bool XlsxReader::next(SheetRow& row) {
  while (ready_.empty()) {
    if (!parser_->step()) break;
  }
  if (ready_.empty()) return false;
  row = std::move(ready_.front());
  ready_.pop_front();
  return true;
}

ReadProgress XlsxReader::progress() const {
  return {parser_->bytes_read(), std::max(parser_->declared_size(), parser_->bytes_read())};
}

}  // namespace invoicing::import

#include "outputs/table_writer.h"

#include <xlsxwriter.h>

#include <cstdlib>
#include <stdexcept>

#include "outputs/atomic_file.h"
#include "outputs/text_clean.h"

namespace invoicing::outputs {

namespace {

std::string csv_field(const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) return {};
  if (const auto* d = std::get_if<domain::Decimal>(&cell)) {
    std::string s = d->to_string();
    for (char& c : s) {
      if (c == '.') c = ',';
    }
    return s;
  }
  if (const auto* date = std::get_if<Date>(&cell)) return iso_date(*date);
  if (const auto* i = std::get_if<int64_t>(&cell)) return std::to_string(*i);
  std::string s = clean_text(std::get<std::string>(cell));
  // Apostrophes before a formula character get one more too, so that the import can take
  // exactly one off and give back the text as it was ("'=x" -> "''=x" -> "'=x").
  size_t first = s.find_first_not_of('\'');
  if (first != std::string::npos && std::string_view("=+-@\t\r").find(s[first]) != std::string_view::npos) {
    s.insert(0, "'");
  }
  if (s.find_first_of(";\"\r\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : s) {
      q += c;
      if (c == '"') q += '"';
    }
    return q + "\"";
  }
  return s;
}

// The sum of one column's numbers; the totals row of the CSV and the cached formula value.
domain::Decimal column_sum(const Table& t, size_t col) {
  domain::Decimal sum;
  for (const auto& row : t.rows) {
    if (col < row.size()) {
      if (const auto* d = std::get_if<domain::Decimal>(&row[col])) sum += *d;
      if (const auto* i = std::get_if<int64_t>(&row[col])) sum += domain::Decimal::from_integer(*i);
    }
  }
  return sum;
}

// XLSX holds numbers as IEEE doubles (the file format has nothing else); the exact decimal
// text converts to the nearest double, which Excel shows back as the same decimal.
double to_double(const domain::Decimal& d) { return std::strtod(d.to_string().c_str(), nullptr); }

void check(lxw_error e, const std::filesystem::path& target) {
  if (e != LXW_NO_ERROR) throw std::runtime_error(target.string() + ": " + lxw_strerror(e));
}

std::string column_letters(size_t col) {
  std::string s;
  ++col;
  while (col > 0) {
    s.insert(s.begin(), static_cast<char>('A' + (col - 1) % 26));
    col = (col - 1) / 26;
  }
  return s;
}

}  // namespace

std::string write_csv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const std::vector<Cell>& cells) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (i > 0) out += ';';
      if (i < cells.size()) out += csv_field(cells[i]);
    }
    out += "\r\n";
  };
  std::vector<Cell> header;
  for (const auto& c : table.columns) header.emplace_back(c.title);
  line(header);
  for (const auto& row : table.rows) line(row);
  if (!table.totals_label.empty()) {
    std::vector<Cell> totals(table.columns.size());
    totals[0] = table.totals_label;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].total) totals[i] = column_sum(table, i);
    }
    line(totals);
  }
  return out;
}

std::string sheet_name(const std::string& wanted, const std::vector<std::string>& taken) {
  std::string base;
  for (char c : clean_text(wanted)) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) base += c;
  }
  if (base.empty()) base = "Sheet";
  auto cut = [](std::string s, size_t max) {
    // At most `max` bytes without splitting a UTF-8 sequence (31 bytes ≤ 31 characters).
    if (s.size() <= max) return s;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
  };
  std::string name = cut(base, 31);
  for (int i = 2;; ++i) {
    bool used = false;
    for (const auto& t : taken) used |= t == name;
    if (!used) return name;
    const std::string suffix = " (" + std::to_string(i) + ")";
    name = cut(base, 31 - suffix.size()) + suffix;
  }
}

void write_xlsx(const std::vector<Table>& sheets, const std::filesystem::path& target) {
  const std::filesystem::path temp = temp_path_beside(target);
  lxw_workbook* wb = workbook_new(temp.c_str());
  if (!wb) throw std::runtime_error(temp.string() + ": the workbook cannot be created");
  try {
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format* money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    lxw_format* money_bold = workbook_add_format(wb);
    format_set_num_format(money_bold, "#,##0.00");
    format_set_bold(money_bold);
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    std::vector<std::string> names;
    for (const Table& t : sheets) {
      names.push_back(sheet_name(t.name, names));
      lxw_worksheet* ws = workbook_add_worksheet(wb, names.back().c_str());
      if (!ws) throw std::runtime_error(target.string() + ": sheet '" + names.back() + "' cannot be added");
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const TableColumn& col = t.columns[c];
        const double width = col.width > 0                     ? col.width
                             : col.type == CellType::date      ? 12
                             : col.type == CellType::text      ? 24
                                                               : 14;
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width, nullptr);
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), clean_text(col.title).c_str(), bold);
      }
      worksheet_freeze_panes(ws, 1, 0);
      lxw_row_t r = 1;
      for (const auto& row : t.rows) {
        for (size_t c = 0; c < row.size() && c < t.columns.size(); ++c) {
          const auto col = static_cast<lxw_col_t>(c);
          const Cell& cell = row[c];
          if (const auto* s = std::get_if<std::string>(&cell)) {
            // libxlsxwriter stores strings as strings: a leading '=' is never a formula here.
            if (!s->empty()) worksheet_write_string(ws, r, col, clean_text(*s).c_str(), nullptr);
          } else if (const auto* d = std::get_if<domain::Decimal>(&cell)) {
            worksheet_write_number(ws, r, col, to_double(*d), t.columns[c].type == CellType::money ? money : nullptr);
          } else if (const auto* dt = std::get_if<Date>(&cell)) {
            lxw_datetime v = {static_cast<int>(dt->year()), static_cast<int>(static_cast<unsigned>(dt->month())),
                              static_cast<int>(static_cast<unsigned>(dt->day())), 0, 0, 0};
            worksheet_write_datetime(ws, r, col, &v, date);
          } else if (const auto* i = std::get_if<int64_t>(&cell)) {
            worksheet_write_number(ws, r, col, static_cast<double>(*i), nullptr);
          }
        }
        ++r;
      }
      if (!t.totals_label.empty()) {
        worksheet_write_string(ws, r, 0, clean_text(t.totals_label).c_str(), bold);
        for (size_t c = 0; c < t.columns.size(); ++c) {
          if (!t.columns[c].total) continue;
          const std::string letters = column_letters(c);
          const std::string formula = "=SUM(" + letters + "2:" + letters + std::to_string(r) + ")";
          worksheet_write_formula_num(ws, r, static_cast<lxw_col_t>(c), formula.c_str(),
                                      t.columns[c].type == CellType::money ? money_bold : bold,
                                      to_double(column_sum(t, c)));
        }
      }
    }
    if (sheets.empty()) workbook_add_worksheet(wb, nullptr);
  } catch (...) {
    workbook_close(wb);
    discard_temp_file(temp);
    throw;
  }
  const lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) {
    discard_temp_file(temp);
    check(e, target);
  }
  commit_temp_file(temp, target);
}

}  // namespace invoicing::outputs

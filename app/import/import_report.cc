#include "import/import_report.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <system_error>

#include "import/text_fold.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace invoicing::import {

namespace {

// Cuts to `width` characters (not bytes) and pads, for the dry-run table.
std::string cell_text(std::string_view s, size_t width) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    bool lead = (b & 0xC0) != 0x80;
    if (lead && chars == width) {
      // Replace the last character with an ellipsis.
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
        out.pop_back();
      if (!out.empty()) out.pop_back();
      out += "\xE2\x80\xA6";
      return out;
    }
    if (lead) ++chars;
    out += (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') ? ' ' : s[i];
  }
  out.append(width - chars, ' ');
  return out;
}

std::string separator_name(char c) {
  switch (c) {
    case ';':
      return "';'";
    case ',':
      return "','";
    case '\t':
      return "tab";
    default:
      return "none (one column)";
  }
}

}  // namespace

std::string csv_cell(std::string_view value) {
  std::string v(value);
  size_t first = v.find_first_not_of('\'');  // the rule without_formula_guard() undoes
  if (first != std::string::npos &&
      std::string_view("=+-@\t\r").find(v[first]) != std::string_view::npos)
    v = "'" + v;
  if (v.find_first_of(";\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string problems_csv(const ImportPlan& plan) {
  std::string out =
      "\xEF\xBB\xBF"
      "row;column;value;reason\r\n";
  for (const auto& p : plan.problems) {
    out += fmt::format("{};{};{};{}\r\n", p.row, csv_cell(p.column), csv_cell(p.value),
                       csv_cell(p.reason));
  }
  if (plan.problems_not_kept > 0) {
    out += fmt::format(";;;{}\r\n", csv_cell(fmt::format("and {} more problems not listed",
                                                         plan.problems_not_kept)));
  }
  return out;
}

void write_problems_csv(const ImportPlan& plan, const std::filesystem::path& path) {
  try {
    xbase::write_durably(xbase::FileSystem::os(), path, problems_csv(plan));
  } catch (const xbase::Error& e) {
    throw std::runtime_error(fmt::format("{}: cannot be written ({})", path.string(), e.detail()));
  }
}

std::string dry_run_text(const ImportPlan& plan, size_t rows) {
  const TargetDef& def = target_def(plan.target);
  std::string out;
  out += fmt::format("File:     {}\n", plan.file);
  const auto& f = plan.format;
  if (f.type == "csv") {
    out += fmt::format("Format:   text (CSV), {}, separator {}, decimal mark '{}'{}\n", f.encoding,
                       separator_name(f.separator), plan.decimal_mark,
                       plan.decimal_mark_detected ? "" : " (default)");
  } else {
    std::string others;
    for (const auto& s : f.sheets) {
      if (s != f.sheet) others += (others.empty() ? "" : ", ") + s;
    }
    out += fmt::format("Format:   {}, sheet '{}'{}\n",
                       f.type == "xlsx" ? "Excel (XLSX)" : "Excel 97-2003 (XLS)", f.sheet,
                       others.empty() ? "" : " (other sheets: " + others + ")");
  }
  out += fmt::format("Target:   {}\n", def.name);
  out += fmt::format("Header:   row {}\n", plan.header_row);
  out += "Mapping:\n";
  const auto& m = plan.mapping;
  size_t width = 0;
  for (size_t c = 0; c < m.headers.size(); ++c)
    width = std::max(width, utf8_length(m.column_label(c)));
  width = std::min<size_t>(width, 40);
  for (size_t c = 0; c < m.headers.size(); ++c) {
    int field = m.column_field[c];
    std::string target = field >= 0 ? def.fields[field].name : "(not imported)";
    out += fmt::format("  {} -> {}{}\n", cell_text(m.column_label(c), width), target,
                       m.explicit_column[c] ? " (given)" : "");
  }
  if (plan.codes_generated) {
    out += fmt::format(
        "Codes:    none in the file; made from the {} (upper-case letters and digits)\n",
        def.code_source);
  }
  auto unmapped = m.unmapped();
  if (!unmapped.empty()) {
    std::string list;
    for (const auto& u : unmapped) list += (list.empty() ? "" : ", ") + u;
    out += fmt::format("Ignored:  {}\n", list);
  }
  out += fmt::format("Rows:     {} read, {} to import, {} with problems\n", plan.rows_read,
                     plan.rows.size(), plan.rows_rejected);

  // The first rows as they will be imported, one column per mapped field.
  std::vector<size_t> fields;
  for (size_t i = 0; i < def.fields.size(); ++i) {
    if (m.field_column[i] >= 0 ||
        (plan.codes_generated && std::string_view(def.fields[i].name) == "code")) {
      fields.push_back(i);
    }
  }
  size_t shown = std::min(rows, plan.rows.size());
  if (shown > 0) {
    out += fmt::format("\nFirst {} rows to import:\n", shown);
    std::vector<size_t> widths;
    for (size_t fi : fields) {
      size_t w = utf8_length(def.fields[fi].name);
      for (size_t r = 0; r < shown; ++r) w = std::max(w, utf8_length(plan.rows[r].at(fi)));
      widths.push_back(std::min<size_t>(w, 24));
    }
    out += "  row    ";
    for (size_t k = 0; k < fields.size(); ++k)
      out += " " + cell_text(def.fields[fields[k]].name, widths[k]);
    out += "\n";
    for (size_t r = 0; r < shown; ++r) {
      out += fmt::format("  {:<6} ", plan.rows[r].source_row());
      for (size_t k = 0; k < fields.size(); ++k)
        out += " " + cell_text(plan.rows[r].at(fields[k]), widths[k]);
      out += "\n";
    }
  }
  if (!plan.problems.empty()) {
    size_t n = std::min(rows, plan.problems.size());
    out += fmt::format("\nProblems ({} in all; the first {}):\n",
                       plan.problems.size() + plan.problems_not_kept, n);
    for (size_t i = 0; i < n; ++i) {
      const auto& p = plan.problems[i];
      out += fmt::format("  row {}, {}: '{}': {}\n", p.row, p.column,
                         cell_text(p.value, std::min<size_t>(utf8_length(p.value), 40)), p.reason);
    }
  }
  return out;
}

}  // namespace invoicing::import

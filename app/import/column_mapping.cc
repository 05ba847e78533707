#include "import/column_mapping.h"

#include <fmt/format.h>

#include "import/sheet.h"
#include "import/text_fold.h"
#include "import/values.h"

namespace invoicing::import {

namespace {

std::string column_letter(size_t col) {
  std::string s;
  for (size_t c = col + 1; c > 0; c = (c - 1) / 26)
    s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  return s;
}

bool alias_matches(const char* aliases, const std::string& key) {
  std::string_view list(aliases);
  while (!list.empty()) {
    size_t bar = list.find('|');
    if (list.substr(0, bar) == key) return true;
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return false;
}

std::string separator_text(char c) { return c == '\t' ? "tab" : std::string(1, c); }

}  // namespace

std::vector<std::string> ColumnMapping::unmapped() const {
  std::vector<std::string> out;
  for (size_t c = 0; c < headers.size(); ++c) {
    if (column_field[c] < 0) out.push_back(column_label(c));
  }
  return out;
}

std::string ColumnMapping::column_label(size_t column) const {
  if (column < headers.size() && !headers[column].empty()) return headers[column];
  return "column " + column_letter(column);
}

MappingPairs parse_mapping(std::string_view text) {
  MappingPairs out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    size_t eq = item.rfind('=');
    if (eq == std::string_view::npos) {
      throw ImportError(fmt::format("mapping '{}': expected 'Column=field'", item));
    }
    std::string_view field = trim(item.substr(eq + 1));
    if (field == "-") field = "";
    out.emplace_back(std::string(trim(item.substr(0, eq))), std::string(field));
  }
  return out;
}

ColumnMapping map_columns(const TargetDef& target, const std::vector<std::string>& headers,
                          const MappingPairs& pairs, const std::string& file) {
  ColumnMapping m;
  m.headers = headers;
  m.column_field.assign(headers.size(), -1);
  m.explicit_column.assign(headers.size(), false);
  m.field_column.assign(target.fields.size(), -1);
  std::vector<std::string> folded;
  for (const auto& h : headers) folded.push_back(fold_key(h));

  for (const auto& [column, field] : pairs) {
    // The header as written, else folded, else a column letter ("C").
    int col = -1;
    for (size_t c = 0; c < headers.size() && col < 0; ++c) {
      if (headers[c] == column) col = static_cast<int>(c);
    }
    for (size_t c = 0; c < headers.size() && col < 0; ++c) {
      if (!folded[c].empty() && folded[c] == fold_key(column)) col = static_cast<int>(c);
    }
    for (size_t c = 0; c < headers.size() && col < 0; ++c) {
      if (column == column_letter(c) || column == "column " + column_letter(c))
        col = static_cast<int>(c);
    }
    if (col < 0) {
      std::string names;
      for (size_t c = 0; c < headers.size(); ++c) names += (c ? ", " : "") + m.column_label(c);
      throw ImportError(
          fmt::format("{}: the mapping names column '{}', which the file does not "
                      "have (columns: {})",
                      file, column, names));
    }
    m.explicit_column[col] = true;
    if (field.empty()) continue;  // ignored on purpose
    int f = target.index(field);
    if (f < 0) {
      std::string names;
      for (const auto& d : target.fields)
        names += (names.empty() ? "" : ", ") + std::string(d.name);
      throw ImportError(fmt::format("{}: mapping '{}={}': {} have no field '{}' (fields: {})", file,
                                    column, field, target.name, field, names));
    }
    if (m.field_column[f] >= 0 && m.field_column[f] != col) {
      throw ImportError(fmt::format("{}: mapping: both '{}' and '{}' are mapped to {}", file,
                                    m.column_label(m.field_column[f]), column, field));
    }
    m.field_column[f] = col;
    m.column_field[col] = f;
  }
  for (size_t c = 0; c < headers.size(); ++c) {
    if (m.explicit_column[c] || folded[c].empty()) continue;
    for (size_t f = 0; f < target.fields.size(); ++f) {
      if (m.field_column[f] < 0 && alias_matches(target.fields[f].aliases, folded[c])) {
        m.field_column[f] = static_cast<int>(c);
        m.column_field[c] = static_cast<int>(f);
        break;
      }
    }
  }
  return m;
}

std::string serialize_profile(const ImportProfile& p) {
  std::string out = "# invoicing import profile\n";
  out += "name " + p.name + "\n";
  out += fmt::format("target {}\n", target_name(p.target));
  if (!p.sheet.empty()) out += "sheet " + p.sheet + "\n";
  if (!p.encoding.empty()) out += "encoding " + p.encoding + "\n";
  if (p.separator) out += "separator " + separator_text(p.separator) + "\n";
  if (p.decimal_mark) out += fmt::format("decimal {}\n", p.decimal_mark);
  for (const auto& [column, field] : p.mapping) {
    out += field.empty() ? "ignore " + column + "\n" : "map " + field + " " + column + "\n";
  }
  return out;
}

ImportProfile parse_profile(std::string_view text) {
  ImportProfile p;
  bool has_target = false;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF, CR CR LF
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    size_t sp = line.find(' ');
    std::string_view key = line.substr(0, sp);
    std::string_view rest = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    auto bad = [&](const std::string& why) {
      return ImportError(fmt::format("import profile line {}: {}", line_no, why));
    };
    if (key == "name") {
      p.name = std::string(rest);
    } else if (key == "target") {
      auto t = target_from_name(rest);
      if (!t) throw bad(fmt::format("unknown target '{}' (customers, suppliers, articles)", rest));
      p.target = *t;
      has_target = true;
    } else if (key == "sheet") {
      p.sheet = std::string(rest);
    } else if (key == "encoding") {
      if (rest != "utf-8" && rest != "windows-1252")
        throw bad(fmt::format("unknown encoding '{}'", rest));
      p.encoding = std::string(rest);
    } else if (key == "separator") {
      if (rest == "tab")
        p.separator = '\t';
      else if (rest == ";" || rest == ",")
        p.separator = rest[0];
      else
        throw bad(fmt::format("unknown separator '{}' (';', ',' or tab)", rest));
    } else if (key == "decimal") {
      if (rest != "," && rest != ".") throw bad(fmt::format("unknown decimal mark '{}'", rest));
      p.decimal_mark = rest[0];
    } else if (key == "map") {
      size_t sp2 = rest.find(' ');
      if (sp2 == std::string_view::npos || sp2 + 1 >= rest.size())
        throw bad("expected 'map FIELD COLUMN'");
      p.mapping.emplace_back(std::string(rest.substr(sp2 + 1)), std::string(rest.substr(0, sp2)));
    } else if (key == "ignore") {
      if (rest.empty()) throw bad("expected 'ignore COLUMN'");
      p.mapping.emplace_back(std::string(rest), "");
    } else {
      throw bad(fmt::format("unknown setting '{}'", key));
    }
  }
  if (!has_target) throw ImportError("import profile: no 'target' line");
  for (const auto& [column, field] : p.mapping) {
    if (!field.empty() && target_def(p.target).index(field) < 0) {
      throw ImportError(
          fmt::format("import profile: {} have no field '{}'", target_name(p.target), field));
    }
  }
  return p;
}

}  // namespace invoicing::import

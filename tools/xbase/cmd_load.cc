// xbase load: appends records from JSONL (the dump format) or CSV. The whole input is
// checked before the first record is written, so a bad line leaves the table untouched.
#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "common.h"
#include "json.h"
#include "value_text.h"

namespace xbase::tool {

namespace {

struct Row {
  size_t line = 0;
  std::vector<Value> values;
  bool deleted = false;
};

using RowFn = std::function<void(const Row&)>;

struct InputError : std::runtime_error {
  InputError(size_t line, const std::string& m)
      : std::runtime_error(fmt::format("line {}: {}", line, m)) {}
};

void jsonl_rows(const std::string& text, const Table& t, const RowFn& fn) {
  const auto& fields = t.fields();
  size_t pos = 0, line = 0;
  Row row;
  while (pos < text.size()) {
    size_t e = text.find('\n', pos);
    if (e == std::string::npos) e = text.size();
    std::string_view l(text.data() + pos, e - pos);
    pos = e + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    json::Node n;
    try {
      n = json::parse(l);
    } catch (const json::ParseError& pe) {
      throw InputError(line, fmt::format("invalid JSON {}", pe.what()));
    }
    if (n.type != json::Node::Type::object) throw InputError(line, "expected a JSON object");
    row.line = line;
    row.values.assign(fields.size(), Value::null());
    row.deleted = false;
    for (size_t m = 0; m < n.keys.size(); ++m) {
      const std::string& k = n.keys[m];
      const json::Node& v = n.values[m];
      if (k == "_recno") continue;
      if (k == "_deleted") {
        if (v.type != json::Node::Type::boolean) throw InputError(line, "_deleted must be true or false");
        row.deleted = v.b;
        continue;
      }
      auto i = t.field_index(k);
      if (!i) throw InputError(line, fmt::format("the table has no field \"{}\"", k));
      try {
        row.values[*i] = value_from_json(fields[*i], v);
      } catch (const std::runtime_error& re) {
        throw InputError(line, re.what());
      }
    }
    fn(row);
  }
}

// RFC 4180: comma separated, quoted cells may hold commas, quotes ("") and line breaks.
void csv_rows(const std::string& text, const Table& t, const RowFn& fn) {
  const auto& fields = t.fields();
  size_t pos = 0, line = 1;
  auto next_record = [&](std::vector<std::string>& cells) -> bool {
    cells.clear();
    if (pos >= text.size()) return false;
    std::string cell;
    bool quoted = false;
    size_t start_line = line;
    while (pos < text.size()) {
      char c = text[pos++];
      if (quoted) {
        if (c == '"') {
          if (pos < text.size() && text[pos] == '"') {
            cell += '"';
            ++pos;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line;
          cell += c;
        }
      } else if (c == '"' && cell.empty()) {
        quoted = true;
      } else if (c == ',') {
        cells.push_back(std::move(cell));
        cell.clear();
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
        ++line;
        break;
      } else {
        cell += c;
      }
    }
    if (quoted) throw InputError(start_line, "unterminated quoted cell");
    cells.push_back(std::move(cell));
    return true;
  };
  std::vector<std::string> head, cells;
  if (!next_record(head)) return;
  std::vector<int> map;  // column -> field index, -1 ignored, -2 deleted flag
  for (const auto& h : head) {
    if (h == "_recno") {
      map.push_back(-1);
    } else if (h == "_deleted") {
      map.push_back(-2);
    } else if (auto i = t.field_index(h)) {
      map.push_back(int(*i));
    } else {
      throw InputError(1, fmt::format("the table has no field \"{}\"", h));
    }
  }
  Row row;
  for (;;) {
    size_t at = line;
    if (!next_record(cells)) break;
    if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
    if (cells.size() != map.size())
      throw InputError(at, fmt::format("{} cells, the header has {}", cells.size(), map.size()));
    row.line = at;
    row.values.assign(fields.size(), Value::null());
    row.deleted = false;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (map[c] == -1) continue;
      if (map[c] == -2) {
        row.deleted = cells[c] == "true" || cells[c] == "T" || cells[c] == "1";
        continue;
      }
      try {
        row.values[size_t(map[c])] = value_from_csv(fields[size_t(map[c])], cells[c]);
      } catch (const std::runtime_error& re) {
        throw InputError(at, re.what());
      }
    }
    fn(row);
  }
}

}  // namespace

int cmd_load(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"format", "codepage"}, {"strict"});
  if (a.positional.size() != 2)
    throw UsageError("usage: xbase load T.dbf FILE.jsonl|FILE.csv [--format jsonl|csv] [--strict]");
  const std::string& input = a.positional[1];
  std::string format = a.get("format");
  if (format.empty()) {
    auto ext = xbase::path_utf8(xbase::path_from_utf8(input).extension());
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    format = ext == ".csv" ? "csv" : "jsonl";
  }
  if (format != "jsonl" && format != "csv")
    throw UsageError(fmt::format("unknown --format \"{}\" (jsonl, csv)", format));
  std::string text;
  {
    std::ifstream in;
    std::istream* is = &std::cin;
    if (input != "-") {
      in.open(xbase::path_from_utf8(input), std::ios::binary);
      if (!in) throw Error(Errc::io, {input, {}, {}, {}}, "cannot read the input file");
      is = &in;
    }
    std::ostringstream ss;
    ss << is->rdbuf();
    text = ss.str();
  }
  auto t = open_table(a.positional[0], a, false, true);
  auto rows = format == "csv" ? csv_rows : jsonl_rows;
  size_t n = 0;
  try {
    rows(text, *t, [&](const Row& r) {
      try {
        t->validate(r.values);
      } catch (const Error& e) {
        throw InputError(r.line, e.what());
      }
    });
    rows(text, *t, [&](const Row& r) {
      uint32_t recno = t->append(r.values);
      if (r.deleted) t->remove(recno);
      ++n;
    });
  } catch (const InputError& e) {
    std::cerr << "xbase load: " << input << ": " << e.what() << "\n"
              << "xbase load: nothing was appended to " << a.positional[0] << "\n";
    return kFailed;
  }
  // The DBC's triggers and rules were not run: say so (--strict refused the first append).
  for (const auto& w : t->warnings())
    if (w.code == WarnCode::database_code_not_run)
      std::cerr << "xbase load: warning: " << common::terminal_text(w.to_string()) << "\n";
  t->close();
  std::cerr << fmt::format("xbase load: appended {} records to {}\n", n, a.positional[0]);
  return kOk;
}

}  // namespace xbase::tool

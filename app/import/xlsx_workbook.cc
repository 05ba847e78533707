#include "import/xlsx_workbook.h"

#include <fmt/format.h>

#include <charconv>
#include <map>

#include "import/xml_part.h"

namespace invoicing::import {

namespace {

constexpr uint64_t kSmallPart = 64 << 20;  // workbook, relationships, styles

int to_int(const char* s, int fallback) {
  if (!s) return fallback;
  int v = fallback;
  auto [p, ec] = std::from_chars(s, s + std::char_traits<char>::length(s), v);
  return ec == std::errc() ? v : fallback;
}

// Relationship targets are relative to the folder of the part that names them, or absolute.
std::string resolve(const std::string& base_dir, const std::string& target) {
  std::string path = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
  // Fold "a/../b" and "./".
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string folder_of(const std::string& part) {
  size_t slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

std::string rels_of(const std::string& part) {
  return folder_of(part) + "_rels/" + part.substr(folder_of(part).size()) + ".rels";
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

struct Relationship {
  std::string type, target;
};

class RelsParser : public XmlPart {
 public:
  using XmlPart::XmlPart;
  std::map<std::string, Relationship> by_id;

 protected:
  void on_start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = attr(attrs, "Id");
    const char* type = attr(attrs, "Type");
    const char* target = attr(attrs, "Target");
    const char* mode = attr(attrs, "TargetMode");
    if (!id || !type || !target || (mode && std::string_view(mode) == "External")) return;
    by_id[id] = {type, target};
  }
  void on_end(std::string_view) override {}
};

class WorkbookParser : public XmlPart {
 public:
  using XmlPart::XmlPart;
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  bool date1904 = false;

 protected:
  void on_start(std::string_view name, const char** attrs) override {
    if (name == "workbookPr") {
      const char* d = attr(attrs, "date1904");
      date1904 = d && (std::string_view(d) == "1" || std::string_view(d) == "true");
    } else if (name == "sheet") {
      const char* n = attr(attrs, "name");
      const char* id = attr(attrs, "id");
      if (!n || !id) throw error("a sheet without a name or relationship");
      if (sheets.size() >= 10000) throw error("more than 10000 sheets");
      sheets.emplace_back(n, id);
    }
  }
  void on_end(std::string_view) override {}
};

class StylesParser : public XmlPart {
 public:
  using XmlPart::XmlPart;
  std::map<int, std::string> custom;  // numFmtId -> formatCode
  std::vector<int> xf_formats;        // cellXfs, in order

 protected:
  void on_start(std::string_view name, const char** attrs) override {
    if (name == "numFmt") {
      const char* code = attr(attrs, "formatCode");
      int id = to_int(attr(attrs, "numFmtId"), -1);
      if (code && id >= 0 && custom.size() < 100000) custom[id] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      if (xf_formats.size() >= 1000000) throw error("more than a million cell styles");
      xf_formats.push_back(to_int(attr(attrs, "numFmtId"), 0));
    }
  }
  void on_end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

 private:
  bool in_cell_xfs_ = false;
};

}  // namespace

// Text of <si> entries: <t> directly or within rich-text runs <r>; the phonetic guides
// (<rPh>) of East Asian text are not part of the value.
class SharedStringsParser : public XmlPart {
 public:
  SharedStringsParser(const ZipArchive& a, const std::string& part, const ReadLimits& limits,
                      SharedStrings& out)
      : XmlPart(a, part, limits), out_(out), max_bytes_(limits.max_shared_strings_bytes) {}

 protected:
  void on_start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si_ = true;
    } else if (name == "rPh") {
      ++in_phonetic_;
    } else if (name == "t" && in_si_ && in_phonetic_ == 0) {
      in_t_ = true;
    }
  }
  void on_end(std::string_view name) override {
    if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      --in_phonetic_;
    } else if (name == "si") {
      in_si_ = false;
      out_.ends_.push_back(static_cast<uint32_t>(out_.text_.size()));
    }
  }
  void on_text(std::string_view s) override {
    if (!in_t_) return;
    if (out_.text_.size() + s.size() > max_bytes_) {
      throw error(fmt::format("the shared strings take more than {} bytes", max_bytes_));
    }
    out_.text_.append(s);
  }

 private:
  SharedStrings& out_;
  uint64_t max_bytes_;
  bool in_si_ = false, in_t_ = false;
  int in_phonetic_ = 0;
};

void SharedStrings::load(const ZipArchive& archive, const std::string& part,
                         const ReadLimits& limits) {
  ReadLimits l = limits;
  l.max_shared_strings_bytes = std::min<uint64_t>(l.max_shared_strings_bytes, UINT32_MAX);
  SharedStringsParser p(archive, part, l, *this);
  p.run();
}

NumberStyle number_style(int id, std::string_view code) {
  if ((id >= 14 && id <= 17) || id == 22) return NumberStyle::date;
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return NumberStyle::time;
  if (code.empty()) return NumberStyle::number;
  bool date = false, hour = false, minute_or_month = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {  // quoted text
      size_t close = code.find('"', i + 1);
      i = close == std::string_view::npos ? code.size() : close;
    } else if (c == '[') {  // colour, condition or locale: [Red], [<=100], [$-413]
      size_t close = code.find(']', i + 1);
      std::string_view inside =
          code.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
      if (inside == "h" || inside == "hh" || inside == "mm" || inside == "ss") hour = true;
      i = close == std::string_view::npos ? code.size() : close;
    } else if (c == '\\' || c == '_' || c == '*') {  // escaped, padding and fill characters
      ++i;
    } else if (c == ';') {
      break;  // the first section decides
    } else {
      char l = static_cast<char>(c | 0x20);
      if (l == 'd' || l == 'y') date = true;
      if (l == 'h' || l == 's') hour = true;
      if (l == 'm') minute_or_month = true;
    }
  }
  if (date || (minute_or_month && !hour)) return NumberStyle::date;
  if (hour) return NumberStyle::time;
  return NumberStyle::number;
}

XlsxWorkbook read_workbook(const ZipArchive& archive, const ReadLimits& limits) {
  XlsxWorkbook wb;
  ReadLimits small = limits;
  small.max_entry_bytes = std::min(limits.max_entry_bytes, kSmallPart);

  std::string workbook_part = "xl/workbook.xml";
  if (archive.has("_rels/.rels")) {
    RelsParser root(archive, "_rels/.rels", small);
    root.run();
    for (const auto& [id, rel] : root.by_id) {
      if (ends_with(rel.type, "/officeDocument")) workbook_part = resolve("", rel.target);
    }
  }
  if (!archive.has(workbook_part)) {
    throw ImportError(
        fmt::format("{}: not an XLSX workbook (no {}); is it another kind of ZIP "
                    "file?",
                    archive.display(), workbook_part));
  }
  std::map<std::string, Relationship> rels;
  std::string dir = folder_of(workbook_part);
  if (archive.has(rels_of(workbook_part))) {
    RelsParser p(archive, rels_of(workbook_part), small);
    p.run();
    rels = std::move(p.by_id);
  }
  WorkbookParser w(archive, workbook_part, small);
  w.run();
  wb.date1904 = w.date1904;
  for (const auto& [name, id] : w.sheets) {
    auto it = rels.find(id);
    if (it == rels.end()) {
      throw ImportError(
          fmt::format("{}: sheet '{}' points to no part ({})", archive.display(), name, id));
    }
    wb.sheets.push_back({name, resolve(dir, it->second.target)});
  }
  for (const auto& [id, rel] : rels) {
    if (ends_with(rel.type, "/sharedStrings")) wb.shared_strings_part = resolve(dir, rel.target);
    if (ends_with(rel.type, "/styles")) wb.styles_part = resolve(dir, rel.target);
  }
  if (!wb.styles_part.empty() && archive.has(wb.styles_part)) {
    StylesParser s(archive, wb.styles_part, small);
    s.run();
    for (int id : s.xf_formats) {
      auto it = s.custom.find(id);
      wb.cell_styles.push_back(number_style(id, it == s.custom.end() ? "" : it->second));
    }
  }
  if (wb.sheets.empty()) {
    throw ImportError(fmt::format("{}: the workbook has no sheets", archive.display()));
  }
  return wb;
}

}  // namespace invoicing::import

// The parser is our own: the file format is a dozen lines of "key = value", and the errors
// must name the file, the line and the key (the INI libraries in Debian report no line to
// the caller's handler).
#include "outputs/layout.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace invoicing::outputs {

namespace {

constexpr std::array<const char*, 8> kColumnNames = {
    "code", "description", "quantity", "unit", "unit_price", "discount", "vat_rate", "net"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

class Parser {
 public:
  Parser(const std::string& file, int line, std::string key, std::string_view value)
      : file_(file), line_(line), key_(std::move(key)), value_(value) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw LayoutError(file_, line_, key_, what);
  }

  double number(double min, double max, const char* unit) const {
    double v = 0;
    auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), v);
    if (ec != std::errc() || end != value_.data() + value_.size() || !(v >= min && v <= max)) {
      std::ostringstream msg;
      msg << "expected a number of " << unit << " from " << min << " to " << max << ", got '"
          << std::string(value_) << "'";
      fail(msg.str());
    }
    return v;
  }

  bool yes_no() const {
    if (value_ == "yes" || value_ == "true" || value_ == "1") return true;
    if (value_ == "no" || value_ == "false" || value_ == "0") return false;
    fail("expected yes or no, got '" + std::string(value_) + "'");
  }

  Colour colour() const {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    bool ok = value_.size() == 7 && value_[0] == '#';
    int v[6] = {};
    for (size_t i = 1; ok && i < 7; ++i) ok = (v[i - 1] = hex(value_[i])) >= 0;
    if (!ok) fail("expected a colour as #RRGGBB, got '" + std::string(value_) + "'");
    return {(v[0] * 16 + v[1]) / 255.0, (v[2] * 16 + v[3]) / 255.0, (v[4] * 16 + v[5]) / 255.0};
  }

  // Text with "\n" for a line break; at most 2000 bytes.
  std::string text() const {
    if (value_.size() > 2000) fail("longer than 2000 characters");
    std::string out;
    for (size_t i = 0; i < value_.size(); ++i) {
      if (value_[i] == '\\' && i + 1 < value_.size() && value_[i + 1] == 'n') {
        out += '\n';
        ++i;
      } else {
        out += value_[i];
      }
    }
    return out;
  }

  std::vector<Column> columns() const {
    std::vector<Column> out;
    std::istringstream words{std::string(value_)};
    std::string w;
    while (words >> w) {
      size_t i = 0;
      while (i < kColumnNames.size() && w != kColumnNames[i]) ++i;
      if (i == kColumnNames.size()) {
        fail("unknown column '" + w + "' (known: code description quantity unit unit_price "
             "discount vat_rate net)");
      }
      for (Column c : out) {
        if (c == static_cast<Column>(i)) fail("column '" + w + "' is listed twice");
      }
      out.push_back(static_cast<Column>(i));
    }
    bool has_description = false;
    for (Column c : out) has_description |= c == Column::description;
    if (!has_description) fail("the columns must include description");
    return out;
  }

 private:
  const std::string& file_;
  int line_;
  std::string key_;
  std::string_view value_;
};

void apply(Layout& l, const std::string& section, const std::string& key, const Parser& p) {
  const double kPage = 200;  // mm: nothing sensible lies further than this on A4
  if (section == "page") {
    if (key == "margin_top") return void(l.margin_top = p.number(0, 80, "mm"));
    if (key == "margin_bottom") return void(l.margin_bottom = p.number(0, 80, "mm"));
    if (key == "margin_left") return void(l.margin_left = p.number(0, 60, "mm"));
    if (key == "margin_right") return void(l.margin_right = p.number(0, 60, "mm"));
    if (key == "font") {
      std::string f = p.text();
      if (f.empty() || f.size() > 100 || f.find('\n') != std::string::npos) p.fail("expected a font family name");
      return void(l.font = f);
    }
    if (key == "font_size") return void(l.font_size = p.number(5, 14, "points"));
  } else if (section == "colours") {
    if (key == "text") return void(l.text = p.colour());
    if (key == "accent") return void(l.accent = p.colour());
  } else if (section == "logo") {
    if (key == "show") return void(l.show_logo = p.yes_no());
    if (key == "x") return void(l.logo_x = p.number(0, kPage, "mm"));
    if (key == "y") return void(l.logo_y = p.number(0, kPage, "mm"));
    if (key == "width") return void(l.logo_width = p.number(1, kPage, "mm"));
    if (key == "height") return void(l.logo_height = p.number(1, 100, "mm"));
  } else if (section == "buyer") {
    if (key == "x") return void(l.buyer_x = p.number(0, 150, "mm"));
    if (key == "y") return void(l.buyer_y = p.number(0, 150, "mm"));
    if (key == "width") return void(l.buyer_width = p.number(30, 150, "mm"));
  } else if (section == "columns") {
    if (key == "show") return void(l.columns = p.columns());
    for (size_t i = 0; i < kColumnNames.size(); ++i) {
      if (key == std::string("width_") + kColumnNames[i] && i != size_t(Column::description)) {
        return void(l.column_width[i] = p.number(5, 60, "mm"));
      }
    }
  } else if (section == "footer") {
    if (key == "nl") return void(l.footer[0] = p.text());
    if (key == "fr") return void(l.footer[1] = p.text());
    if (key == "en") return void(l.footer[2] = p.text());
  } else if (section == "payment") {
    if (key == "qr") return void(l.show_qr = p.yes_no());
  }
  p.fail("unknown key");
}

}  // namespace

LayoutError::LayoutError(const std::string& file, int line, const std::string& key,
                         const std::string& what)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + (key.empty() ? "" : key + ": ") + what),
      file_(file), line_(line), key_(key) {}

Layout parse_layout(std::string_view text, const std::string& file_name, Layout l) {
  std::string section;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line.back() != ']') throw LayoutError(file_name, line_no, "", "a section line must end with ']'");
      section = std::string(trim(line.substr(1, line.size() - 2)));
      if (section != "page" && section != "colours" && section != "logo" && section != "buyer" &&
          section != "columns" && section != "footer" && section != "payment") {
        throw LayoutError(file_name, line_no, "[" + section + "]",
                          "unknown section (known: page colours logo buyer columns footer payment)");
      }
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      throw LayoutError(file_name, line_no, "", "expected 'key = value', '[section]' or a # comment");
    }
    const std::string key(trim(line.substr(0, eq)));
    const std::string shown = "[" + section + "] " + key;
    if (section.empty()) throw LayoutError(file_name, line_no, key, "a key before any [section]");
    apply(l, section, key, Parser(file_name, line_no, shown, trim(line.substr(eq + 1))));
  }
  return l;
}

std::string layout_file_name(domain::DocType type) {
  static const char* const files[] = {"quote.ini",      "order.ini",       "delivery-note.ini",
                                      "invoice.ini",    "credit-note.ini", "purchase-invoice.ini"};
  return files[static_cast<int>(type)];
}

Layout load_layout(const LayoutFileReader& read, const std::string& where, domain::DocType type) {
  Layout l;
  // A delivery note shows what was delivered, not what it costs.
  if (type == domain::DocType::delivery_note) {
    l.columns = {Column::code, Column::description, Column::quantity, Column::unit};
  }
  for (const std::string& name : {std::string("default.ini"), layout_file_name(type)})
    if (const auto text = read(name)) l = parse_layout(*text, where + name, l);
  return l;
}

Layout load_layout(const std::filesystem::path& folder, domain::DocType type) {
  const LayoutFileReader read = [&](const std::string& name) -> std::optional<std::string> {
    const std::filesystem::path p = folder / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) return std::nullopt;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.is_open()) throw LayoutError(p.string(), 0, "", "cannot be read");
    return bytes.str();
  };
  // Names in errors as before: the file's path.
  return load_layout(read, (folder / "").string(), type);
}

std::string layout_text(const Layout& l) {
  // Numbers in the shortest form that reads back to the same double.
  auto num = [](double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, ec == std::errc() ? end : buf);
  };
  auto colour = [](const Colour& c) {
    auto byte = [](double v) { return static_cast<int>(v * 255 + 0.5); };
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X", byte(c.r), byte(c.g), byte(c.b));
    return std::string(buf);
  };
  auto text = [](const std::string& t) {
    std::string out;
    for (char c : t) out += c == '\n' ? std::string("\\n") : std::string(1, c);
    return out;
  };
  std::ostringstream o;
  o << "[page]\nmargin_top = " << num(l.margin_top) << "\nmargin_bottom = " << num(l.margin_bottom)
    << "\nmargin_left = " << num(l.margin_left) << "\nmargin_right = " << num(l.margin_right)
    << "\nfont = " << l.font << "\nfont_size = " << num(l.font_size) << "\n\n[colours]\ntext = " << colour(l.text)
    << "\naccent = " << colour(l.accent) << "\n\n[logo]\nshow = " << (l.show_logo ? "yes" : "no")
    << "\nx = " << num(l.logo_x) << "\ny = " << num(l.logo_y) << "\nwidth = " << num(l.logo_width)
    << "\nheight = " << num(l.logo_height) << "\n\n[buyer]\nx = " << num(l.buyer_x) << "\ny = " << num(l.buyer_y)
    << "\nwidth = " << num(l.buyer_width) << "\n\n[columns]\nshow =";
  for (Column c : l.columns) o << " " << kColumnNames[static_cast<size_t>(c)];
  o << "\n";
  for (size_t i = 0; i < kColumnNames.size(); ++i)
    if (i != static_cast<size_t>(Column::description))
      o << "width_" << kColumnNames[i] << " = " << num(l.column_width[i]) << "\n";
  o << "\n[footer]\nnl = " << text(l.footer[0]) << "\nfr = " << text(l.footer[1]) << "\nen = " << text(l.footer[2])
    << "\n\n[payment]\nqr = " << (l.show_qr ? "yes" : "no") << "\n";
  return o.str();
}

const std::string& footer_text(const Layout& layout, std::string_view language) {
  if (language == "nl") return layout.footer[0];
  if (language == "fr") return layout.footer[1];
  return layout.footer[2];
}

}  // namespace invoicing::outputs

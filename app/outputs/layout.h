// How a PDF document looks, as data: margins, the logo's place and size, the address window,
// which columns the line table has and how wide, colours, the font, the footer per language.
// A business changes it without a new program: one INI-like file per document type in the
// data folder's layouts/ (format in docs/outputs.md), over built-in defaults.
#pragma once

#include <array>
#include <filesystem>
#include <stdexcept>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/document.h"

namespace invoicing::outputs {

enum class Column { code, description, quantity, unit, unit_price, discount, vat_rate, net };

struct Colour {
  double r = 0, g = 0, b = 0;  // 0..1
};

struct Layout {
  // Millimetres on an A4 page (210 × 297).
  double margin_top = 14, margin_bottom = 16, margin_left = 18, margin_right = 15;
  std::string font = "DejaVu Sans";
  double font_size = 8.5;  // points
  Colour text{0.12, 0.12, 0.12};
  Colour accent{0.12, 0.31, 0.47};
  bool show_logo = true;
  double logo_x = 18, logo_y = 14, logo_width = 55, logo_height = 24;
  // The buyer's address block, where a window envelope shows it (DIN 5008 right window).
  double buyer_x = 115, buyer_y = 48, buyer_width = 80;
  std::vector<Column> columns = {Column::code,       Column::description, Column::quantity,
                                 Column::unit,       Column::unit_price,  Column::discount,
                                 Column::vat_rate,   Column::net};
  // Width of each column in mm, indexed by Column; the description takes what is left.
  std::array<double, 8> column_width = {19, 0, 16, 11, 21, 14, 13, 22};
  bool show_qr = true;
  std::array<std::string, 3> footer;  // nl, fr, en; may hold line breaks
};

// A bad layout file: what() is "FILE:LINE: [section] key: what is wrong".
class LayoutError : public std::runtime_error {
 public:
  LayoutError(const std::string& file, int line, const std::string& key, const std::string& what);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }

 private:
  std::string file_;
  int line_;
  std::string key_;
};

// Applies the settings in `text` (the contents of `file_name`) over `base`. Throws
// LayoutError for anything it does not understand: unknown sections or keys, values out of
// range, lines that are neither "[section]", "key = value", blank nor a "#" comment.
Layout parse_layout(std::string_view text, const std::string& file_name, Layout base = {});

// Built-in defaults (a delivery note's columns without prices), then `folder`/default.ini, then `folder`/<type>.ini ("invoice.ini",
// "credit-note.ini", ...), each when present. A missing folder gives the defaults.
Layout load_layout(const std::filesystem::path& folder, domain::DocType type);
// The same from wherever the files are: `read` gives a layout file's text by its name
// ("default.ini"; nullopt when there is none), `where` prefixes its name in errors.
using LayoutFileReader = std::function<std::optional<std::string>(const std::string& name)>;
Layout load_layout(const LayoutFileReader& read, const std::string& where, domain::DocType type);
// "invoice.ini", "credit-note.ini", ...: the layout file of a type.
std::string layout_file_name(domain::DocType type);

// The layout as a complete layout file (every section and key), which parse_layout reads back
// to the same layout (colours to the nearest of 256 steps): what `invoicing layout show`
// prints, a start for one's own file.
std::string layout_text(const Layout& layout);

// The footer in "nl", "fr" or "en" (anything else: English).
const std::string& footer_text(const Layout& layout, std::string_view language);

}  // namespace invoicing::outputs

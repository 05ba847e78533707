// Layout files: what they set, and bad files refused with the file, the line and the key.
#include <catch2/catch.hpp>
#include <filesystem>

#include "outputs/layout.h"
#include "test_util.h"

using namespace invoicing::outputs;
using invoicing::domain::DocType;
using xbase::test::TempDir;
using xbase::test::write_file;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_layout(text, "layouts/invoice.ini");
  } catch (const LayoutError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("Layout: a file sets margins, logo, columns, colours and footers", "[outputs][layout]") {
  const Layout l = parse_layout(
      "# comment\n\n[page]\nmargin_top = 20\nmargin_left=25.5\nfont = DejaVu Serif\nfont_size = 9\n"
      "[logo]\nshow = no\nwidth = 60\n"
      "[columns]\nshow = description net\nwidth_net = 30\n"
      "[colours]\naccent = #FF8000\n"
      "[footer]\nfr = Ligne 1\\nLigne 2\nnl =   Gent  \n"
      "[payment]\nqr = false\n",
      "x.ini");
  CHECK(l.margin_top == 20);
  CHECK(l.margin_left == 25.5);
  CHECK(l.margin_right == Layout{}.margin_right);  // untouched keys keep their default
  CHECK(l.font == "DejaVu Serif");
  CHECK(l.font_size == 9);
  CHECK_FALSE(l.show_logo);
  CHECK(l.logo_width == 60);
  CHECK(l.columns == std::vector<Column>{Column::description, Column::net});
  CHECK(l.column_width[static_cast<int>(Column::net)] == 30);
  CHECK(l.accent.r == 1.0);
  CHECK(l.accent.g == Approx(128 / 255.0));
  CHECK(l.accent.b == 0.0);
  CHECK(footer_text(l, "fr") == "Ligne 1\nLigne 2");
  CHECK(footer_text(l, "nl") == "Gent");
  CHECK(footer_text(l, "en").empty());
  CHECK_FALSE(l.show_qr);
}

TEST_CASE("Layout: bad files are refused naming file, line and key", "[outputs][layout]") {
  CHECK(error_of("[page]\n\nmargin_top = abc\n") ==
        "layouts/invoice.ini:3: [page] margin_top: expected a number of mm from 0 to 80, got 'abc'");
  CHECK(error_of("[page]\nmargin_top = 500\n").find("layouts/invoice.ini:2: [page] margin_top") == 0);
  CHECK(error_of("[page]\nmargin_topp = 5\n") == "layouts/invoice.ini:2: [page] margin_topp: unknown key");
  CHECK(error_of("[pages]\n").find("layouts/invoice.ini:1: [pages]: unknown section") == 0);
  CHECK(error_of("margin_top = 5\n") == "layouts/invoice.ini:1: margin_top: a key before any [section]");
  CHECK(error_of("[page]\njust words\n").find("layouts/invoice.ini:2: expected 'key = value'") == 0);
  CHECK(error_of("[page\n").find("layouts/invoice.ini:1: a section line must end with ']'") == 0);
  CHECK(error_of("[colours]\naccent = red\n").find(":2: [colours] accent: expected a colour as #RRGGBB") != std::string::npos);
  CHECK(error_of("[logo]\nshow = maybe\n").find(":2: [logo] show: expected yes or no") != std::string::npos);
  CHECK(error_of("[columns]\nshow = code price\n").find("unknown column 'price'") != std::string::npos);
  CHECK(error_of("[columns]\nshow = code net\n").find("the columns must include description") != std::string::npos);
  CHECK(error_of("[columns]\nshow = description net net\n").find("column 'net' is listed twice") != std::string::npos);
  CHECK(error_of("[columns]\nwidth_description = 50\n").find("unknown key") != std::string::npos);
  CHECK(error_of("[page]\nfont_size = nan\n").find("font_size") != std::string::npos);
}

TEST_CASE("Layout: load_layout reads default.ini, then the type's file, over the defaults", "[outputs][layout]") {
  TempDir dir;
  CHECK(load_layout(dir / "absent", DocType::invoice).margin_top == Layout{}.margin_top);
  write_file(dir / "default.ini", "[page]\nmargin_top = 30\nmargin_left = 22\n");
  write_file(dir / "credit-note.ini", "[page]\nmargin_top = 40\n");
  const Layout invoice = load_layout(dir.path(), DocType::invoice);
  const Layout credit = load_layout(dir.path(), DocType::credit_note);
  CHECK(invoice.margin_top == 30);
  CHECK(credit.margin_top == 40);
  CHECK(credit.margin_left == 22);
  write_file(dir / "invoice.ini", "[logo]\nx = -1\n");
  CHECK_THROWS_WITH(load_layout(dir.path(), DocType::invoice),
                    Catch::Contains((dir / "invoice.ini").string() + ":2: [logo] x"));
}

TEST_CASE("Layout: the example files in docs/layouts parse and are what they say", "[outputs][layout]") {
  const std::filesystem::path docs = OUTPUTS_DOCS_LAYOUTS;
  const Layout invoice = load_layout(docs, DocType::invoice);
  CHECK_THAT(footer_text(invoice, "fr"), Catch::Contains("conditions générales"));
  CHECK(invoice.columns.size() == 8);
  const Layout delivery = load_layout(docs, DocType::delivery_note);
  CHECK(delivery.columns == std::vector<Column>{Column::code, Column::description, Column::quantity, Column::unit});
  CHECK_FALSE(delivery.show_qr);
  // Without files a delivery note still leaves the prices out.
  TempDir empty;
  CHECK(load_layout(empty.path(), DocType::delivery_note).columns.size() == 4);
}

TEST_CASE("Layout: layout_text writes every key, and parse_layout reads it back to the same layout", "[outputs][layout]") {
  Layout l;
  l.margin_top = 22.5;
  l.font = "DejaVu Serif";
  l.accent = {1.0, 0.5019607843137255, 0.0};  // #FF8000
  l.show_logo = false;
  l.columns = {Column::description, Column::quantity, Column::net};
  l.column_width[static_cast<int>(Column::net)] = 31;
  l.footer[1] = "Ligne un\nLigne deux";
  l.show_qr = false;
  const std::string text = layout_text(l);
  CHECK_THAT(text, Catch::Contains("accent = #FF8000"));
  CHECK_THAT(text, Catch::Contains("fr = Ligne un\\nLigne deux"));
  const Layout back = parse_layout(text, "shown.ini");
  CHECK(back.margin_top == l.margin_top);
  CHECK(back.font == l.font);
  CHECK(back.accent.g == l.accent.g);
  CHECK(back.show_logo == false);
  CHECK(back.columns == l.columns);
  CHECK(back.column_width == l.column_width);
  CHECK(back.footer == l.footer);
  CHECK(back.show_qr == false);
  // The built-in layout written and read back writes the same text again.
  CHECK(layout_text(parse_layout(layout_text(Layout{}), "x.ini")) == layout_text(Layout{}));
}

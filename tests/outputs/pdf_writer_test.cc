// PDFs read back as a person reads them: the text (pdftotext) holds the numbers, totals,
// structured communication and accents; the pages render (pdftoppm, kept as artefacts to
// look at); the QR code scans (zbarimg) to the exact EPC payment payload; long invoices break
// over pages with the table header on each and "page N/M"; layouts come from files.
#include <cairo.h>
#include <turbojpeg.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "domain/vat.h"
#include "outputs/layout.h"
#include "outputs/pdf_writer.h"
#include "sample_documents.h"
#include "test_util.h"

using namespace invoicing::outputs;
namespace sample = invoicing::outputs::test;
namespace fs = std::filesystem;
using invoicing::domain::Decimal;
using xbase::test::read_file;
using xbase::test::run_program;
using xbase::test::TempDir;
using xbase::test::write_file;

namespace {

// pdftotext's reading of the PDF, no-break spaces as plain spaces.
std::string pdf_text(const fs::path& pdf, const fs::path& scratch, int page = 0) {
  std::vector<std::string> args;
  if (page > 0) args = {"-f", std::to_string(page), "-l", std::to_string(page)};
  args.push_back(pdf.string());
  args.push_back("-");
  auto r = run_program("pdftotext", args, scratch);
  REQUIRE(r.rc == 0);
  std::string out;
  for (size_t i = 0; i < r.out.size(); ++i) {
    if (r.out.compare(i, 2, "\xC2\xA0") == 0) {
      out += ' ';
      ++i;
    } else {
      out += r.out[i];
    }
  }
  return out;
}

int page_count(const fs::path& pdf, const fs::path& scratch) {
  auto r = run_program("pdfinfo", {pdf.string()}, scratch);
  REQUIRE(r.rc == 0);
  auto at = r.out.find("Pages:");
  REQUIRE(at != std::string::npos);
  return std::stoi(r.out.substr(at + 6));
}

// Renders every page to PNG under the artefact folder ("NAME-1.png" ...); returns the first.
fs::path keep_pages(const fs::path& pdf, const std::string& name, const fs::path& scratch, int dpi = 80) {
  fs::create_directories(OUTPUTS_ARTEFACTS);
  const fs::path prefix = fs::path(OUTPUTS_ARTEFACTS) / name;
  auto r = run_program("pdftoppm", {"-r", std::to_string(dpi), "-png", pdf.string(), prefix.string()}, scratch);
  REQUIRE(r.rc == 0);
  fs::path first = prefix.string() + "-1.png";
  if (!fs::exists(first)) first = prefix.string() + "-01.png";
  REQUIRE(fs::exists(first));
  return first;
}

// How a person writes an amount in French: 2 346,12 (spaces between thousands).
std::string french_amount(const Decimal& d) {
  std::string s = d.to_string(2);
  std::string integer = s.substr(0, s.find('.')), out;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) out += ' ';
    out += integer[i];
  }
  return out + "," + s.substr(s.find('.') + 1);
}

fs::path write_pdf_file(const DocumentData& doc, const Layout& layout, const fs::path& path) {
  write_file(path, write_pdf(doc, layout));
  return path;
}

void make_png_logo(const fs::path& path) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 240, 90);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.8, 0.3, 0.1);
  cairo_rectangle(cr, 0, 0, 90, 90);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0.1, 0.3, 0.6);
  cairo_arc(cr, 165, 45, 40, 0, 6.3);
  cairo_fill(cr);
  cairo_destroy(cr);
  REQUIRE(cairo_surface_write_to_png(s, path.c_str()) == CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(s);
}

void make_jpeg_logo(const fs::path& path) {
  const int w = 200, h = 80;
  std::vector<unsigned char> rgb(w * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      unsigned char* p = &rgb[(y * w + x) * 3];
      p[0] = static_cast<unsigned char>(x);
      p[1] = static_cast<unsigned char>(120);
      p[2] = static_cast<unsigned char>(y * 3);
    }
  }
  tjhandle tj = tjInitCompress();
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  REQUIRE(tjCompress2(tj, rgb.data(), w, 0, h, TJPF_RGB, &jpeg, &size, TJSAMP_444, 90, 0) == 0);
  write_file(path, std::string(reinterpret_cast<char*>(jpeg), size));
  tjFree(jpeg);
  tjDestroy(tj);
}

}  // namespace

TEST_CASE("PDF: a French invoice reads back with its number, totals, OGM and accents", "[outputs][pdf]") {
  TempDir dir;
  const DocumentData doc = sample::be_domestic_invoice();
  const fs::path pdf = write_pdf_file(doc, Layout{}, dir / "invoice.pdf");
  const std::string text = pdf_text(pdf, dir.path());
  INFO(text);
  CHECK_THAT(text, Catch::Contains("Facture"));
  CHECK_THAT(text, Catch::Contains("INV 2026/0042"));
  CHECK_THAT(text, Catch::Contains("Brasserie Zoë & Fils SRL"));
  CHECK_THAT(text, Catch::Contains("Rue de l'Hôpital 7"));
  CHECK_THAT(text, Catch::Contains("4000 Liège"));
  CHECK_THAT(text, Catch::Contains("Échéance"));
  CHECK_THAT(text, Catch::Contains("TVA BE0428759497"));
  CHECK_THAT(text, Catch::Contains("N° d'entreprise 0123.456.749"));
  CHECK_THAT(text, Catch::Contains(doc.payment_reference));
  CHECK_THAT(text, Catch::Contains("BE68 5390 0754 7034"));
  CHECK_THAT(text, Catch::Contains(french_amount(doc.totals.total_excl)));
  CHECK_THAT(text, Catch::Contains(french_amount(doc.totals.total_vat)));
  CHECK_THAT(text, Catch::Contains(french_amount(doc.totals.total_incl) + " €"));
  for (const auto& b : doc.totals.breakdown) CHECK_THAT(text, Catch::Contains(french_amount(b.vat)));
  CHECK_THAT(text, Catch::Contains("page 1/1"));
  // Every font is embedded (pdffonts: the "emb" column says yes).
  auto fonts = run_program("pdffonts", {pdf.string()}, dir.path());
  REQUIRE(fonts.rc == 0);
  CHECK(fonts.out.find(" no ") == std::string::npos);
  CHECK(fonts.out.find("DejaVu") != std::string::npos);
  keep_pages(pdf, "invoice-fr", dir.path());
}

TEST_CASE("PDF: the QR code scans to the exact EPC payload", "[outputs][pdf]") {
  TempDir dir;
  const DocumentData doc = sample::be_domestic_invoice();
  const fs::path pdf = write_pdf_file(doc, Layout{}, dir / "invoice.pdf");
  const fs::path png = dir / "page";
  REQUIRE(run_program("pdftoppm", {"-r", "200", "-png", "-f", "1", "-l", "1", pdf.string(), png.string()}, dir.path()).rc == 0);
  auto scan = run_program("zbarimg", {"--raw", "-q", (dir / "page-1.png").string()}, dir.path());
  REQUIRE(scan.rc == 0);
  std::string digits;
  for (char c : doc.payment_reference) {
    if (c >= '0' && c <= '9') digits += c;
  }
  const std::string expected = "BCD\n002\n1\nSCT\nGKCCBEBB\nAtelier Vandenberghe BV\nBE68539007547034\nEUR" +
                               doc.totals.total_incl.to_string(2) + "\n\n" + digits + "\n";
  CHECK(scan.out == expected + "\n");  // zbarimg ends its output with a line break
}

TEST_CASE("PDF: a three-page invoice repeats the table header and says pagina N/3", "[outputs][pdf]") {
  TempDir dir;
  const DocumentData doc = sample::long_invoice(70);
  const fs::path pdf = write_pdf_file(doc, Layout{}, dir / "long.pdf");
  REQUIRE(page_count(pdf, dir.path()) == 3);
  for (int page = 1; page <= 3; ++page) {
    const std::string text = pdf_text(pdf, dir.path(), page);
    INFO("page " << page << ":\n" << text);
    CHECK_THAT(text, Catch::Contains("Omschrijving"));
    CHECK_THAT(text, Catch::Contains("Eenh.prijs"));
    CHECK_THAT(text, Catch::Contains("pagina " + std::to_string(page) + "/3"));
  }
  // Every line is there once, in order, and the totals come after the last one.
  const std::string all = pdf_text(pdf, dir.path());
  size_t at = 0;
  for (const auto& line : doc.lines) {
    const size_t found = all.find(line.code, at);
    REQUIRE(found != std::string::npos);
    CHECK(all.find(line.code, found + 1) == std::string::npos);
    at = found;
  }
  CHECK(all.find("Te betalen", at) != std::string::npos);
  keep_pages(pdf, "invoice-3-pages", dir.path());
}

TEST_CASE("PDF: a credit note names the invoice it corrects and has no payment QR", "[outputs][pdf]") {
  TempDir dir;
  const fs::path pdf = write_pdf_file(sample::credit_note(), Layout{}, dir / "credit.pdf");
  const std::string text = pdf_text(pdf, dir.path());
  CHECK_THAT(text, Catch::Contains("Note de crédit"));
  CHECK_THAT(text, Catch::Contains("CRN 2026/0007"));
  CHECK_THAT(text, Catch::Contains("Note de crédit pour"));
  CHECK_THAT(text, Catch::Contains("INV 2026/0042 du 15/03/2026"));
  CHECK(text.find("Scannez pour payer") == std::string::npos);
  keep_pages(pdf, "credit-note-fr", dir.path());
}

TEST_CASE("PDF: exempt and reverse-charge categories print their legal mention", "[outputs][pdf]") {
  TempDir dir;
  using invoicing::domain::legal_mention;
  using invoicing::domain::VatCategory;
  struct Case {
    DocumentData doc;
    VatCategory category;
    const char* lang;
  };
  for (const Case& c : {Case{sample::reverse_charge_invoice(), VatCategory::reverse_charge, "nl"},
                        Case{sample::intra_eu_invoice(), VatCategory::intra_eu, "nl"},
                        Case{sample::export_invoice(), VatCategory::export_outside_eu, "en"},
                        Case{sample::exempt_invoice(), VatCategory::exempt, "fr"}}) {
    const fs::path pdf = write_pdf_file(c.doc, Layout{}, dir / "m.pdf");
    std::string text = pdf_text(pdf, dir.path());
    for (char& ch : text) {
      if (ch == '\n') ch = ' ';  // a long mention wraps
    }
    INFO(text);
    CHECK_THAT(text, Catch::Contains(legal_mention(c.category, c.lang)));
    if (c.category == VatCategory::exempt) CHECK_THAT(text, Catch::Contains("formation professionnelle"));
  }
  keep_pages(write_pdf_file(sample::export_invoice(), Layout{}, dir / "export.pdf"), "export-en", dir.path());
}

TEST_CASE("PDF: a layout folder sets the footer, the logo and the columns", "[outputs][pdf]") {
  TempDir dir;
  fs::create_directories(dir / "layouts");
  write_file(dir / "layouts" / "default.ini",
             "[footer]\nnl = Atelier Vandenberghe BV - RPR Gent\\nAlgemene voorwaarden op de achterzijde\n"
             "fr = Atelier Vandenberghe SRL - RPM Gand\n");
  write_file(dir / "layouts" / "invoice.ini",
             "# our invoices\n[logo]\nx = 20\ny = 12\nwidth = 40\nheight = 15\n"
             "[columns]\nshow = description quantity unit_price vat_rate net\n"
             "[colours]\naccent = #7A1F1F\n");
  DocumentData doc = sample::zero_rated_invoice();
  make_png_logo(dir / "logo.png");
  doc.seller.logo_path = (dir / "logo.png").string();
  const Layout layout = load_layout(dir / "layouts", doc.type);
  const fs::path pdf = write_pdf_file(doc, layout, dir / "custom.pdf");
  const std::string text = pdf_text(pdf, dir.path());
  CHECK_THAT(text, Catch::Contains("Algemene voorwaarden op de achterzijde"));
  CHECK(text.find("Korting") == std::string::npos);  // not among the columns
  CHECK(text.find("KRT") == std::string::npos);      // nor is the code
  CHECK_THAT(text, Catch::Contains("Dagbladen (0 %)"));
  auto images = run_program("pdfimages", {"-list", pdf.string()}, dir.path());
  CHECK(images.out.find("240    90") != std::string::npos);  // the logo, at its own size
  keep_pages(pdf, "invoice-custom-layout-png-logo", dir.path());

  make_jpeg_logo(dir / "logo.jpg");
  doc.seller.logo_path = (dir / "logo.jpg").string();
  const fs::path pdf2 = write_pdf_file(doc, layout, dir / "custom-jpeg.pdf");
  images = run_program("pdfimages", {"-list", pdf2.string()}, dir.path());
  CHECK(images.out.find("jpeg") != std::string::npos);  // embedded as the JPEG it was
  keep_pages(pdf2, "invoice-custom-layout-jpeg-logo", dir.path());
}

TEST_CASE("PDF: a logo that cannot be read is an error naming the file", "[outputs][pdf]") {
  TempDir dir;
  DocumentData doc = sample::be_domestic_invoice();
  doc.seller.logo_path = (dir / "missing.png").string();
  CHECK_THROWS_WITH(write_pdf(doc, Layout{}), Catch::Contains("missing.png"));
  write_file(dir / "fake.png", "this is no image");
  doc.seller.logo_path = (dir / "fake.png").string();
  CHECK_THROWS_WITH(write_pdf(doc, Layout{}), Catch::Contains("fake.png: neither a PNG nor a JPEG"));
}

TEST_CASE("PDF: labels follow the language", "[outputs][pdf]") {
  TempDir dir;
  const DocumentData doc = sample::be_domestic_invoice();
  const fs::path nl = dir / "nl.pdf", en = dir / "en.pdf";
  write_file(nl, write_pdf(doc, Layout{}, "nl"));
  write_file(en, write_pdf(doc, Layout{}, "en"));
  const std::string tn = pdf_text(nl, dir.path()), te = pdf_text(en, dir.path());
  CHECK_THAT(tn, Catch::Contains("Factuur"));
  CHECK_THAT(tn, Catch::Contains("Te betalen"));
  CHECK_THAT(tn, Catch::Contains("pagina 1/1"));
  CHECK_THAT(te, Catch::Contains("Invoice"));
  CHECK_THAT(te, Catch::Contains("To pay"));
  CHECK_THAT(te, Catch::Contains("15 Mar 2026"));
  keep_pages(nl, "invoice-nl", dir.path());
}

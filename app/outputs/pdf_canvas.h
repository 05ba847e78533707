// A thin layer over cairo and pango for the PDF writer: text boxes that wrap, lines, filled
// rectangles, the logo and QR modules, in points from the top-left corner of the page. It can
// measure without drawing, so the writer lays out every page (and knows their number) before
// anything is put on paper.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>

#include "outputs/epc_qr.h"
#include "outputs/layout.h"

namespace invoicing::outputs {

constexpr double mm(double millimetres) { return millimetres * 72.0 / 25.4; }

enum class Align { left, right, center };

struct TextStyle {
  double size = 8.5;  // points
  bool bold = false;
  Align align = Align::left;
  Colour colour;
};

// An image to draw (a PNG or JPEG logo). A JPEG keeps its own bytes in the PDF.
class Image {
 public:
  // Throws std::runtime_error naming the file when it is not a readable PNG or JPEG.
  explicit Image(const std::string& path);
  // The same from the file's bytes (a logo kept in a database); `path` names it in errors.
  Image(const std::string& path, const std::string& bytes);
  ~Image();
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  cairo_surface_t* surface() const { return surface_; }
  int width() const;
  int height() const;

 private:
  cairo_surface_t* surface_ = nullptr;
};

// The image of a logo file, decoded once per process and shared by every PDF after it (an
// export of a thousand invoices decoded the same PNG a thousand times). A file changed since
// (size or modification time) is read again.
std::shared_ptr<const Image> cached_image(const std::string& path);

class Canvas {
 public:
  Canvas(cairo_t* cr, const std::string& font_family);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  // While false, text() and the drawing calls only measure.
  bool drawing = true;

  // Draws `text` (UTF-8, cleaned) in a box `width` wide with its top at y; wraps at word
  // boundaries (and inside words that are too long). Returns its height.
  double text(double x, double y, double width, const std::string& text, const TextStyle& style);
  double height(double width, const std::string& text, const TextStyle& style);
  double width(const std::string& text, const TextStyle& style);

  void line(double x1, double y1, double x2, double y2, double thickness, const Colour& colour);
  void rectangle(double x, double y, double w, double h, const Colour& colour);
  // Fits the image in the box, keeping its proportions, at the box's top-left.
  void image(const Image& image, double x, double y, double w, double h);
  // The code as an image of one pixel per module, `size` points wide without the quiet zone.
  void qr(const QrMatrix& qr, double x, double y, double size);

 private:
  // The text laid out in this style and width (from the thread's cache when it was before).
  PangoLayout* layout(double width, const std::string& text, const TextStyle& style);

  cairo_t* cr_;
  std::string family_;
  PangoContext* context_;
  PangoFontDescription* regular_;
  PangoFontDescription* bold_;
};

}  // namespace invoicing::outputs

#include "outputs/pdf_canvas.h"

#include <turbojpeg.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "outputs/text_clean.h"

namespace invoicing::outputs {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("logo " + path + ": cannot be opened");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void free_string(void* data) { delete static_cast<std::string*>(data); }

// Decodes a JPEG into a cairo image (BGRX is cairo's RGB24 on little-endian machines; the
// pixel format is chosen per byte order to match) and attaches the original bytes, so that
// cairo embeds the JPEG as it is instead of re-encoding the pixels.
cairo_surface_t* load_jpeg(const std::string& path, const std::string& bytes) {
  tjhandle tj = tjInitDecompress();
  if (!tj) throw std::runtime_error("logo " + path + ": the JPEG decoder cannot start");
  int w = 0, h = 0, subsamp = 0, colourspace = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (tjDecompressHeader3(tj, data, static_cast<unsigned long>(bytes.size()), &w, &h, &subsamp,
                          &colourspace) != 0 ||
      w <= 0 || h <= 0 || w > 10000 || h > 10000) {
    tjDestroy(tj);
    throw std::runtime_error("logo " + path + ": not a readable JPEG");
  }
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_surface_flush(s);
  const int pixel_format = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? TJPF_BGRX : TJPF_XRGB;
  if (tjDecompress2(tj, data, static_cast<unsigned long>(bytes.size()), cairo_image_surface_get_data(s), w,
                    cairo_image_surface_get_stride(s), h, pixel_format, 0) != 0) {
    tjDestroy(tj);
    cairo_surface_destroy(s);
    throw std::runtime_error("logo " + path + ": the JPEG data is damaged");
  }
  tjDestroy(tj);
  cairo_surface_mark_dirty(s);
  auto* keep = new std::string(bytes);
  cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, reinterpret_cast<const unsigned char*>(keep->data()),
                              keep->size(), free_string, keep);
  return s;
}

struct PngReader {
  const std::string* bytes;
  size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* out, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->bytes->size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
  r->bytes->copy(reinterpret_cast<char*>(out), length, r->at);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Image::Image(const std::string& path) : Image(path, read_all(path)) {}

Image::Image(const std::string& path, const std::string& bytes) {
  if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    PngReader reader{&bytes};
    surface_ = cairo_image_surface_create_from_png_stream(read_png, &reader);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(surface_);
      surface_ = nullptr;
      throw std::runtime_error("logo " + path + ": not a readable PNG");
    }
  } else if (bytes.size() >= 3 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) {
    surface_ = load_jpeg(path, bytes);
  } else {
    throw std::runtime_error("logo " + path + ": neither a PNG nor a JPEG file");
  }
}

Image::~Image() {
  if (surface_) cairo_surface_destroy(surface_);
}

std::shared_ptr<const Image> cached_image(const std::string& path) {
  struct Entry {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
    std::shared_ptr<const Image> image;
  };
  static std::mutex mutex;
  static std::map<std::string, Entry> cache;
  std::error_code ec1, ec2;
  const auto size = std::filesystem::file_size(path, ec1);
  const auto mtime = std::filesystem::last_write_time(path, ec2);
  if (ec1 || ec2) return std::make_shared<const Image>(path);  // throws naming the file
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(path);
  if (it != cache.end() && it->second.size == size && it->second.mtime == mtime) return it->second.image;
  if (cache.size() >= 8) cache.clear();  // a handful of logos per process, at most
  auto image = std::make_shared<const Image>(path);
  cache[path] = {size, mtime, image};
  return image;
}

int Image::width() const { return cairo_image_surface_get_width(surface_); }
int Image::height() const { return cairo_image_surface_get_height(surface_); }

namespace {

// Laid-out text kept from one PDF to the next, per thread (pango objects are not shared
// between threads). Each text is laid out twice per PDF (to count the pages, then to draw),
// and labels, the seller and the articles recur in every document of an export: shaping
// them again was a quarter of a PDF's time. Two generations: when the newer one is full,
// the older is dropped, so what is still used stays.
class TextCache {
 public:
  ~TextCache() {
    clear(newer_);
    clear(older_);
    if (context_) g_object_unref(context_);
  }

  // The context every cached layout belongs to, brought up to date for `cr`; the layouts
  // stay valid as long as the surfaces have the same font options and transformation (every
  // PDF page here: the same A4 surface type, no transformation around text).
  PangoContext* context(cairo_t* cr) {
    if (!context_) {
      context_ = pango_cairo_create_context(cr);
      // Metrics without hinting: the same line breaks whatever the surface.
      cairo_font_options_t* options = cairo_font_options_create();
      cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
      pango_cairo_context_set_font_options(context_, options);
      cairo_font_options_destroy(options);
    } else {
      pango_cairo_update_context(cr, context_);
    }
    return context_;
  }

  PangoLayout* find(const std::string& key) {
    if (auto it = newer_.find(key); it != newer_.end()) return it->second;
    if (auto it = older_.find(key); it != older_.end()) {
      PangoLayout* l = it->second;
      older_.erase(it);
      put(key, l);
      return l;
    }
    return nullptr;
  }

  void put(const std::string& key, PangoLayout* layout) {
    if (newer_.size() >= kGeneration) {
      clear(older_);
      older_.swap(newer_);
    }
    newer_.emplace(key, layout);
  }

 private:
  static constexpr size_t kGeneration = 3000;
  static void clear(std::unordered_map<std::string, PangoLayout*>& m) {
    for (auto& [k, l] : m) g_object_unref(l);
    m.clear();
  }
  PangoContext* context_ = nullptr;
  std::unordered_map<std::string, PangoLayout*> newer_, older_;
};

TextCache& text_cache() {
  thread_local TextCache cache;
  return cache;
}

}  // namespace

Canvas::Canvas(cairo_t* cr, const std::string& font_family) : cr_(cr), family_(font_family) {
  context_ = text_cache().context(cr_);
  regular_ = pango_font_description_new();
  pango_font_description_set_family(regular_, font_family.c_str());
  bold_ = pango_font_description_copy(regular_);
  pango_font_description_set_weight(bold_, PANGO_WEIGHT_BOLD);
}

Canvas::~Canvas() {
  pango_font_description_free(regular_);
  pango_font_description_free(bold_);
}

PangoLayout* Canvas::layout(double width, const std::string& text, const TextStyle& style) {
  const int pango_width = width > 0 ? static_cast<int>(width * PANGO_SCALE) : -1;
  const int pango_size = static_cast<int>(style.size * PANGO_SCALE);
  std::string key;
  key.reserve(family_.size() + text.size() + 24);
  key += family_;
  key += '\0';
  key += style.bold ? 'b' : 'r';
  key += static_cast<char>('0' + static_cast<int>(style.align));
  key += std::to_string(pango_size) + "/" + std::to_string(pango_width) + '\0';
  key += text;
  TextCache& cache = text_cache();
  if (PangoLayout* l = cache.find(key)) return l;
  PangoLayout* l = pango_layout_new(context_);
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  PangoFontDescription* font = style.bold ? bold_ : regular_;
  pango_font_description_set_absolute_size(font, pango_size);
  pango_layout_set_font_description(l, font);
  pango_layout_set_width(l, pango_width);
  pango_layout_set_alignment(l, style.align == Align::right    ? PANGO_ALIGN_RIGHT
                                : style.align == Align::center ? PANGO_ALIGN_CENTER
                                                               : PANGO_ALIGN_LEFT);
  const std::string clean = clean_text(text);
  pango_layout_set_text(l, clean.c_str(), static_cast<int>(clean.size()));
  cache.put(key, l);
  return l;
}

double Canvas::text(double x, double y, double width, const std::string& text, const TextStyle& style) {
  if (text.empty()) return 0;
  PangoLayout* l = layout(width, text, style);
  int w = 0, h = 0;
  pango_layout_get_size(l, &w, &h);
  if (drawing) {
    cairo_set_source_rgb(cr_, style.colour.r, style.colour.g, style.colour.b);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l);
  }
  return static_cast<double>(h) / PANGO_SCALE;
}

double Canvas::height(double width, const std::string& text, const TextStyle& style) {
  const bool was = drawing;
  drawing = false;
  const double h = this->text(0, 0, width, text, style);
  drawing = was;
  return h;
}

double Canvas::width(const std::string& text, const TextStyle& style) {
  int w = 0, h = 0;
  pango_layout_get_size(layout(-1, text, style), &w, &h);
  return static_cast<double>(w) / PANGO_SCALE;
}

void Canvas::line(double x1, double y1, double x2, double y2, double thickness, const Colour& c) {
  if (!drawing) return;
  cairo_set_source_rgb(cr_, c.r, c.g, c.b);
  cairo_set_line_width(cr_, thickness);
  cairo_move_to(cr_, x1, y1);
  cairo_line_to(cr_, x2, y2);
  cairo_stroke(cr_);
}

void Canvas::rectangle(double x, double y, double w, double h, const Colour& c) {
  if (!drawing) return;
  cairo_set_source_rgb(cr_, c.r, c.g, c.b);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
}

void Canvas::image(const Image& image, double x, double y, double w, double h) {
  if (!drawing || image.width() <= 0 || image.height() <= 0) return;
  const double scale = std::min(w / image.width(), h / image.height());
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  cairo_scale(cr_, scale, scale);
  cairo_set_source_surface(cr_, image.surface(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_GOOD);
  cairo_paint(cr_);
  cairo_restore(cr_);
}

void Canvas::qr(const QrMatrix& qr, double x, double y, double size) {
  if (!drawing || qr.size == 0) return;
  // One pixel per module, scaled up without smoothing (the PDF says /Interpolate false): a
  // few hundred bytes in the page. Drawn as one square per module, the code took 60 KB of
  // path operators per page, and formatting and compressing them was most of a PDF's time.
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, qr.size, qr.size);
  cairo_surface_flush(img);
  unsigned char* data = cairo_image_surface_get_data(img);
  const int stride = cairo_image_surface_get_stride(img);
  for (int row = 0; row < qr.size; ++row) {
    auto* px = reinterpret_cast<uint32_t*>(data + static_cast<ptrdiff_t>(row) * stride);
    for (int col = 0; col < qr.size; ++col) px[col] = qr.at(col, row) ? 0x000000u : 0xFFFFFFu;
  }
  cairo_surface_mark_dirty(img);
  const double m = size / qr.size;
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  cairo_scale(cr_, m, m);
  cairo_set_source_surface(cr_, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_NEAREST);
  cairo_rectangle(cr_, 0, 0, qr.size, qr.size);
  cairo_fill(cr_);
  cairo_restore(cr_);
  cairo_surface_destroy(img);
}

}  // namespace invoicing::outputs

#include "outputs/pdf_writer.h"

#include <cairo-pdf.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "domain/vat_number.h"
#include "outputs/epc_qr.h"
#include "outputs/labels.h"
#include "outputs/pdf_canvas.h"
#include "outputs/ubl_rules.h"

namespace invoicing::outputs {

namespace {

using domain::Decimal;
using domain::DocType;
using domain::VatCategory;

constexpr double kPageW = 595.2756, kPageH = 841.8898;  // A4 in points
const Colour kGrey{0.42, 0.42, 0.42}, kRule{0.78, 0.78, 0.78}, kWhite{1, 1, 1},
    kShade{0.94, 0.95, 0.97};

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// "0123.456.749" for a Belgian enterprise number.
std::string dotted_enterprise(const std::string& number) {
  const std::string d = enterprise_digits(number);
  return d.empty() ? number : d.substr(0, 4) + "." + d.substr(4, 3) + "." + d.substr(7);
}

// "BE68 5390 0754 7034": IBANs are read in groups of four.
std::string grouped_iban(const std::string& iban) {
  const std::string n = normalized_iban(iban);
  std::string out;
  for (size_t i = 0; i < n.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += n[i];
  }
  return out;
}

// Readable names of the commonest UN/ECE rec 20 units; other codes are shown as they are.
std::string unit_name(const std::string& code, const std::string& lang) {
  struct U {
    const char* code;
    const char* name[3];
  };
  static const U units[] = {
      {"C62", {"st", "pce", "pc"}},   {"H87", {"st", "pce", "pc"}},  {"HUR", {"u", "h", "h"}},
      {"DAY", {"dag", "jour", "day"}}, {"KGM", {"kg", "kg", "kg"}},   {"MTR", {"m", "m", "m"}},
      {"LTR", {"l", "l", "l"}},        {"MTK", {"m²", "m²", "m²"}},  {"MTQ", {"m³", "m³", "m³"}},
      {"KMT", {"km", "km", "km"}},     {"MIN", {"min", "min", "min"}}, {"MON", {"mnd", "mois", "month"}},
      {"SET", {"set", "set", "set"}},  {"PR", {"paar", "paire", "pair"}}, {"TNE", {"t", "t", "t"}},
  };
  const int l = lang == "nl" ? 0 : lang == "fr" ? 1 : 2;
  for (const U& u : units) {
    if (code == u.code) return u.name[l];
  }
  return code;
}

std::string percent(const Decimal& d, const std::string& lang) {
  return format_number(d, lang, -1) + "\u00A0%";
}

std::string money(const Decimal& d, const std::string& lang) {
  const std::string n = format_number(d, lang, 2);
  if (lang == "fr") return n + "\u00A0€";
  if (lang == "en") return "€" + n;
  return "€\u00A0" + n;
}

struct ColumnBox {
  Column column;
  double x, width;
  Align align;
};

class Writer {
 public:
  Writer(const DocumentData& doc, const Layout& layout, std::string lang, Canvas& canvas, cairo_t* cr)
      : d_(doc), l_(layout), lang_(std::move(lang)), c_(canvas), cr_(cr) {
    left_ = mm(l_.margin_left);
    right_ = kPageW - mm(l_.margin_right);
    body_.size = l_.font_size;
    body_.colour = l_.text;
    small_ = body_;
    small_.size = l_.font_size - 1.5;
    small_.colour = kGrey;
    bold_ = body_;
    bold_.bold = true;
    if (l_.show_logo && d_.seller.logo_bytes)
      logo_ = std::make_shared<const Image>(d_.seller.logo_path, *d_.seller.logo_bytes);
    else if (l_.show_logo && !d_.seller.logo_path.empty())
      logo_ = cached_image(d_.seller.logo_path);
    if (l_.show_qr) {
      payload_ = epc_payload(d_);
      if (!payload_.empty()) qr_ = encode_qr(payload_);
    }
    place_columns();
  }

  // Lays out (or, with the canvas drawing, draws) the whole document; returns the page count.
  int run(int total_pages) {
    pages_ = total_pages;
    page_ = 1;
    bottom_ = kPageH - mm(l_.margin_bottom) - footer_height() - mm(5);
    double y = first_page_header();
    y = table_header(y);
    bool row_on_page = false;
    for (size_t i = 0; i < d_.lines.size(); ++i) {
      const double h = row(i, y, false);
      if (y + h > bottom_ && row_on_page) {
        y = table_header(next_page());
        row_on_page = false;
      }
      row(i, y, true);
      y += h;
      row_on_page = true;
    }
    c_.line(left_, y, right_, y, 0.8, l_.accent);
    y += mm(5);
    if (d_.type != DocType::delivery_note) y = keep_together(y, &Writer::totals);
    y = keep_together(y, &Writer::mentions);
    if (d_.type == DocType::invoice) y = keep_together(y, &Writer::payment);
    footer();
    return page_;
  }

 private:
  using Block = double (Writer::*)(double y);

  // Draws a block where it is, or on a new page when it does not fit below y.
  double keep_together(double y, Block block) {
    const bool was = c_.drawing;
    c_.drawing = false;
    const double h = (this->*block)(y);
    c_.drawing = was;
    if (h == 0) return y;
    if (y + h > bottom_) y = next_page();
    return y + (this->*block)(y) + mm(5);
  }

  double next_page() {
    footer();
    if (c_.drawing) cairo_show_page(cr_);
    ++page_;
    double y = mm(l_.margin_top);
    TextStyle s = small_;
    c_.text(left_, y, (right_ - left_) / 2, d_.seller.name, s);
    s.align = Align::right;
    const double h = c_.text(left_, y, right_ - left_,
                             document_title(d_, lang_) + " (" + label(Label::continued, lang_) + ")",
                             s);
    y += h + mm(2);
    c_.line(left_, y, right_, y, 0.5, kRule);
    return y + mm(4);
  }

  double footer_height() {
    const std::string& text = footer_text(l_, lang_);
    const double page_h = c_.height(-1, "page 9/9", small_);
    return std::max(page_h, text.empty() ? 0 : c_.height(right_ - left_ - 120, text, small_));
  }

  void footer() {
    const double base = kPageH - mm(l_.margin_bottom);
    const std::string& text = footer_text(l_, lang_);
    if (!text.empty()) {
      TextStyle s = small_;
      s.align = Align::center;
      const double h = c_.height(right_ - left_ - 120, text, s);
      c_.text(left_ + 60, base - h, right_ - left_ - 120, text, s);
    }
    TextStyle s = small_;
    s.align = Align::right;
    const std::string page_label = fmt::format("{} {}/{}", label(Label::page, lang_), page_, pages_);
    const double h = c_.height(-1, page_label, s);
    c_.text(right_ - 100, base - h, 100, page_label, s);
  }

  // Name, address lines, postcode and city, the country when it differs from the other
  // party's, and the identifiers.
  std::string address_text(const Party& p, const Party& other) const {
    std::string t;
    for (const auto& a : p.address_lines) t += a + "\n";
    t += p.postcode + (p.postcode.empty() ? "" : " ") + p.city;
    if (!p.country.empty() && p.country != other.country) t += "\n" + p.country;
    return t;
  }

  std::string identifiers(const Party& p) const {
    std::string t;
    if (!p.vat_number.empty()) {
      t += std::string(label(Label::vat_number, lang_)) + " " + domain::check_vat_number(p.vat_number).normalized;
    }
    if (!p.enterprise_number.empty() && p.vat_number.empty()) {
      t += (t.empty() ? "" : "\n") + std::string(label(Label::enterprise_number, lang_)) + " " +
           dotted_enterprise(p.enterprise_number);
    }
    if (!p.kvk.empty()) t += (t.empty() ? "" : "\n") + std::string(label(Label::kvk, lang_)) + " " + p.kvk;
    return t;
  }

  double first_page_header() {
    const double top = mm(l_.margin_top);
    // Logo, or the seller's name in its place.
    if (logo_) {
      c_.image(*logo_, mm(l_.logo_x), mm(l_.logo_y), mm(l_.logo_width), mm(l_.logo_height));
    } else {
      TextStyle s = bold_;
      s.size = l_.font_size + 7;
      s.colour = l_.accent;
      c_.text(mm(l_.logo_x), mm(l_.logo_y), std::max(mm(l_.logo_width), mm(95)), d_.seller.name, s);
    }
    // The seller, top right.
    const double sw = mm(70), sx = right_ - sw;
    TextStyle s = small_;
    s.align = Align::right;
    TextStyle sb = bold_;
    sb.align = Align::right;
    double y = top;
    y += c_.text(sx, y, sw, d_.seller.name, sb);
    y += c_.text(sx, y, sw, address_text(d_.seller, d_.buyer), s);
    std::string ids = identifiers(d_.seller);
    if (!d_.seller.vat_number.empty() && !d_.seller.enterprise_number.empty()) {
      ids += "\n" + std::string(label(Label::enterprise_number, lang_)) + " " +
             dotted_enterprise(d_.seller.enterprise_number);
    }
    for (const std::string* v : {&d_.seller.email, &d_.seller.phone}) {
      if (!v->empty()) ids += (ids.empty() ? "" : "\n") + *v;
    }
    y += c_.text(sx, y, sw, ids, s);
    const double seller_bottom = y;

    // The buyer, in the envelope window.
    double by = std::max(mm(l_.buyer_y), seller_bottom + mm(4));
    const double bx = mm(l_.buyer_x), bw = std::min(mm(l_.buyer_width), right_ - bx);
    by += c_.text(bx, by, bw, label(Label::customer, lang_), small_);
    TextStyle nb = bold_;
    nb.size = l_.font_size + 1.5;
    by += c_.text(bx, by, bw, d_.buyer.name, nb);
    by += c_.text(bx, by, bw, address_text(d_.buyer, d_.seller), body_);
    by += c_.text(bx, by, bw, identifiers(d_.buyer), body_);

    // Title, number and the document's facts, on the left at the window's height.
    double ty = std::max(mm(l_.buyer_y), std::max(mm(l_.logo_y + l_.logo_height) + mm(4), top));
    const double tw = std::max(mm(40), bx - left_ - mm(6));
    TextStyle title = bold_;
    title.size = l_.font_size + 9;
    title.colour = l_.accent;
    ty += c_.text(left_, ty, tw, type_label(d_.type, lang_), title);
    TextStyle number = bold_;
    number.size = l_.font_size + 3;
    ty += c_.text(left_, ty, tw, display_number(d_), number) + mm(3);

    std::vector<std::pair<std::string, std::string>> facts;
    facts.emplace_back(label(Label::date, lang_), format_date(d_.issue_date, lang_));
    if (d_.due_date) facts.emplace_back(label(Label::due_date, lang_), format_date(*d_.due_date, lang_));
    if (d_.delivery_date) facts.emplace_back(label(Label::delivery_date, lang_), format_date(*d_.delivery_date, lang_));
    if (!d_.payment_terms.empty()) facts.emplace_back(label(Label::payment_terms, lang_), d_.payment_terms);
    if (!d_.customer_reference.empty()) {
      facts.emplace_back(label(Label::customer_reference, lang_), d_.customer_reference);
    }
    if (!d_.order_reference.empty()) facts.emplace_back(label(Label::order_reference, lang_), d_.order_reference);
    if (d_.corrects) {
      const CorrectedDocument& k = *d_.corrects;
      // Its number as the invoice shows it ("facture 2026/42": it names its type already), or
      // the type and a number made up here.
      std::string v = !k.display_number.empty()
                          ? k.display_number
                          : fmt::format("{} {} {}/{:04d}", type_label(k.type, lang_), domain::doc_type_code(k.type),
                                        k.year, k.number);
      if (k.date.ok()) v += " " + std::string(label(Label::of_date, lang_)) + " " + format_date(k.date, lang_);
      facts.emplace_back(label(Label::corrects, lang_), v);
    }
    const double lw = mm(30);
    for (const auto& [k, v] : facts) {
      c_.text(left_, ty, lw, k, small_);
      ty += std::max(c_.height(lw, k, small_), c_.text(left_ + lw, ty, tw - lw, v, body_)) + 1;
    }
    return std::max(by, ty) + mm(8);
  }

  void place_columns() {
    double fixed = 0;
    for (Column col : l_.columns) {
      if (col != Column::description) fixed += mm(l_.column_width[static_cast<int>(col)]);
    }
    const double total = right_ - left_;
    // Columns wider than the page allow are narrowed together, so the description keeps 40 mm.
    const double scale = fixed > total - mm(40) ? (total - mm(40)) / fixed : 1.0;
    double x = left_;
    for (Column col : l_.columns) {
      double w = col == Column::description ? total - fixed * scale : mm(l_.column_width[static_cast<int>(col)]) * scale;
      Align a = (col == Column::code || col == Column::description || col == Column::unit) ? Align::left : Align::right;
      columns_.push_back({col, x, w, a});
      x += w;
    }
  }

  static constexpr double kPad = 2.2;

  std::string header_text(Column col) const {
    switch (col) {
      case Column::code: return label(Label::code, lang_);
      case Column::description: return label(Label::description, lang_);
      case Column::quantity: return label(Label::quantity, lang_);
      case Column::unit: return label(Label::unit, lang_);
      case Column::unit_price: return label(Label::unit_price, lang_);
      case Column::discount: return label(Label::discount, lang_);
      case Column::vat_rate: return label(Label::vat_rate, lang_);
      case Column::net: return label(Label::net, lang_);
    }
    return {};
  }

  std::string cell_text(const Line& line, Column col) const {
    switch (col) {
      case Column::code: return line.code;
      case Column::description: return line.description;
      case Column::quantity: return format_number(line.quantity, lang_, -1);
      case Column::unit: return unit_name(line.unit_code, lang_);
      case Column::unit_price: return format_number(line.unit_price, lang_, -2);
      case Column::discount: return line.discount_percent.is_zero() ? "" : percent(line.discount_percent, lang_);
      case Column::vat_rate:
        return line.category == VatCategory::standard ? percent(line.vat_rate, lang_)
                                                       : std::string(domain::code(line.category));
      case Column::net: return format_number(line.net, lang_, 2);
    }
    return {};
  }

  double table_header(double y) {
    TextStyle s = bold_;
    s.size = l_.font_size - 1;
    s.colour = kWhite;
    double h = 0;
    for (const ColumnBox& b : columns_) h = std::max(h, c_.height(b.width - 2 * kPad, header_text(b.column), s));
    h += 2 * kPad;
    c_.rectangle(left_, y, right_ - left_, h, l_.accent);
    for (const ColumnBox& b : columns_) {
      s.align = b.align;
      c_.text(b.x + kPad, y + kPad, b.width - 2 * kPad, header_text(b.column), s);
    }
    return y + h;
  }

  // A row's height, measured once: both passes and the page-break test reuse it.
  double row_height(size_t i) {
    if (row_heights_.size() != d_.lines.size()) row_heights_.assign(d_.lines.size(), -1);
    if (row_heights_[i] < 0) {
      double h = 0;
      for (const ColumnBox& b : columns_) {
        h = std::max(h, c_.height(b.width - 2 * kPad, cell_text(d_.lines[i], b.column), body_));
      }
      row_heights_[i] = h + 2 * kPad;
    }
    return row_heights_[i];
  }

  double row(size_t i, double y, bool draw) {
    const double h = row_height(i);
    if (!draw || !c_.drawing) return h;
    if (i % 2 == 1) c_.rectangle(left_, y, right_ - left_, h, kShade);
    TextStyle s = body_;
    for (const ColumnBox& b : columns_) {
      s.align = b.align;
      c_.text(b.x + kPad, y + kPad, b.width - 2 * kPad, cell_text(d_.lines[i], b.column), s);
    }
    return h;
  }

  // VAT breakdown on the left, totals on the right.
  double totals(double y) {
    const double top = y;
    // Breakdown.
    const double w0 = mm(26), w1 = mm(28), w2 = mm(24), x0 = left_;
    TextStyle head = small_;
    TextStyle num = body_;
    num.align = Align::right;
    head.align = Align::left;
    c_.text(x0, y, w0, label(Label::vat_rate, lang_), head);
    head.align = Align::right;
    c_.text(x0 + w0, y, w1, label(Label::vat_base, lang_), head);
    y += c_.text(x0 + w0 + w1, y, w2, label(Label::vat_amount, lang_), head) + 2;
    c_.line(x0, y, x0 + w0 + w1 + w2, y, 0.5, kRule);
    y += 2;
    for (const auto& b : d_.totals.breakdown) {
      std::string cat = b.category == VatCategory::standard
                            ? percent(b.rate, lang_)
                            : std::string(domain::code(b.category)) + " " + percent(b.rate, lang_);
      c_.text(x0, y, w0, cat, body_);
      c_.text(x0 + w0, y, w1, format_number(b.base, lang_, 2), num);
      y += c_.text(x0 + w0 + w1, y, w2, format_number(b.vat, lang_, 2), num) + 1.5;
    }
    const double left_bottom = y;

    // Totals.
    const double tw = mm(80), tx = right_ - tw, vw = mm(32);
    double ty = top;
    auto total_row = [&](Label key, const Decimal& value, const TextStyle& style) {
      TextStyle l = style;
      l.align = Align::left;
      TextStyle v = style;
      v.align = Align::right;
      c_.text(tx, ty, tw - vw, label(key, lang_), l);
      ty += c_.text(tx + tw - vw, ty, vw, money(value, lang_), v) + 2;
    };
    total_row(Label::total_excl, d_.totals.total_excl, body_);
    total_row(Label::total_vat, d_.totals.total_vat, body_);
    c_.line(tx, ty, right_, ty, 0.5, kRule);
    ty += 2;
    TextStyle strong = bold_;
    strong.size = l_.font_size + 1.5;
    if (d_.type == DocType::invoice) {
      total_row(Label::total_incl, d_.totals.total_incl, bold_);
      const double band = c_.height(tw, "X", strong) + 4;
      c_.rectangle(tx, ty, tw, band, l_.accent);
      strong.colour = kWhite;
      TextStyle l = strong, v = strong;
      v.align = Align::right;
      c_.text(tx + 3, ty + 2, tw - vw, label(Label::to_pay, lang_), l);
      c_.text(tx + tw - vw - 3, ty + 2, vw, money(d_.totals.total_incl, lang_), v);
      ty += band;
    } else {
      total_row(Label::total_incl, d_.totals.total_incl, strong);
    }
    return std::max(left_bottom, ty) - top;
  }

  double mentions(double y) {
    std::string text;
    for (const auto& b : d_.totals.breakdown) {
      if (b.category == VatCategory::standard) continue;
      std::string m = domain::legal_mention(b.category, lang_);
      if (b.category == VatCategory::exempt) {
        const ExemptionReason r = exemption_reason(d_, b.category);
        if (!r.text.empty()) m += ": " + r.text;
      }
      text += (text.empty() ? "" : "\n") + m;
    }
    return c_.text(left_, y, right_ - left_, text, body_);
  }

  double payment(double y) {
    if (d_.seller.iban.empty()) return 0;
    const double top = y;
    const double qr_size = mm(30);
    const double w = right_ - left_ - (qr_.size ? qr_size + mm(10) : 0);
    TextStyle head = bold_;
    head.colour = l_.accent;
    y += c_.text(left_, y, w, label(Label::payment, lang_), head) + 2;
    const double lw = mm(28);
    auto fact = [&](Label key, const std::string& value, const TextStyle& style) {
      if (value.empty()) return;
      c_.text(left_, y, lw, label(key, lang_), small_);
      y += std::max(c_.height(lw, label(key, lang_), small_), c_.text(left_ + lw, y, w - lw, value, style)) + 1.5;
    };
    fact(Label::iban, grouped_iban(d_.seller.iban), body_);
    fact(Label::bic, d_.seller.bic, body_);
    TextStyle ogm = bold_;
    ogm.size = l_.font_size + 2;
    fact(Label::communication, d_.payment_reference, ogm);
    if (d_.due_date) fact(Label::due_date, format_date(*d_.due_date, lang_), body_);
    if (qr_.size) {
      // Four modules of quiet zone around the code, as the QR standard asks.
      const double quiet = qr_size / qr_.size * 4;
      const double qx = right_ - qr_size - quiet;
      c_.rectangle(qx - quiet, top, qr_size + 2 * quiet, qr_size + 2 * quiet, kWhite);
      c_.qr(qr_, qx, top + quiet, qr_size);
      TextStyle cap = small_;
      cap.align = Align::center;
      const double ch = c_.text(qx - quiet, top + qr_size + 2 * quiet, qr_size + 2 * quiet,
                                label(Label::scan_to_pay, lang_), cap);
      y = std::max(y, top + qr_size + 2 * quiet + ch);
    }
    return y - top;
  }

  const DocumentData& d_;
  const Layout& l_;
  std::string lang_;
  Canvas& c_;
  cairo_t* cr_;
  std::shared_ptr<const Image> logo_;
  std::string payload_;
  QrMatrix qr_;
  std::vector<ColumnBox> columns_;
  std::vector<double> row_heights_;
  TextStyle body_, small_, bold_;
  double left_ = 0, right_ = 0, bottom_ = 0;
  int page_ = 1, pages_ = 1;
};

}  // namespace

void check_logo(const std::string& path) { Image image(path); }

std::string write_pdf(const DocumentData& doc, const Layout& layout, std::string_view language) {
  std::string lang(language);
  if (lang != "nl" && lang != "fr" && lang != "en") lang = document_language(doc);
  std::string out;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append_bytes, &out, kPageW, kPageH);
  const std::string title = document_title(doc, lang);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, doc.seller.name.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "invoicing");
  // Dated by the document, not the clock: the same document gives the same bytes, so a delivery
  // (app/delivery) recognises a file it wrote before by its SHA-256.
  const std::string created = fmt::format("{:04}-{:02}-{:02}T00:00:00", int(doc.issue_date.year()),
                                          unsigned(doc.issue_date.month()), unsigned(doc.issue_date.day()));
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
  cairo_t* cr = cairo_create(surface);
  try {
    Canvas canvas(cr, layout.font);
    Writer writer(doc, layout, lang, canvas, cr);
    // First the layout alone, to know the number of pages; then the drawing.
    canvas.drawing = false;
    const int pages = writer.run(1);
    canvas.drawing = true;
    writer.run(pages);
  } catch (...) {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    throw;
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("PDF of ") + display_number(doc) + ": " + cairo_status_to_string(status));
  }
  return out;
}

}  // namespace invoicing::outputs

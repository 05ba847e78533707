// The PDF of one document as a Belgian customer expects it: logo, seller and buyer with their
// VAT and enterprise numbers, the lines, the VAT breakdown and totals, legal mentions, the
// payment details with the structured communication and an EPC payment QR code; page breaks
// with the table header repeated and "page N/M". Drawn with cairo and pango: the text is real
// text, the fonts are embedded.
#pragma once

#include <string>
#include <string_view>

#include "outputs/document_data.h"
#include "outputs/layout.h"

namespace invoicing::outputs {

// The PDF bytes. `language` "nl", "fr" or "en"; empty: document_language(doc). Throws
// std::runtime_error naming the logo file when the seller's logo cannot be read.
std::string write_pdf(const DocumentData& doc, const Layout& layout, std::string_view language = {});

// Reads a logo as write_pdf would: throws std::runtime_error naming the file when it is not a
// readable PNG or JPEG.
void check_logo(const std::string& path);

}  // namespace invoicing::outputs

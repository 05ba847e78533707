#include "outputs/epc_qr.h"

#include <qrencode.h>

#include <stdexcept>

#include "domain/ogm.h"
#include "outputs/text_clean.h"
#include "outputs/ubl_rules.h"

namespace invoicing::outputs {

namespace {

// At most `max` characters (code points) of valid UTF-8, on one line.
std::string field(const std::string& text, size_t max) {
  std::string clean = clean_text(text), out;
  size_t chars = 0;
  for (size_t i = 0; i < clean.size() && chars < max;) {
    size_t len = 1;
    const auto c = static_cast<unsigned char>(clean[i]);
    if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
    std::string ch = clean.substr(i, len);
    out += (ch == "\n" || ch == "\r" || ch == "\t") ? " " : ch;
    i += len;
    ++chars;
  }
  return out;
}

}  // namespace

std::string epc_payload(const DocumentData& doc) {
  if (doc.type != domain::DocType::invoice || doc.currency != "EUR") return {};
  if (!iban_valid(doc.seller.iban)) return {};
  const domain::Decimal total = doc.totals.total_incl;
  if (total < domain::Decimal::from_cents(1) ||
      total > domain::Decimal::from_cents(99999999999)) {
    return {};
  }
  std::string structured, unstructured;
  if (auto base = domain::ogm_base(doc.payment_reference)) {
    std::string digits;
    for (char c : doc.payment_reference) {
      if (c >= '0' && c <= '9') digits += c;
    }
    structured = digits;
  } else {
    unstructured = field(doc.payment_reference.empty() ? display_number(doc) : doc.payment_reference, 140);
  }
  std::string p = "BCD\n002\n1\nSCT\n";
  p += field(doc.seller.bic, 11) + "\n";
  p += field(doc.seller.name, 70) + "\n";
  p += normalized_iban(doc.seller.iban) + "\n";
  p += "EUR" + total.round(2).to_string() + "\n";
  p += "\n";  // purpose
  p += structured + "\n";
  p += unstructured;
  if (p.size() > 331) return {};
  return p;
}

QrMatrix encode_qr(const std::string& payload) {
  QRcode* qr = QRcode_encodeData(static_cast<int>(payload.size()),
                                 reinterpret_cast<const unsigned char*>(payload.data()), 0,
                                 QR_ECLEVEL_M);
  if (!qr) throw std::runtime_error("the QR code cannot be encoded (" + std::to_string(payload.size()) + " bytes)");
  QrMatrix m;
  m.size = qr->width;
  m.dark.resize(static_cast<size_t>(qr->width) * qr->width);
  for (size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (qr->data[i] & 1) != 0;
  QRcode_free(qr);
  return m;
}

}  // namespace invoicing::outputs

// The EPC payment QR code ("SEPA QR", EPC069-12 version 002) that banking apps scan to fill in
// a transfer: beneficiary, IBAN, amount and the structured communication.
#pragma once

#include <string>
#include <vector>

#include "outputs/document_data.h"

namespace invoicing::outputs {

// The payload, lines joined by LF:
//   BCD / 002 / 1 (UTF-8) / SCT / BIC (may be empty) / name (≤ 70) / IBAN / EUR12.30 /
//   purpose (empty) / structured reference / unstructured text
// The structured reference is the OGM's twelve digits (how Belgian banks read it); without an
// OGM the display number goes in the unstructured text. Empty when the document cannot be
// paid by transfer: not an invoice, no valid IBAN, a total outside 0.01 .. 999999999.99, or a
// payload over 331 bytes.
std::string epc_payload(const DocumentData& doc);

// A QR code's modules, row by row (true = dark), without the quiet zone.
struct QrMatrix {
  int size = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[static_cast<size_t>(y) * size + x]; }
};

// Byte mode, error correction level M (EPC069-12), smallest version that fits, by
// libqrencode. Throws std::runtime_error when it cannot be encoded.
QrMatrix encode_qr(const std::string& payload);

}  // namespace invoicing::outputs

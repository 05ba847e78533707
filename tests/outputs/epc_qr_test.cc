// The EPC payment QR payload (EPC069-12 version 002) and its QR encoding.
#include <catch2/catch.hpp>

#include "outputs/epc_qr.h"
#include "sample_documents.h"

using namespace invoicing::outputs;
namespace sample = invoicing::outputs::test;
using invoicing::domain::Decimal;

TEST_CASE("EPC QR: the payload has the EPC069-12 fields in order", "[outputs][qr]") {
  DocumentData doc = sample::be_domestic_invoice();
  doc.payment_reference = "+++090/9337/55493+++";
  const std::string p = epc_payload(doc);
  CHECK(p == "BCD\n002\n1\nSCT\nGKCCBEBB\nAtelier Vandenberghe BV\nBE68539007547034\nEUR" +
                 doc.totals.total_incl.to_string(2) + "\n\n090933755493\n");
  CHECK(p.size() <= 331);
}

TEST_CASE("EPC QR: without an OGM the number goes in the free text, long names are cut", "[outputs][qr]") {
  DocumentData doc = sample::be_domestic_invoice();
  doc.payment_reference.clear();
  doc.seller.bic.clear();
  doc.seller.name = std::string(80, 'x') + "\nline";
  const std::string p = epc_payload(doc);
  CHECK(p.find("SCT\n\n" + std::string(70, 'x') + "\nBE68") != std::string::npos);
  CHECK(p.substr(p.size() - 14) == "\nINV 2026/0042");
}

TEST_CASE("EPC QR: no payload when nothing can be paid by transfer", "[outputs][qr]") {
  DocumentData doc = sample::be_domestic_invoice();
  doc.seller.iban = "BE68 5390 0754 7035";  // check digits wrong
  CHECK(epc_payload(doc).empty());
  CHECK(epc_payload(sample::credit_note()).empty());
  doc = sample::be_domestic_invoice();
  doc.totals.total_incl = Decimal::from_cents(0);
  CHECK(epc_payload(doc).empty());
  doc.totals.total_incl = Decimal::from_cents(100000000000);  // 1 000 000 000.00
  CHECK(epc_payload(doc).empty());
}

TEST_CASE("EPC QR: encoded at level M into a square matrix", "[outputs][qr]") {
  const QrMatrix m = encode_qr(epc_payload(sample::be_domestic_invoice()));
  CHECK(m.size >= 21);
  CHECK((m.size - 17) % 4 == 0);  // QR versions are 21, 25, 29 ... modules wide
  CHECK(m.dark.size() == static_cast<size_t>(m.size * m.size));
  // The finder pattern's corner module is dark, the separator next to it light.
  CHECK(m.at(0, 0));
  CHECK_FALSE(m.at(7, 0));
}

// invoicing-outputs-bench: how long the output library takes for a one-page invoice PDF, a
// Peppol UBL with that PDF embedded, and a period export of N invoices as PDF + UBL into one
// ZIP. Prints figures; never passes or fails on time.
//
//   invoicing-outputs-bench [--runs N] [--invoices N] [--dir FOLDER]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>
#include <algorithm>

#include "domain/ogm.h"
#include "outputs/document_data.h"
#include "outputs/layout.h"
#include "outputs/pdf_writer.h"
#include "outputs/ubl_writer.h"
#include "outputs/zip_writer.h"

using namespace invoicing;
using namespace invoicing::outputs;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A realistic one-page invoice: 3 to 8 lines at 21, 12 and 6 %, some with a discount.
DocumentData invoice(int number) {
  DocumentData d;
  d.year = 2026;
  d.number = number;
  d.issue_date = std::chrono::year{2026} / std::chrono::March / 15;
  d.due_date = std::chrono::year{2026} / std::chrono::April / 14;
  d.payment_terms = "30 dagen na factuurdatum";
  d.customer_reference = "PO-" + std::to_string(number);
  d.payment_reference = domain::ogm_from_number(static_cast<uint64_t>(number));
  Party& s = d.seller;
  s.name = "Atelier Vandenberghe BV";
  s.address_lines = {"Kortrijksesteenweg 112"};
  s.postcode = "9000";
  s.city = "Gent";
  s.country = "BE";
  s.vat_number = "BE0123456749";
  s.enterprise_number = "0123456749";
  s.iban = "BE68539007547034";
  s.bic = "GKCCBEBB";
  s.email = "facturen@vandenberghe.example";
  Party& b = d.buyer;
  b.name = "Brasserie Zoë & Fils SRL";
  b.address_lines = {"Rue de l'Hôpital 7"};
  b.postcode = "4000";
  b.city = "Liège";
  b.country = "BE";
  b.vat_number = "BE0428759497";
  b.language = number % 2 ? "fr" : "nl";
  static const int rates[] = {21, 12, 6};
  for (int i = 0; i < 3 + number % 6; ++i) {
    Line l;
    l.code = "ART-" + std::to_string(100 + i);
    l.description = "Artikel " + std::to_string(i + 1) + " voor de brouwinstallatie";
    l.quantity = domain::Decimal::from_integer(1 + i % 4);
    l.unit_price = domain::Decimal::from_cents(1995 + 250 * i + number % 100);
    l.discount_percent = domain::Decimal::from_integer(i % 3 == 0 ? 5 : 0);
    l.vat_rate = domain::Decimal::from_integer(rates[i % 3]);
    d.lines.push_back(l);
  }
  complete_totals(d);
  return d;
}

void report(const char* what, std::vector<double> ms, double target) {
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double v : ms) sum += v;
  std::printf("%-34s runs %4zu  median %8.2f ms  mean %8.2f ms  min %8.2f ms  max %8.2f ms  (target <= %.0f ms)\n",
              what, ms.size(), ms[ms.size() / 2], sum / ms.size(), ms.front(), ms.back(), target);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 50, invoices = 1000;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--invoices")) invoices = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: %s [--runs N] [--invoices N] [--dir FOLDER]\n", argv[0]);
      return 2;
    }
  }
  if (runs < 1 || invoices < 1) return 2;
  const Layout layout;
  const DocumentData doc = invoice(42);

  // The first PDF also loads the fonts (fontconfig, pango): shown apart.
  auto t = Clock::now();
  std::string pdf = write_pdf(doc, layout);
  std::printf("%-34s %.2f ms (fonts loaded once per process)\n", "first PDF", ms_since(t));

  std::vector<double> pdf_ms, ubl_ms, both_ms;
  for (int i = 0; i < runs; ++i) {
    t = Clock::now();
    pdf = write_pdf(doc, layout);
    pdf_ms.push_back(ms_since(t));
  }
  std::string xml;
  for (int i = 0; i < runs; ++i) {
    t = Clock::now();
    xml = write_ubl(doc, {pdf_attachment(doc, pdf)});
    ubl_ms.push_back(ms_since(t));
  }
  for (int i = 0; i < runs; ++i) {
    t = Clock::now();
    const std::string p = write_pdf(doc, layout);
    xml = write_ubl(doc, {pdf_attachment(doc, p)});
    both_ms.push_back(ms_since(t));
  }
  report("one-page PDF", pdf_ms, 30);
  report("UBL with the PDF embedded", ubl_ms, 40);
  report("PDF, then UBL embedding it", both_ms, 40);
  std::printf("%-34s PDF %zu bytes, UBL %zu bytes\n", "sizes", pdf.size(), xml.size());

  const std::filesystem::path zip_path = dir / "invoicing-outputs-bench.zip";
  t = Clock::now();
  double render_ms = 0;
  {
    ZipWriter zip(zip_path);
    for (int n = 1; n <= invoices; ++n) {
      const auto r = Clock::now();
      const DocumentData d = invoice(n);
      std::string p = write_pdf(d, layout);
      std::string x = write_ubl(d, {pdf_attachment(d, p)});
      render_ms += ms_since(r);
      zip.add(zip_entry_name(d, "pdf"), std::move(p));
      zip.add(zip_entry_name(d, "xml"), std::move(x));
    }
    zip.finish();
  }
  const double total = ms_since(t);
  std::printf("%-34s %d invoices in %.2f s (rendering %.2f s, ZIP %.2f s), %.1f MB  (target <= 30 s)\n",
              "pdf+ubl into one ZIP", invoices, total / 1000, render_ms / 1000, (total - render_ms) / 1000,
              static_cast<double>(std::filesystem::file_size(zip_path)) / 1e6);
  std::filesystem::remove(zip_path);
  return 0;
}

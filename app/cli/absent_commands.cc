// The commands of a build without INVOICING_ALL_PARTS (the Windows build: Debian packages
// these libraries for the host only): each says what it needs and exits with 2.
#include <iostream>
#include <string>

#include "cli.h"

namespace invoicing::cli {

namespace {
int absent(const std::string& command, const std::string& needs) {
  std::cerr << "invoicing: " << command << " is not available in the Windows build: needs " << needs << "\n";
  return 2;
}
constexpr const char* pdf_libraries = "cairo, pango, libqrencode and libturbojpeg (app/outputs)";
}  // namespace

int cmd_doc_output(int, char**) { return absent("doc pdf/ubl", pdf_libraries); }
int cmd_export(int, char**) { return absent("export", "libxlsxwriter, cairo and pango (app/outputs)"); }
int cmd_export_records(int, char**) { return absent("export", "libxlsxwriter (app/outputs)"); }
int cmd_company(int, char**) { return absent("company", std::string(pdf_libraries) + ": the seller's checks and logo"); }
int cmd_layout(int, char**) { return absent("layout", pdf_libraries); }
int cmd_pdf_dir(int, char**) { return absent("pdf-dir", pdf_libraries); }
int cmd_deliver(int, char**) { return absent("deliver", std::string(pdf_libraries) + " for the documents it delivers"); }
int cmd_import(int, char**) { return absent("import", "ICU, expat and freexl (app/import)"); }
int cmd_ui(int, char**) { return absent("ui", "Boost.Beast (app/web)"); }
int cmd_setup_install(int, char**) {
  return absent("setup", "Debian's system tools (systemd, Samba): servers and workstations are set up on Linux");
}

// No PDFs in this build: a finalized document is final, and its PDF is written by a build
// that has them (`invoicing doc pdf`); the PDF folder cannot be set here (pdf-dir above).
bool write_finalized_pdf(store::Company&, int32_t, bool) { return true; }
bool finalized_pdf_due(store::Company&) { return false; }

}  // namespace invoicing::cli

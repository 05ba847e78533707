// Suppliers' e-invoices imported as purchase invoices (PURCHIMP): which document each became,
// the file's SHA-256 (so the same file is recognised when it comes again), and the original
// XML and its embedded PDF, kept with the company's files (storage.h FileKind::purchase:
// a data folder's purchases/<document id>/, a database's company_file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/company.h"

namespace invoicing::store {

struct PurchaseImport {
  int32_t doc_id = 0;
  std::string sha256;  // of the XML file as received, lower-case hex
  std::string file;    // the file's name as it was given to the import
  std::string kept;    // "purchases/17": the folder (in the data folder) of its files
  std::string when;    // "2026-12-03 08:41:07" (read back only)
  std::string user;
};

// The names of the kept files in their folder.
inline constexpr const char* kKeptXml = "original.xml";
inline constexpr const char* kKeptPdf = "original.pdf";

std::optional<PurchaseImport> purchase_import_by_sha(Company& c, const std::string& sha256);
std::optional<PurchaseImport> purchase_import_of(Company& c, int32_t doc_id);
std::vector<PurchaseImport> all_purchase_imports(Company& c);

// Keeps the XML (and the PDF when there is one) as purchases/<doc>/ files, each written whole
// (storage.h), and records the import, in one action (on a data folder the files are written
// first: a record never names a file that is not complete). Returns the record.
PurchaseImport keep_purchase_import(Company& c, int32_t doc_id, const std::string& file_name,
                                    const std::string& sha256, const std::string& xml,
                                    const std::string& pdf);

// A kept file's name among the company's purchase files ("17/original.xml"); `which` is
// kKeptXml or kKeptPdf.
std::string kept_name(const PurchaseImport& p, const char* which);
// A kept file's bytes; nullopt when there is none.
std::optional<std::string> read_kept(Company& c, const PurchaseImport& p, const char* which);
// Where a kept file is, for people: its path in a data folder, "purchases/17/original.xml in
// database ..." for a database.
std::string kept_place(Company& c, const PurchaseImport& p, const char* which);

}  // namespace invoicing::store

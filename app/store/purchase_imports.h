// Suppliers' e-invoices imported as purchase invoices (PURCHIMP): which document each became,
// the file's SHA-256 (so the same file is recognised when it comes again), and the original
// XML and its embedded PDF, kept in the data folder under purchases/<document id>/.
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

// Writes the XML (and the PDF when there is one) to purchases/<doc>/ in the data folder, each
// under a temporary name, synced and renamed (xbase::write_durably), then records the import
// (its own action). Returns the record.
PurchaseImport keep_purchase_import(Company& c, int32_t doc_id, const std::string& file_name,
                                    const std::string& sha256, const std::string& xml,
                                    const std::string& pdf);

// The folder of a kept import's files.
std::filesystem::path kept_folder(const Company& c, const PurchaseImport& p);

}  // namespace invoicing::store

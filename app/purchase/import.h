// A supplier's e-invoice becomes a final purchase invoice: read (purchase/ubl_reader), checked
// against this company (the buyer), its supplier found or created, its lines and totals
// checked against what domain computes from them, then recorded through the store with its
// original XML and embedded PDF kept (store/purchase_imports). A credit note becomes a
// purchase invoice with negative lines (the program has no purchase credit type).
//
// The purchase invoice is dated the day it is registered (purchase invoices are numbered in
// date order, and suppliers' invoices arrive out of order); the supplier's number is its
// reference (CUSTREF), the supplier's date and due date are in its note.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "domain/money.h"
#include "store/company.h"

namespace invoicing::purchase {

struct ImportOptions {
  bool create_supplier = false;  // a supplier not found is added from the e-invoice
};

struct ImportOutcome {
  enum class Kind { imported, skipped, refused } kind = Kind::refused;
  std::string file;              // as given (a DIR import: the path of the file in it)
  std::string reason;            // skipped or refused: why
  int32_t doc_id = 0;            // imported, or skipped as a duplicate of it
  std::string document;          // "purchase invoice 2026/3"
  std::string supplier, number;  // the supplier's code and its invoice number
  bool credit_note = false, supplier_created = false;
  domain::Decimal total_excl, total_vat, total_incl;
  std::string kept;  // the folder of the kept files ("purchases/17")
};

const char* kind_word(ImportOutcome::Kind k);  // "imported", "skipped", "refused"

// One file. Never throws for what is wrong with the file or refused by the store: that is a
// refused outcome naming why; nothing is changed then.
ImportOutcome import_file(store::Company& c, const std::filesystem::path& file,
                          const ImportOptions& o = {});

// A file, or every *.xml file of a folder (sorted by name), each on its own: a refused file
// never stops the others.
std::vector<ImportOutcome> import_path(store::Company& c, const std::filesystem::path& path,
                                       const ImportOptions& o = {});

}  // namespace invoicing::purchase

// What was delivered to the accounting folders (DELIVERY): one record per file, written only
// once the file is complete under its final name, so a record never names a partial file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/company.h"

namespace invoicing::store {

struct Delivery {
  int32_t doc_id = 0;
  std::string target;  // the target's name
  std::string kind;    // "XML" (the e-invoice, PDF inside) or "PDF"
  std::string file;    // where it was written (the path as this workstation saw it)
  std::string sha256;  // of the bytes written, lower-case hex
  std::string when;    // "2026-12-03 08:41:07" (read back only)
  std::string user;
};

// The deliveries of one document, oldest first.
std::vector<Delivery> deliveries_of(Company& c, int32_t doc_id);
// Every delivery recorded, in the order they were made.
std::vector<Delivery> all_deliveries(Company& c);
// Records one delivered file (its own action).
void record_delivery(Company& c, const Delivery& d);

}  // namespace invoicing::store

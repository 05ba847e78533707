// Which records of a backup are faulty: a record that does not decode (or that `xbase check`
// finds damaged), a required field left blank (a customer without a name), a link to nothing
// (a line whose document is missing, a document whose customer is missing). Links are
// followed to the end: a line of a faulty document is faulty too. A restore refuses the
// backup at the first one, or with --ignore-faulty leaves them out and lists them.
//
// Every table of the dictionary is read (each record must decode); the rules below are the
// ones the store's data has today, by field name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/dictionary.h"

namespace invoicing::backup {

struct FaultyRecord {
  std::string table;
  uint32_t recno = 0;
  std::string why;
};

struct RecordFindings {
  std::vector<FaultyRecord> faulty;              // in table order, then record order
  std::map<store::Tbl, std::set<uint32_t>> recnos;  // the same, for leaving them out
};

// `damaged`: records `xbase check` found damaged, per table.
RecordFindings find_faulty_records(const std::filesystem::path& folder,
                                   const std::map<store::Tbl, std::map<uint32_t, std::string>>& damaged);

}  // namespace invoicing::backup

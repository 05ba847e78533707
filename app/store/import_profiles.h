// Import profiles (a column mapping and reading options under a name) kept with the company's
// files (storage.h: a data folder's import-profiles/, a database's company_file), one small text
// each, so that every workstation reads the next
// file from the same old program the same way. The store keeps the text; the import library
// (import/column_mapping.h) writes and reads it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/company.h"

namespace invoicing::store {

class ImportProfiles {
 public:
  explicit ImportProfiles(Company& c) : c_(c) {}

  // A profile's text by its key (what the caller makes of the name: lower-case letters,
  // digits, '-' and '%'); nullopt when there is none.
  std::optional<std::string> load(std::string_view key) const;
  // Writes the profile whole, so that a reader sees the old text or the new, never half. Throws
  // UserError naming the file when the folder cannot take it.
  void save(std::string_view key, const std::string& text);
  // The keys of every profile, sorted.
  std::vector<std::string> keys() const;

 private:
  Company& c_;
};

}  // namespace invoicing::store

// Moving a company between its two homes: a data folder and a PostgreSQL database. Every table
// is copied whole with the documents' IDs and links as they are (SEATS and SCHEMA excepted:
// they belong to the place), and so is every company file (storage.h FileKind), the copy is compared record by record and field by field with the
// source, and only then is the source marked as moved (a program opening it is told where the
// company lives now). The source is only read: a move that fails leaves it as it was, and the
// destination as it was before (an empty database, no folder).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/storage.h"

namespace invoicing::store {

class Company;  // store/company.h

struct MigrationReport {
  std::vector<std::pair<std::string, size_t>> records;  // per table, as copied and compared
  // Final documents per series and their total including VAT ("INV 2026: 42 documents, 12345.67").
  std::vector<std::string> totals;
  size_t files = 0;  // company files (layouts, import profiles, purchase originals), compared byte for byte
};

// `invoicing migrate --data DIR --to postgresql://...`: the database must hold no company.
MigrationReport migrate_to_database(const std::filesystem::path& folder, const std::string& target,
                                    const Identity& who);
// `invoicing migrate --from postgresql://... --data DIR`: DIR must not exist or be empty.
MigrationReport migrate_to_folder(const std::string& target, const std::filesystem::path& folder,
                                  const Identity& who);

// The company (a database's, as of one moment) copied into a new data folder, compared record
// by record; the source is not marked as moved (a database's backup goes this way).
MigrationReport copy_to_folder(Company& src, const std::filesystem::path& folder);

// Where the company of a folder or database went, when it was moved away ("" when not).
inline constexpr const char* kMovedFile = "MOVED.TXT";         // in a data folder
inline constexpr const char* kMovedSetting = "moved_to";      // SETTINGS of a database
std::string moved_from_folder(const std::filesystem::path& folder);

// A database a folder's company is moving into holds the folder's path (in NOTE) under this key
// from the copy until the folder is marked as moved: a program opening the database meanwhile,
// or after a move stopped in between, is sent to the folder, and a new move of the same folder
// may empty the database again. nullopt: no move into it is unfinished.
inline constexpr const char* kMovingFromSetting = "moving_from";
std::optional<std::filesystem::path> unfinished_move_into(Storage& database);

}  // namespace invoicing::store

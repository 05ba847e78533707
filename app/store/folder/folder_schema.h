// A data folder's life outside daily work: creating one, reading its schema version,
// upgrading an older one in place, and rebuilding the indexes the dictionary declares. Each of
// these needs the folder to itself (every other program out of it), except reading the version.
#pragma once

#include "xbase/table.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace invoicing::store::folder {

// The folder's schema version; 0 when it is not a company data folder.
int schema_version(const std::filesystem::path& dir);

// What SCHEMA says of the folder: its version and the newest program that worked in it
// ("invoicing 0.3.0"; stamped at creation, at every upgrade and when a newer program opens it).
struct SchemaStamp {
  int version = 0;  // 0: not a company data folder
  std::string program;
};
SchemaStamp schema_stamp(const std::filesystem::path& dir);
// The same from SCHEMA opened already (Company::open keeps it open into the storage).
SchemaStamp schema_stamp(xbase::Table& schema);
// Writes `program` into SCHEMA (the version stays), as a newer program does when it opens the
// folder for the first time.
void stamp_program(const std::filesystem::path& dir, const std::string& program);
// A SETTINGS value read without opening the folder for work ("" when unset): for looking at a
// folder of any schema version (`invoicing version`).
std::string folder_setting(const std::filesystem::path& dir, const std::string& key);

// The first DOC ID held to the rules schema 3 brought (an invoice keeps a due date, numbers
// follow date order): the upgrade from an older schema writes it, because the documents such a
// folder already holds were issued by a program without those rules. Verify does not hold the
// older documents to them: they are issued and cannot change.
inline constexpr const char* kRulesFromDocSetting = "rules_from_doc";

struct FolderInit {
  int schema_version = 0;  // 0: the current one (older only to test upgrades)
  std::vector<std::pair<std::string, std::string>> settings;  // SETTINGS records
  std::string program;     // "invoicing 0.3.0", written to SCHEMA
  // A company moved in from elsewhere (store/migration.h): the next autoincrement ID per table
  // name, and what fills the new folder (given its temporary path) before it is put in place.
  std::map<std::string, int32_t> autoinc_next;
  std::function<void(const std::filesystem::path&)> fill;
};

// Creates the folder with every table, complete or not at all: it is built under a temporary
// name beside `dir` and renamed into place. `dir` must not exist or be empty.
void create_folder(const std::filesystem::path& dir, const FolderInit& init);

struct UpgradeReport {
  int from = 0, to = 0;
  std::filesystem::path backup;
};

// Upgrades a folder of an older schema version to the current one: every table opened once
// for exclusive use (refused while anyone works in the folder), the files copied to
// backups/schema-vN-<date>/, new tables created, tables whose fields changed rebuilt with
// their records, indexes made as the dictionary declares them, and the version written last
// (an interrupted upgrade starts again from the backup's state).
UpgradeReport upgrade_folder(const std::filesystem::path& dir, int from, const std::string& program);

// Drops and rebuilds every index the dictionary declares whose tag is missing or differs.
// Returns what was rebuilt ("DOC: NUMBER").
std::vector<std::string> rebuild_folder_indexes(const std::filesystem::path& dir);

}  // namespace invoicing::store::folder

// Names in backups: the backup file's own name (which program, schema and edition made it, for
// which company, readable at a glance and valid on every file system), and the names a backup
// archive may hold. An archive is untrusted input: a name outside the expected set, or one
// that could reach outside the folder it is unpacked into, is refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <ctime>

#include "store/licence_file.h"

namespace invoicing::backup {

// Text made safe as part of a file name on Windows, macOS, Linux and cloud folders: no
// <>:"/\|?* or control characters (each becomes a space, runs of spaces one), no leading or
// trailing dot or space, not a reserved Windows device name, at most `max_bytes` bytes (cut at
// a character boundary); "company" when nothing is left.
std::string safe_name_part(std::string_view text, size_t max_bytes = 60);

// YYYYMMDD-HHMM-<version>-s<schema>-<edition>-<company>.zip
std::string backup_file_name(const std::tm& when, std::string_view program_version, int schema,
                             std::string_view edition, std::string_view company);

// Why an archive entry name is refused ("" when it is acceptable): absolute paths, drive
// letters, backslashes, "." or ".." parts, control characters, over-long names, and any name
// outside what a backup holds (manifest.json, the dictionary's table files, LICENCE.LIC,
// logo.*, layouts/..., pdf/...).
std::string entry_name_problem(std::string_view name);

// Files of the data folder a backup takes besides the tables: LICENCE.LIC and the logo.
bool is_logo_name(std::string_view name);
inline constexpr const char* kManifestName = "manifest.json";
inline constexpr const char* kLicenceName = store::kLicenceFile;

}  // namespace invoicing::backup

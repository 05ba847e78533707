// The licence as it lives in a data folder: LICENCE.LIC (the signed file, written by
// `licence install` through Company), the unsigned LICENCE.TXT earlier versions wrote (read
// only to say that it is no longer accepted), and what SETTINGS records of the install. Every
// program working in the folder reads the same file, so they all run the same edition.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "licence/licence_check.h"

namespace invoicing::store {

inline constexpr const char* kLicenceFile = "LICENCE.LIC";
inline constexpr const char* kLegacyLicenceFile = "LICENCE.TXT";
// The SETTINGS key where `licence install` records what it installed, so that a licence file
// that disappears later is reported as missing instead of passing for "never bought".
inline constexpr const char* kLicenceSetting = "licence";

// In a database (store/postgres) the licence file's text is the NOTE of this SETTINGS record.
inline constexpr const char* kLicenceTextSetting = "licence_file";

// This program's version and release date (store/version.h).
licence::ProgramRelease this_program();

// The folder's licence files as read: LICENCE.LIC's text (nothing when it does not exist) or
// why it cannot be read, and the edition of an unsigned LICENCE.TXT, looked for only when
// there is no LICENCE.LIC (it matters only then). Reads nothing else: a company's open reads
// them beside its tables' opens (Company::open).
struct FolderLicenceFiles {
  std::optional<std::string> text;
  std::string error;
  std::string legacy_edition;
};
FolderLicenceFiles read_folder_licence(const std::filesystem::path& dir);
licence::Verdict folder_licence(const FolderLicenceFiles& files, const std::string& company_vat,
                                const std::string& installed);

// The verdict on the folder's licence, given the company's VAT number and the install record.
licence::Verdict folder_licence(const std::filesystem::path& dir, const std::string& company_vat,
                                const std::string& installed);

// The same for a company in a database: `text` is the licence it holds (nothing when none).
licence::Verdict database_licence(const std::optional<std::string>& text, const std::string& company_vat,
                                  const std::string& installed);

// Reads a licence file a user names (at most licence::kMaxLicenceBytes); UserError naming the
// file when it cannot be read.
std::string read_licence_file(const std::filesystem::path& file);

// Writes the licence into the folder: a temp file beside it, synced, then renamed over
// LICENCE.LIC, so that a workstation reading it sees the old licence or the new one.
void write_licence_file(const std::filesystem::path& dir, const std::string& text);

}  // namespace invoicing::store

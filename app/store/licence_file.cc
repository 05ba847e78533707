#include "store/licence_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "store/errors.h"
#include "store/version.h"
#include "xbase/error.h"
#include "xbase/file.h"

namespace fs = std::filesystem;

namespace invoicing::store {

namespace {

// The edition= line of an unsigned LICENCE.TXT ("" when there is none or it says Free).
std::string legacy_edition(const fs::path& dir) {
  std::ifstream in(dir / kLegacyLicenceFile);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("edition=", 0) == 0) {
      auto e = domain::edition_from_name(line.substr(8, line.find_last_not_of(" \r") - 7));
      return e && *e != domain::Edition::free ? domain::edition_name(*e) : "";
    }
  return "";
}

// The whole file, or the reason it could not be read; nothing when it does not exist. Opened
// without asking first whether it exists, and read in one call that comes back short at its
// end: on a share each question is a round trip.
std::optional<std::string> slurp(const fs::path& p, size_t limit, std::string& error) {
  try {
    auto f = xbase::FileSystem::os().open(p, xbase::OpenMode::read_only);
    std::vector<uint8_t> bytes;
    xbase::read_whole_within(*f, limit + 1, bytes);
    return std::string(bytes.begin(), bytes.end());
  } catch (const xbase::Error& e) {
    if (e.code() == xbase::Errc::not_found) return std::nullopt;
  }
  // It could not be opened or read: said in the system's own words, as a user knows them.
  std::error_code ec;
  if (fs::exists(p, ec) && !fs::is_regular_file(p, ec)) {
    error = "it is a folder, a device or a pipe, not a file";
    return std::string();
  }
  std::ifstream in(p, std::ios::binary);
  error = in ? "read error" : std::strerror(errno);
  return std::string();
}

}  // namespace

licence::ProgramRelease this_program() {
  licence::ProgramRelease p;
  p.version = INVOICING_VERSION;
  p.released = domain::parse_iso_date(INVOICING_RELEASE_DATE).value_or(domain::Date{9999, 12, 31});
  return p;
}

FolderLicenceFiles read_folder_licence(const fs::path& dir) {
  FolderLicenceFiles f;
  f.text = slurp(dir / kLicenceFile, licence::kMaxLicenceBytes, f.error);
  if (!f.text && f.error.empty()) f.legacy_edition = legacy_edition(dir);
  return f;
}

licence::Verdict folder_licence(const FolderLicenceFiles& files, const std::string& company_vat,
                                const std::string& installed) {
  licence::FolderFacts facts{company_vat, installed, files.legacy_edition};
  return licence::judge_licence(files.text, files.error, facts, this_program());
}

licence::Verdict folder_licence(const fs::path& dir, const std::string& company_vat,
                                const std::string& installed) {
  return folder_licence(read_folder_licence(dir), company_vat, installed);
}

licence::Verdict database_licence(const std::optional<std::string>& text, const std::string& company_vat,
                                  const std::string& installed) {
  licence::FolderFacts facts{company_vat, installed, ""};
  return licence::judge_licence(text, "", facts, this_program());
}

std::string read_licence_file(const fs::path& file) {
  std::string error;
  auto text = slurp(file, licence::kMaxLicenceBytes, error);
  if (!text) throw UserError(fmt::format("{} does not exist", file.string()));
  if (!error.empty()) throw UserError(fmt::format("{} cannot be read: {}", file.string(), error));
  return *text;
}

void write_licence_file(const fs::path& dir, const std::string& text) {
  const fs::path to = dir / kLicenceFile;
  try {
    xbase::write_durably(xbase::FileSystem::os(), to, text);
  } catch (const xbase::Error& e) {
    throw StorageUnavailable(fmt::format("cannot put the licence in place as {}: {}", to.string(), e.detail()));
  }
}

}  // namespace invoicing::store

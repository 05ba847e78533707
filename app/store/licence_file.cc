#include "store/licence_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

// The whole file, or the reason it could not be read; nothing when it does not exist.
std::optional<std::string> slurp(const fs::path& p, size_t limit, std::string& error) {
  std::error_code ec;
  if (!fs::exists(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::string();
  }
  std::string text(limit + 1, '\0');
  in.read(text.data(), std::streamsize(text.size()));
  if (in.bad()) {
    error = "read error";
    return std::string();
  }
  text.resize(size_t(in.gcount()));
  return text;
}

}  // namespace

licence::ProgramRelease this_program() {
  licence::ProgramRelease p;
  p.version = INVOICING_VERSION;
  p.released = domain::parse_iso_date(INVOICING_RELEASE_DATE).value_or(domain::Date{9999, 12, 31});
  return p;
}

licence::Verdict folder_licence(const fs::path& dir, const std::string& company_vat,
                                const std::string& installed) {
  std::string error;
  auto text = slurp(dir / kLicenceFile, licence::kMaxLicenceBytes, error);
  licence::FolderFacts facts{company_vat, installed, legacy_edition(dir)};
  return licence::judge_licence(text, error, facts, this_program());
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

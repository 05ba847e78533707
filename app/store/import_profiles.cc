#include "store/import_profiles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "xbase/error.h"
#include "xbase/file.h"

namespace fs = std::filesystem;

namespace invoicing::store {

namespace {

constexpr const char* kFolder = "import-profiles";
constexpr const char* kSuffix = ".profile";

// The key becomes a file name: nothing that could leave the folder or trouble Windows.
void check_key(std::string_view key) {
  bool ok = !key.empty() && key.size() <= 100;
  for (char c : key)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '%');
  if (!ok) throw std::invalid_argument(fmt::format("\"{}\" is not an import profile key", key));
}

}  // namespace

std::optional<std::string> ImportProfiles::load(std::string_view key) const {
  check_key(key);
  fs::path p = c_.dir() / kFolder / (std::string(key) + kSuffix);
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UserError(fmt::format("cannot read the import profile {}", p.string()));
  return text.str();
}

void ImportProfiles::save(std::string_view key, const std::string& text) {
  check_key(key);
  const fs::path dir = c_.dir() / kFolder;
  const fs::path target = dir / (std::string(key) + kSuffix);
  // The old profile or the new one, whole, whatever happens half-way.
  try {
    auto& fsys = xbase::FileSystem::os();
    fsys.create_directories(dir);
    xbase::write_durably(fsys, target, text);
  } catch (const xbase::Error& e) {
    throw UserError(fmt::format("cannot save the import profile {}: {}", target.string(), e.detail()));
  }
}

std::vector<std::string> ImportProfiles::keys() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(c_.dir() / kFolder, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() > std::strlen(kSuffix) && name[0] != '.' && name.ends_with(kSuffix))
      out.push_back(name.substr(0, name.size() - std::strlen(kSuffix)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace invoicing::store

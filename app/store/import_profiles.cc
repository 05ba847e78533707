#include "store/import_profiles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace invoicing::store {

namespace {

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
  return c_.storage().read_file(FileKind::import_profile, std::string(key) + kSuffix);
}

void ImportProfiles::save(std::string_view key, const std::string& text) {
  check_key(key);
  // The old profile or the new one, whole, whatever happens half-way (storage.h).
  c_.storage().write_file(FileKind::import_profile, std::string(key) + kSuffix, text);
}

std::vector<std::string> ImportProfiles::keys() const {
  std::vector<std::string> out;
  for (const auto& name : c_.storage().list_files(FileKind::import_profile))
    if (name.size() > std::strlen(kSuffix) && name.ends_with(kSuffix) && name.find('/') == std::string::npos)
      out.push_back(name.substr(0, name.size() - std::strlen(kSuffix)));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace invoicing::store

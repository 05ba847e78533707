#include "backup/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "store/dictionary.h"
#include "store/folder/folder_files.h"

namespace invoicing::backup {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool reserved_device(std::string_view part) {
  std::string base = lower(part.substr(0, part.find('.')));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  static const char* fixed[] = {"con", "prn", "aux", "nul", "conin$", "conout$"};
  for (const char* f : fixed)
    if (base == f) return true;
  return base.size() == 4 && (base.rfind("com", 0) == 0 || base.rfind("lpt", 0) == 0) &&
         ((base[3] >= '0' && base[3] <= '9'));
}

// One part of a path inside pdf/ or layouts/: a plain, portable file or folder name.
std::string part_problem(std::string_view part) {
  if (part.empty()) return "an empty name part";
  if (part == "." || part == "..") return "a \".\" or \"..\" part";
  if (part.size() > 255) return "a name part over 255 bytes";
  for (char ch : part) {
    auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7F) return "a control character";
    if (std::string_view("<>:\"|?*").find(ch) != std::string_view::npos) return fmt::format("the character {}", ch);
  }
  if (part.back() == '.' || part.back() == ' ') return "a name ending in a dot or space";
  if (reserved_device(part)) return "a reserved device name";
  return "";
}

}  // namespace

std::string safe_name_part(std::string_view text, size_t max_bytes) {
  std::string out;
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    bool bad = u < 0x20 || u == 0x7F || std::string_view("<>:\"/\\|?*").find(ch) != std::string_view::npos;
    char c = bad ? ' ' : ch;
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  auto trim = [&] {
    while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
    while (!out.empty() && (out.front() == ' ' || out.front() == '.')) out.erase(out.begin());
  };
  trim();
  if (out.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a character's start
    out.resize(cut);
    trim();
  }
  if (reserved_device(out)) out += "_";
  return out.empty() ? "company" : out;
}

std::string backup_file_name(const std::tm& when, std::string_view program_version, int schema,
                             std::string_view edition, std::string_view company) {
  return fmt::format("{:04}{:02}{:02}-{:02}{:02}-{}-s{}-{}-{}.zip", when.tm_year + 1900, when.tm_mon + 1, when.tm_mday,
                     when.tm_hour, when.tm_min, safe_name_part(program_version, 20), schema,
                     lower(safe_name_part(edition, 10)), safe_name_part(company));
}

bool is_logo_name(std::string_view name) {
  std::string l = lower(name);
  for (const char* ext : {".png", ".jpg", ".jpeg", ".svg", ".gif", ".bmp"})
    if (l == std::string("logo") + ext) return true;
  return false;
}

std::string entry_name_problem(std::string_view name) {
  if (name.empty()) return "an empty name";
  if (name.size() > 1024) return "a name over 1024 bytes";
  if (name.front() == '/') return "an absolute path";
  if (name.find('\\') != std::string_view::npos) return "a backslash";
  if (name.size() >= 2 && name[1] == ':') return "a drive letter";
  std::vector<std::string_view> parts;
  for (size_t at = 0;;) {
    size_t slash = name.find('/', at);
    parts.push_back(name.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at));
    if (slash == std::string_view::npos) break;
    at = slash + 1;
  }
  for (auto p : parts)
    if (p == "..") return "a \"..\" part";
  if (parts.size() == 1) {
    if (name == kManifestName || name == kLicenceName || is_logo_name(name)) return "";
    for (const auto& def : store::dictionary())
      for (const auto& f : store::folder::table_file_names(def))
        if (name == f) return "";
    return "a file a backup does not hold";
  }
  if (parts.front() != "pdf" && parts.front() != "layouts" && parts.front() != "purchases" &&
      parts.front() != "import-profiles")
    return "a folder a backup does not hold";
  if (parts.size() > 9) return "folders nested too deep";
  for (size_t i = 1; i < parts.size(); ++i)
    if (auto why = part_problem(parts[i]); !why.empty()) return why;
  return "";
}

}  // namespace invoicing::backup

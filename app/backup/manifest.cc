#include "backup/manifest.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "backup/names.h"
#include "store/errors.h"

using nlohmann::json;
using invoicing::store::UserError;

namespace invoicing::backup {

namespace {

[[noreturn]] void bad(const std::string& why) { throw UserError("the backup's manifest is not valid: " + why); }

const json& member(const json& j, const char* key, json::value_t type) {
  auto it = j.find(key);
  if (it == j.end()) bad(fmt::format("\"{}\" is missing", key));
  bool ok = it->type() == type ||
            (type == json::value_t::number_unsigned && it->type() == json::value_t::number_integer && it->get<int64_t>() >= 0);
  if (!ok) bad(fmt::format("\"{}\" has the wrong type", key));
  return *it;
}

std::string text(const json& j, const char* key, size_t max = 200) {
  auto s = member(j, key, json::value_t::string).get<std::string>();
  if (s.size() > max) bad(fmt::format("\"{}\" is longer than {} bytes", key, max));
  return s;
}

uint64_t number(const json& j, const char* key) { return member(j, key, json::value_t::number_unsigned).get<uint64_t>(); }

}  // namespace

const ManifestFile* Manifest::file(std::string_view name) const {
  for (const auto& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

std::string Manifest::to_json() const {
  json j;
  j["format"] = format;
  j["program_version"] = program_version;
  j["schema_version"] = schema_version;
  j["edition"] = edition;
  j["company"] = company;
  j["vat"] = vat;
  j["created_at"] = created_at;
  j["user"] = user;
  j["workstation"] = workstation;
  j["automatic"] = automatic;
  j["with_pdf"] = with_pdf;
  j["files"] = json::array();
  for (const auto& f : files) j["files"].push_back({{"name", f.name}, {"size", f.size}, {"sha256", f.sha256}});
  j["tables"] = json::object();
  for (const auto& [t, n] : tables) j["tables"][t] = n;
  return j.dump(1) + "\n";
}

Manifest parse_manifest(std::string_view text_in, uint64_t max_file_size) {
  // Deep nesting is refused while parsing (the parser itself keeps no recursion, but a
  // manifest is flat: objects in an array in an object).
  bool too_deep = false;
  json::parser_callback_t cb = [&](int depth, json::parse_event_t, json&) {
    if (depth > 4) too_deep = true;
    return !too_deep;
  };
  json j = json::parse(text_in.begin(), text_in.end(), cb, false);
  if (too_deep) bad("nested too deep");
  if (j.is_discarded() || !j.is_object()) bad("not a JSON object");
  Manifest m;
  m.format = int(number(j, "format"));
  if (m.format != kManifestFormat)
    bad(fmt::format("format {} (this program reads format {}): made by a newer program", m.format, kManifestFormat));
  m.program_version = text(j, "program_version", 40);
  compare_versions(m.program_version, m.program_version);  // refuses what is not a version
  uint64_t schema = number(j, "schema_version");
  if (schema == 0 || schema > 100000) bad("schema_version is out of range");
  m.schema_version = int(schema);
  m.edition = text(j, "edition", 20);
  m.company = text(j, "company");
  m.vat = text(j, "vat", 40);
  m.created_at = text(j, "created_at", 40);
  m.user = text(j, "user", 100);
  m.workstation = text(j, "workstation", 100);
  m.automatic = member(j, "automatic", json::value_t::boolean).get<bool>();
  m.with_pdf = member(j, "with_pdf", json::value_t::boolean).get<bool>();
  std::set<std::string> seen;
  for (const auto& f : member(j, "files", json::value_t::array)) {
    if (!f.is_object()) bad("an entry of \"files\" is not an object");
    ManifestFile mf{text(f, "name", 1024), number(f, "size"), text(f, "sha256", 64)};
    if (auto why = entry_name_problem(mf.name); !why.empty() || mf.name == kManifestName)
      bad(fmt::format("it lists the file \"{}\" ({})", mf.name, why.empty() ? "the manifest itself" : why));
    if (!seen.insert(mf.name).second) bad(fmt::format("it lists \"{}\" twice", mf.name));
    if (mf.size > max_file_size) bad(fmt::format("\"{}\" is larger than a backup file may be", mf.name));
    if (mf.sha256.size() != 64 || mf.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
      bad(fmt::format("the SHA-256 of \"{}\" is not 64 hex digits", mf.name));
    m.files.push_back(std::move(mf));
  }
  for (const auto& [k, v] : member(j, "tables", json::value_t::object).items()) {
    if (!v.is_number_unsigned()) bad(fmt::format("the record count of {} is not a number", k));
    if (k.size() > 40) bad("a table name is too long");
    m.tables[k] = v.get<uint64_t>();
  }
  return m;
}

int compare_versions(std::string_view a, std::string_view b) {
  auto parts = [](std::string_view v) {
    std::vector<uint64_t> out;
    size_t at = 0;
    while (true) {
      size_t dot = v.find('.', at);
      std::string_view p = v.substr(at, dot == std::string_view::npos ? std::string_view::npos : dot - at);
      if (p.empty() || p.size() > 9 || p.find_first_not_of("0123456789") != std::string_view::npos)
        throw UserError(fmt::format("\"{}\" is not a program version", v));
      out.push_back(std::stoull(std::string(p)));
      if (dot == std::string_view::npos) break;
      at = dot + 1;
    }
    return out;
  };
  auto pa = parts(a), pb = parts(b);
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    uint64_t x = i < pa.size() ? pa[i] : 0, y = i < pb.size() ? pb[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace invoicing::backup

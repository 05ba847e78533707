#include "backup_test_util.h"

#include <zip.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "backup/file_hash.h"

namespace fs = std::filesystem;

namespace backup_test {

RunResult run(const TempDir& d, const std::vector<std::string>& args, const std::string& env) {
  return xbase::test::run_program(INVOICING_TOOL, args, d.path(),
                                  "XDG_CONFIG_HOME=" + xbase::test::shell_quote((d / "config").string()) +
                                      (env.empty() ? "" : " " + env));
}

fs::path only_zip(const fs::path& dir) {
  fs::path found;
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".zip") {
      found = e.path();
      ++n;
    }
  if (n != 1) throw std::runtime_error("expected one backup in " + dir.string() + ", found " + std::to_string(n));
  return found;
}

std::map<std::string, std::string> folder_bytes(const fs::path& dir) {
  std::map<std::string, std::string> out;
  // Without the engine's journals and journal marker (*.xbj*): not company data, never in a
  // backup, and the marker changes whenever a process creates its journal (docs/transactions.md).
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string().find(".xbj") == std::string::npos)
      out[e.path().lexically_relative(dir).generic_string()] = xbase::test::read_file(e.path());
  return out;
}

std::vector<ZipEntry> read_zip(const fs::path& zip) {
  int err = 0;
  zip_t* za = zip_open(zip.c_str(), ZIP_RDONLY, &err);
  if (!za) throw std::runtime_error("cannot open " + zip.string());
  std::vector<ZipEntry> out;
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, zip_uint64_t(i), 0, &st);
    ZipEntry e;
    e.name = st.name;
    e.bytes.resize(st.size);
    zip_file_t* f = zip_fopen_index(za, zip_uint64_t(i), 0);
    if (st.size) zip_fread(f, e.bytes.data(), st.size);
    zip_fclose(f);
    out.push_back(std::move(e));
  }
  zip_discard(za);
  return out;
}

void write_zip(const fs::path& zip, const std::vector<ZipEntry>& entries) {
  int err = 0;
  fs::remove(zip);
  zip_t* za = zip_open(zip.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!za) throw std::runtime_error("cannot create " + zip.string());
  for (const auto& e : entries) {
    zip_source_t* s = zip_source_buffer(za, e.bytes.data(), e.bytes.size(), 0);
    zip_int64_t i = zip_file_add(za, e.name.c_str(), s, ZIP_FL_ENC_RAW);
    if (i < 0) throw std::runtime_error(std::string("cannot add ") + e.name + ": " + zip_strerror(za));
    zip_set_file_compression(za, zip_uint64_t(i), e.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    zip_file_set_external_attributes(za, zip_uint64_t(i), 0, ZIP_OPSYS_UNIX, e.unix_mode << 16);
  }
  if (zip_close(za) != 0) throw std::runtime_error("cannot write " + zip.string());
}

void fix_manifest(std::vector<ZipEntry>& entries, const std::function<void(std::string&)>& edit) {
  for (auto& e : entries) {
    if (e.name != "manifest.json") continue;
    auto j = nlohmann::json::parse(e.bytes);
    j["files"] = nlohmann::json::array();
    for (const auto& f : entries) {
      if (f.name == "manifest.json") continue;
      invoicing::backup::Sha256 h;
      h.add(f.bytes.data(), f.bytes.size());
      j["files"].push_back({{"name", f.name}, {"size", f.bytes.size()}, {"sha256", h.hex()}});
    }
    e.bytes = j.dump(1);
    if (edit) edit(e.bytes);
  }
}

}  // namespace backup_test

// A backup's manifest (manifest.json in the ZIP): which program, schema and edition made it,
// for which company, when, by whom, and per file its size and SHA-256, per table its record
// count. Written by a backup, read (as untrusted input) by a restore before anything else.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace invoicing::backup {

inline constexpr int kManifestFormat = 1;

struct ManifestFile {
  std::string name;  // as in the ZIP ("CUSTOMER.DBF", "pdf/2026/INV-0001.pdf")
  uint64_t size = 0;
  std::string sha256;  // lower-case hex
};

struct Manifest {
  int format = kManifestFormat;
  std::string program_version;  // "0.1.0"
  int schema_version = 0;
  std::string edition;          // "Pro"
  std::string company, vat;
  std::string created_at;       // local time, "2026-01-15T14:32:05+0100"
  std::string user, workstation;
  bool automatic = false;       // made by `backup --auto` (its retention may remove it)
  bool with_pdf = false;
  std::vector<ManifestFile> files;
  std::map<std::string, uint64_t> tables;  // table name -> records stored (deleted included)

  std::string to_json() const;
  const ManifestFile* file(std::string_view name) const;
};

// Parses and checks a manifest: every field present with its type, names acceptable as
// archive entries and listed once, sizes within `max_file_size`, hashes 64 hex digits.
// Throws UserError naming what is wrong.
Manifest parse_manifest(std::string_view json, uint64_t max_file_size);

// "2.3.1" compared part by part as numbers: <0, 0, >0. Throws UserError for text that is not
// a version.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace invoicing::backup

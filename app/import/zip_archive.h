// Reading the parts of a ZIP archive (an XLSX file) through libzip, decompressed as a stream
// and never trusted: a part that inflates past the size or ratio limits is stopped there
// (a ZIP bomb), whatever sizes the archive's directory claims.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "import/sheet.h"

struct zip;
struct zip_file;

namespace invoicing::import {

class ZipPart;

class ZipArchive {
 public:
  // Throws ImportError when `path` is not a readable ZIP archive; `display` names the file
  // in messages.
  ZipArchive(const std::filesystem::path& path, std::string display);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  bool has(const std::string& part) const;
  const std::string& display() const { return display_; }
  zip* handle() const { return zip_; }

 private:
  zip* zip_ = nullptr;
  std::string display_;
};

class ZipPart {
 public:
  // Throws ImportError when the part is missing or cannot be opened.
  ZipPart(const ZipArchive& archive, const std::string& part, const ReadLimits& limits);
  ~ZipPart();
  ZipPart(const ZipPart&) = delete;
  ZipPart& operator=(const ZipPart&) = delete;

  // Up to `n` decompressed bytes; 0 at the end. Throws ImportError for a corrupt part or one
  // past the limits.
  size_t read(char* buf, size_t n);
  uint64_t bytes_read() const { return read_; }
  uint64_t declared_size() const { return declared_; }
  const std::string& name() const { return name_; }

 private:
  zip_file* file_ = nullptr;
  std::string name_, display_;
  uint64_t compressed_ = 0, declared_ = 0, read_ = 0;
  ReadLimits limits_;
};

// Reads a whole (small) part into a string, within `max_bytes`.
std::string read_part(const ZipArchive& archive, const std::string& part, const ReadLimits& limits,
                      uint64_t max_bytes);

}  // namespace invoicing::import

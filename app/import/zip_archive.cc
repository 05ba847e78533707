#include "import/zip_archive.h"

#include <fmt/format.h>
#include <zip.h>

namespace invoicing::import {

ZipArchive::ZipArchive(const std::filesystem::path& path, std::string display)
    : display_(std::move(display)) {
  int err = 0;
  zip_ = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!zip_) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw ImportError(fmt::format("{}: not a readable XLSX file (ZIP archive: {})", display_, why));
  }
}

ZipArchive::~ZipArchive() {
  if (zip_) zip_discard(zip_);
}

bool ZipArchive::has(const std::string& part) const {
  return zip_name_locate(zip_, part.c_str(), ZIP_FL_NOCASE) >= 0;
}

ZipPart::ZipPart(const ZipArchive& archive, const std::string& part, const ReadLimits& limits)
    : name_(part), display_(archive.display()), limits_(limits) {
  zip_int64_t index = zip_name_locate(archive.handle(), part.c_str(), ZIP_FL_NOCASE);
  if (index < 0) {
    throw ImportError(fmt::format("{}: the part {} is missing", display_, part));
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive.handle(), index, 0, &st) != 0) {
    throw ImportError(fmt::format("{}: {}: cannot be read", display_, part));
  }
  compressed_ = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  declared_ = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
  if (declared_ > limits_.max_entry_bytes) {
    throw ImportError(fmt::format("{}: {}: {} bytes uncompressed, more than the limit of {}",
                                  display_, part, declared_, limits_.max_entry_bytes));
  }
  file_ = zip_fopen_index(archive.handle(), index, 0);
  if (!file_) {
    throw ImportError(fmt::format("{}: {}: cannot be opened ({})", display_, part,
                                  zip_strerror(archive.handle())));
  }
}

ZipPart::~ZipPart() {
  if (file_) zip_fclose(file_);
}

size_t ZipPart::read(char* buf, size_t n) {
  zip_int64_t got = zip_fread(file_, buf, n);
  if (got < 0) {
    throw ImportError(
        fmt::format("{}: {}: corrupt ({})", display_, name_, zip_file_strerror(file_)));
  }
  read_ += static_cast<uint64_t>(got);
  if (read_ > limits_.max_entry_bytes) {
    throw ImportError(fmt::format("{}: {}: inflates past the limit of {} bytes; a ZIP bomb?",
                                  display_, name_, limits_.max_entry_bytes));
  }
  // Deflate reaches about 1000:1 only on data built for it; spreadsheets stay far below.
  // Small parts are let through: their ratio says little and they cost nothing.
  if (read_ > (uint64_t{1} << 20) &&
      read_ / std::max<uint64_t>(compressed_, 1) > limits_.max_ratio) {
    throw ImportError(
        fmt::format("{}: {}: inflates more than {} times its compressed size; a ZIP bomb?",
                    display_, name_, limits_.max_ratio));
  }
  return static_cast<size_t>(got);
}

std::string read_part(const ZipArchive& archive, const std::string& part, const ReadLimits& limits,
                      uint64_t max_bytes) {
  ReadLimits l = limits;
  l.max_entry_bytes = std::min(l.max_entry_bytes, max_bytes);
  ZipPart p(archive, part, l);
  std::string out;
  char buf[1 << 16];
  while (size_t n = p.read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

}  // namespace invoicing::import

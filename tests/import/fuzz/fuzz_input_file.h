// The fuzz targets feed their bytes to the readers as a file, the way users hand files
// over: one temp file per process, rewritten for every input.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace invoicing::import::fuzz {

inline const std::filesystem::path& input_path(const char* suffix) {
  static const std::filesystem::path p = std::filesystem::temp_directory_path() /
                                         ("import-fuzz-" + std::to_string(::getpid()) + suffix);
  return p;
}

inline void write_input(const std::filesystem::path& p, const uint8_t* data, size_t size) {
  std::FILE* f = std::fopen(p.c_str(), "wb");
  if (!f) __builtin_trap();
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
}

}  // namespace invoicing::import::fuzz

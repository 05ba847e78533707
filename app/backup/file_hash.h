// SHA-256 of files and buffers (libsodium's crypto_hash_sha256), as lower-case hex: what a
// backup's manifest records per file and a restore checks before it uses one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace invoicing::backup {

class Sha256 {
 public:
  Sha256();
  void add(const void* data, size_t n);
  std::string hex();  // ends it

 private:
  alignas(64) unsigned char state_[512];
};

std::string sha256_of_file(const std::filesystem::path& p);

}  // namespace invoicing::backup

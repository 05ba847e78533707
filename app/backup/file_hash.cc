#include "backup/file_hash.h"

#include <sodium.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace invoicing::backup {

static_assert(sizeof(crypto_hash_sha256_state) <= 512);

namespace {
crypto_hash_sha256_state* state(unsigned char* s) { return reinterpret_cast<crypto_hash_sha256_state*>(s); }
}  // namespace

Sha256::Sha256() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  crypto_hash_sha256_init(state(state_));
}

void Sha256::add(const void* data, size_t n) {
  crypto_hash_sha256_update(state(state_), static_cast<const unsigned char*>(data), n);
}

std::string Sha256::hex() {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(state(state_), out);
  char text[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(text, sizeof text, out, sizeof out);
  return text;
}

std::string sha256_of_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  Sha256 h;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    h.add(buf.data(), size_t(in.gcount()));
  }
  return h.hex();
}

}  // namespace invoicing::backup

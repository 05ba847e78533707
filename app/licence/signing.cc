#include "licence/signing.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cstring>

namespace invoicing::licence {

namespace {

constexpr std::string_view kPublicTag = "invoicing-licence-public-key ed25519 ";
constexpr std::string_view kSecretTag = "invoicing-licence-secret-key ed25519 ";

static_assert(crypto_sign_PUBLICKEYBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64 &&
              crypto_sign_BYTES == 64);

void ensure_sodium() {
  static const int ok = sodium_init();  // 0 the first time, 1 later; -1 when unusable
  if (ok < 0) throw std::runtime_error("libsodium could not be initialised");
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The base64 of one key line: the text after the tag, without the line end.
std::string_view key_payload(std::string_view text, std::string_view tag, const char* what) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.substr(0, tag.size()) != tag)
    throw LicenceError(fmt::format("not {} (it must be one line starting \"{}\")", what,
                                   tag.substr(0, tag.size() - 1)));
  return text.substr(tag.size());
}

}  // namespace

std::string PublicKey::id() const {
  std::string out;
  for (size_t i = 0; i < 8; ++i) out += fmt::format("{:02x}", bytes[i]);
  return out;
}

PublicKey SecretKey::public_key() const {
  PublicKey p;
  std::memcpy(p.bytes.data(), bytes.data() + 32, 32);
  return p;
}

KeyPair generate_key_pair() {
  ensure_sodium();
  KeyPair k;
  if (crypto_sign_keypair(k.public_key.bytes.data(), k.secret_key.bytes.data()) != 0)
    throw std::runtime_error("libsodium could not make a key pair");
  return k;
}

std::string sign(std::string_view message, const SecretKey& key) {
  ensure_sodium();
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr, bytes_of(message),
                       message.size(), key.bytes.data());
  return sig;
}

bool verify(std::string_view message, std::string_view signature, const PublicKey& key) {
  ensure_sodium();
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(bytes_of(signature), bytes_of(message), message.size(),
                                     key.bytes.data()) == 0;
}

std::string to_base64(std::string_view bytes) {
  ensure_sodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes_of(bytes), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  ensure_sodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  if (to_base64(out) != text) return std::nullopt;  // unused bits set, or another spelling
  return out;
}

std::string public_key_text(const PublicKey& key) {
  return std::string(kPublicTag) +
         to_base64(
             std::string_view(reinterpret_cast<const char*>(key.bytes.data()), key.bytes.size())) +
         "\n";
}

std::string secret_key_text(const SecretKey& key) {
  return std::string(kSecretTag) +
         to_base64(
             std::string_view(reinterpret_cast<const char*>(key.bytes.data()), key.bytes.size())) +
         "\n";
}

PublicKey parse_public_key(std::string_view text) {
  auto raw = from_base64(key_payload(text, kPublicTag, "a licence public key"));
  if (!raw || raw->size() != 32)
    throw LicenceError("the public key is damaged (its base64 is not 32 bytes)");
  PublicKey k;
  std::memcpy(k.bytes.data(), raw->data(), 32);
  return k;
}

SecretKey parse_secret_key(std::string_view text) {
  auto raw = from_base64(key_payload(text, kSecretTag, "a licence secret key"));
  if (!raw || raw->size() != 64)
    throw LicenceError("the secret key is damaged (its base64 is not 64 bytes)");
  SecretKey k;
  std::memcpy(k.bytes.data(), raw->data(), 64);
  sodium_memzero(raw->data(), raw->size());
  // The public half is stored beside the seed: a key whose halves disagree would sign
  // licences nobody accepts.
  ensure_sodium();
  unsigned char seed[32], pk[32], sk[64];
  crypto_sign_ed25519_sk_to_seed(seed, k.bytes.data());
  crypto_sign_seed_keypair(pk, sk, seed);
  const bool same = std::memcmp(pk, k.bytes.data() + 32, 32) == 0;
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(sk, sizeof sk);
  if (!same)
    throw LicenceError("the secret key is damaged (its public half does not belong to it)");
  return k;
}

}  // namespace invoicing::licence

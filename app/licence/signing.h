// Ed25519 keys and signatures for licences, through libsodium (Debian's libsodium-dev): the
// vendor signs with its secret key (tools/licence-issuer), the program checks with the public
// keys it embeds (trusted_keys.h). Keys travel as one line of text so that they can be kept
// in files, committed (public ones) and passed on the command line.
#pragma once

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace invoicing::licence {

// A licence or key file that cannot be read; the message says what is wrong with it.
struct LicenceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PublicKey {
  std::array<unsigned char, 32> bytes{};
  // The first 8 bytes in hex: what a licence names to say which key signed it.
  std::string id() const;
  friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

// libsodium's form: the 32-byte seed followed by the public key.
struct SecretKey {
  std::array<unsigned char, 64> bytes{};
  PublicKey public_key() const;
};

struct KeyPair {
  PublicKey public_key;
  SecretKey secret_key;
};

KeyPair generate_key_pair();
// The 64-byte detached signature of `message`.
std::string sign(std::string_view message, const SecretKey& key);
bool verify(std::string_view message, std::string_view signature, const PublicKey& key);

// Key files: one line, "invoicing-licence-public-key ed25519 BASE64" (and -secret-key).
std::string public_key_text(const PublicKey& key);
std::string secret_key_text(const SecretKey& key);
PublicKey parse_public_key(std::string_view text);  // LicenceError when it is not one
SecretKey parse_secret_key(std::string_view text);  // LicenceError; checks its public half

// Standard base64 with padding. Decoding accepts only the canonical spelling (the one
// encoding gives back), so that no two texts stand for the same bytes.
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);

}  // namespace invoicing::licence

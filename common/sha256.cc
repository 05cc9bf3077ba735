// OpenSSL 3 deprecates the SHA256_* functions for its EVP interface, which in a static binary
// brings the whole provider machinery (4 MB, and dlopen) for one digest; these stay supported.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "common/sha256.h"

namespace macula {

Sha256::Sha256() { SHA256_Init(&ctx_); }

void Sha256::update(std::span<const std::byte> data) { SHA256_Update(&ctx_, data.data(), data.size()); }

std::string Sha256::hex() {
  std::array<unsigned char, 32> digest{};
  SHA256_Final(digest.data(), &ctx_);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace macula

#include "common/sha256.h"

namespace macula {

Sha256::Sha256() {
  mbedtls_sha256_init(&ctx_);
  mbedtls_sha256_starts_ret(&ctx_, 0);
}

Sha256::~Sha256() { mbedtls_sha256_free(&ctx_); }

void Sha256::update(std::span<const std::byte> data) {
  mbedtls_sha256_update_ret(&ctx_, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::string Sha256::hex() {
  std::array<unsigned char, 32> digest{};
  mbedtls_sha256_finish_ret(&ctx_, digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace macula

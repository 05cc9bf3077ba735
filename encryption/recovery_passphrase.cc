#include "encryption/recovery_passphrase.h"

#include <sodium.h>

namespace macula {

namespace {

constexpr std::string_view kModhex = "cbdefghijklnrtuv";

}  // namespace

std::string recovery_passphrase(const std::array<std::uint8_t, kRecoveryBytes>& bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 2 == 0) out += '-';
    out += kModhex[bytes[i] >> 4];
    out += kModhex[bytes[i] & 0x0f];
  }
  return out;
}

std::string new_recovery_passphrase() {
  std::array<std::uint8_t, kRecoveryBytes> bytes{};
  ::randombytes_buf(bytes.data(), bytes.size());
  std::string passphrase = recovery_passphrase(bytes);
  ::sodium_memzero(bytes.data(), bytes.size());
  return passphrase;
}

bool is_recovery_passphrase(std::string_view text) {
  if (text.size() != kRecoveryBytes * 2 + kRecoveryBytes / 2 - 1) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_here = i % 5 == 4;
    if (dash_here ? text[i] != '-' : kModhex.find(text[i]) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace macula

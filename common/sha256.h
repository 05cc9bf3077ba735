// Streaming SHA-256, for verifying what is downloaded and what lands on disk. OpenSSL's
// libcrypto hashes (it uses the CPU's SHA extensions or vector units where it finds them:
// about seven times mbedTLS's portable code on this repository's machine, whose hashing
// bounded `fetch --sha256` at a third of curl's throughput); TLS stays on mbedTLS.
#pragma once

#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>

namespace macula {

class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::span<const std::byte> data);
  std::string hex();  // finishes: call once

 private:
  SHA256_CTX ctx_;
};

}  // namespace macula

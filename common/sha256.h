// Streaming SHA-256 (mbedTLS), for verifying what lands on disk.
#pragma once

#include <mbedtls/sha256.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>

namespace macula {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::span<const std::byte> data);
  std::string hex();  // finishes: call once

 private:
  mbedtls_sha256_context ctx_;
};

}  // namespace macula

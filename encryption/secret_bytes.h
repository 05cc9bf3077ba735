// Bytes that hold key material (a sealed or unsealed key, a salt, a session key, a CFB key):
// wiped from memory when they go, so no freed buffer keeps a copy. Move-only: a copy would be
// one more place to wipe.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace macula {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : bytes_(size) {}
  explicit SecretBytes(std::span<const std::uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}
  // Takes the buffer itself: the moved-from vector is left empty, with no copy behind.
  explicit SecretBytes(std::vector<std::uint8_t>&& bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    wipe();
    bytes_ = std::move(other.bytes_);
    return *this;
  }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { wipe(); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::span<std::uint8_t> span() { return bytes_; }
  std::span<const std::uint8_t> span() const { return bytes_; }
  operator std::span<const std::uint8_t>() const { return bytes_; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  void wipe() { ::sodium_memzero(bytes_.data(), bytes_.size()); }
  std::vector<std::uint8_t> bytes_;
};

}  // namespace macula

// Release signatures: ECDSA P-256 over the SHA-256 of the signed bytes, DER-encoded (what
// `openssl dgst -sha256 -sign` makes). mbedTLS 2.28 has no Ed25519.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "names/names.h"

namespace macula {


// The public keys (PEM, *.pem) of a directory, read once.
class TrustedKeys {
 public:
  // Fails when the directory holds no *.pem; keys that do not parse are named in a failure.
  static Result<TrustedKeys> load(const std::string& dir);
  TrustedKeys(TrustedKeys&&) noexcept;
  ~TrustedKeys();
  // The name of the key file whose key verifies `signature` over `data`.
  Result<std::string> verify(std::string_view data, std::string_view signature) const;

 private:
  TrustedKeys() = default;
  struct Key;
  std::vector<std::unique_ptr<Key>> keys_;
  std::string dir_;
  size_t files_ = 0;
  std::string unusable_;  // "; why" for each file that is not a usable key
};

// Verifies `signature` over `data` with the public keys (PEM, *.pem) in keys_dir; succeeds
// with the name of the key file that verified it. Fails when no key does, or there are none.
Result<std::string> verify_signature(std::string_view data, std::string_view signature,
                                     const std::string& keys_dir);

}  // namespace macula

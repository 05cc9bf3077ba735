// Release signatures: ECDSA P-256 over the SHA-256 of the signed bytes, DER-encoded (what
// `openssl dgst -sha256 -sign` makes). mbedTLS 2.28 has no Ed25519.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

inline constexpr const char* kReleaseKeysDir = "/etc/maculaos/keys";

// Verifies `signature` over `data` with the public keys (PEM, *.pem) in keys_dir; succeeds
// with the name of the key file that verified it. Fails when no key does, or there are none.
Result<std::string> verify_signature(std::string_view data, std::string_view signature,
                                     const std::string& keys_dir);

}  // namespace macula

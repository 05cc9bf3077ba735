// TEST FIXTURE: a stand-in for the Portal's signing key (its answers are signed by it), for the
// unit tests and the fuzz harness of pairing/portal_protocol. Not built into the product.
#pragma once

#include <sodium.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "pairing/portal_protocol.h"

namespace macula {

struct PortalTestKey {
  Ed25519PublicKey public_key{};
  unsigned char secret[crypto_sign_SECRETKEYBYTES]{};

  // From `seed`: the same key on every run (a fuzzer's inputs then mean the same each run).
  explicit PortalTestKey(unsigned char seed) {
    if (sodium_init() < 0) std::abort();
    unsigned char seed_bytes[crypto_sign_SEEDBYTES] = {seed};
    crypto_sign_seed_keypair(public_key.data(), secret, seed_bytes);
  }

  // base64 of the Ed25519 signature of body, as the Portal's X-Macula-Signature carries it.
  std::string sign(std::string_view body) const {
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(body.data()), body.size(), secret);
    char text[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    return sodium_bin2base64(text, sizeof text, signature, sizeof signature, sodium_base64_VARIANT_ORIGINAL);
  }
};

// A pair request as a node sends it: what the fixture Portal's answers answer.
inline const PairRequest kSent{"WXYZ7788", "macula-3456", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBKk node",
                               "Y2hhbGxlbmdlIG9mIDMyIGJ5dGVzIGZyb20gdGhlIFBvcnRhbA=="};

}  // namespace macula

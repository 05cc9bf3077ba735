// What the Portal answers (or whatever answers in its place): the input is the body of an
// answer, read as a challenge, as a refusal, and as the answer to the pair request, once with
// the signature of the test's Portal key over it (so the checks past the signature are reached)
// and once with the input itself as the signature. Nothing crashes, and an answer taken is one
// to the request sent, with a token.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pairing/portal_protocol.h"

namespace {

using namespace macula;

// The test's Portal key, from a fixed seed: the same on every run.
struct FuzzPortalKey {
  Ed25519PublicKey public_key{};
  unsigned char secret[crypto_sign_SECRETKEYBYTES]{};
  FuzzPortalKey() {
    if (sodium_init() < 0) std::abort();
    unsigned char seed[crypto_sign_SEEDBYTES] = {7};
    crypto_sign_seed_keypair(public_key.data(), secret, seed);
  }
  std::string sign(std::string_view body) const {
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(body.data()), body.size(), secret);
    char text[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    return sodium_bin2base64(text, sizeof text, signature, sizeof signature, sodium_base64_VARIANT_ORIGINAL);
  }
};

const PairRequest kSent{"WXYZ7788", "macula-3456", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBKk node",
                        "Y2hhbGxlbmdlIG9mIDMyIGJ5dGVzIGZyb20gdGhlIFBvcnRhbA=="};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const FuzzPortalKey key;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)parse_challenge(body);
  (void)portal_refusal(403, body);
  (void)parse_pair_answer(body, body, key.public_key, kSent);
  if (auto answer = parse_pair_answer(body, key.sign(body), key.public_key, kSent)) {
    if (answer->refresh_token.empty() || answer->organisation_id.empty()) std::abort();
  }
  return 0;
}

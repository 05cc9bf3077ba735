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
#include "pairing/portal_test_key.h"

using namespace macula;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const PortalTestKey key{7};
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)parse_challenge(body);
  (void)portal_refusal(403, body);
  (void)parse_pair_answer(body, body, key.public_key, kSent);
  if (auto answer = parse_pair_answer(body, key.sign(body), key.public_key, kSent)) {
    if (answer->refresh_token.empty() || answer->organisation_id.empty()) std::abort();
  }
  return 0;
}

// Our side of the Portal's pairing API (docs/pairing-api.md), pure: the requests' bodies, what
// the node signs, and the checks an answer passes before anything of it is stored.
//
//   POST {portal}/api/console/pair/challenge  {"pairing_code", "public_key"} -> 200 {"challenge"}
//   POST {portal}/api/console/pair            {"pairing_code", "hostname", "public_key",
//                                              "challenge", "signature"}
//     -> 200 {"challenge", "public_key", "refresh_token", "user", "organisation",
//             "certificates", "gitops"}, signed: X-Macula-Signature
//   errors: 4xx {"error": "why"} (not retried), 5xx and no answer (retried)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "identity/node_identity.h"
#include "setup/setup_plan.h"

namespace macula {

inline constexpr const char* kPairChallengePath = "/api/console/pair/challenge";
inline constexpr const char* kPairPath = "/api/console/pair";
// The Portal's Ed25519 signature of the answer's body, base64.
inline constexpr const char* kPortalSignatureHeader = "X-Macula-Signature";

struct PairRequest {
  std::string pairing_code;  // normalized (pairing_code.h)
  std::string hostname;
  std::string public_key;    // the node identity's OpenSSH line
  std::string challenge;     // as the Portal sent it (base64)
};

struct PortalCertificate {
  std::string name;  // stored as NAME.pem
  std::string pem;
};

struct PairAnswer {
  std::string refresh_token;
  std::string user_id, user_name;
  std::string organisation_id, organisation_name;
  std::vector<PortalCertificate> certificates;
  std::optional<GitopsSource> gitops;
};

// The challenge is asked for by the node key: the Portal binds the code and the challenge to it
// and shows its user the key's fingerprint, to compare with the one on the node's screen (a
// copy of the page elsewhere that harvested the code asks with another key).
std::string challenge_request_body(std::string_view pairing_code, std::string_view public_key);
// The challenge of a 200 answer: base64 of 32 to 128 bytes.
Result<std::string> parse_challenge(std::string_view body);

// What the node signs: "macula-pair-v1", the challenge, the pairing code, the hostname and the
// public key, a line each: the signature covers every field the Portal acts on.
std::string pair_signed_text(const PairRequest& request);
std::string pair_request_body(const PairRequest& request, const Ed25519Signature& signature);

// maculaos.portal.signing_key: base64 of the Portal's 32-byte Ed25519 public key.
Result<Ed25519PublicKey> parse_signing_key(std::string_view base64);

// The answer to sent, once its signature is the Portal's, it answers this request (the same
// challenge and public key) and every field has its shape; else why not, and nothing of it is
// to be kept.
Result<PairAnswer> parse_pair_answer(std::string_view body, std::string_view signature, const Ed25519PublicKey& portal_key,
                                     const PairRequest& sent);

// The Portal's own words for a refusal ({"error": "..."}), else its HTTP status.
std::string portal_refusal(long status, std::string_view body);

}  // namespace macula

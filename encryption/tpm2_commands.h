// The few TPM 2.0 commands that seal the state's key to this machine's TPM and unseal it at
// boot (TPM 2.0 Library, Part 3), marshalled by hand: CreatePrimary (the storage root key,
// from the standard template: the same key each time from the owner seed), Create (a sealed
// data object under it), Load, Unseal, FlushContext, and the sessions: a trial policy session
// for a PCR policy's digest, and the salted sessions of tpm2_session.h that authorize Create and
// Unseal. Pure: bytes in, bytes out; tpm2_seal.h sends them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "encryption/secret_bytes.h"

namespace macula::tpm2 {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint32_t kOwnerHierarchy = 0x40000001;  // TPM_RH_OWNER
inline constexpr std::uint32_t kPasswordSession = 0x40000009;  // TPM_RS_PW, with an empty password

enum CommandCode : std::uint32_t {
  kCreatePrimary = 0x131, kCreate = 0x153, kLoad = 0x157, kUnseal = 0x15E, kFlushContext = 0x165,
  kStartAuthSession = 0x176, kPolicyPcr = 0x17F, kPolicyGetDigest = 0x189,
};
enum class SessionType : std::uint8_t { hmac = 0x00, policy = 0x01, trial = 0x03 };

// A point on NIST P-256: 32-byte big-endian coordinates.
struct EccPoint {
  Bytes x, y;
};

// One authorization of a command: the password session with an empty password, or a session
// with its nonce, attributes and HMAC.
struct Authorization {
  std::uint32_t session = kPasswordSession;
  Bytes nonce;
  std::uint8_t attributes = 0;
  Bytes hmac;
};

// A command with one authorization: header, handles, the authorization area, parameters.
Bytes authorized(CommandCode code, std::span<const std::uint32_t> handles, const Authorization& authorization,
                 std::span<const std::uint8_t> parameters);

// The storage root key: ECC NIST P-256, restricted decryption, AES-128-CFB (the TCG's
// "Provisioning Guidance" SRK template).
Bytes create_primary();
// The point of a storage root key's public area (CreatePrimary's outPublic). Fails for a public
// area that is not of the template create_primary() asks for.
Result<EccPoint> srk_point(std::span<const std::uint8_t> public_area);
// A loaded object's Name: nameAlg (SHA-256) and the hash of its public area.
Bytes object_name(std::span<const std::uint8_t> public_area);
// Create's parameters for a sealed data object holding `secret`: with an empty policy it
// unseals with its (empty) authValue, else only through a policy session that satisfies `policy`.
// The first parameter, inSensitive, holds the secret: a session with `decrypt` encrypts it.
SecretBytes create_parameters(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> policy);
Bytes load(std::uint32_t parent, std::span<const std::uint8_t> private_area, std::span<const std::uint8_t> public_area);
Bytes flush_context(std::uint32_t handle);
// A trial policy session (only to compute a policy's digest), unsalted and unbound.
Bytes start_trial_session(std::span<const std::uint8_t> nonce);
// A session salted to the loaded key `tpm_key` (encrypted_salt: the caller's ephemeral ECDH
// point), unbound, with AES-128-CFB parameter encryption and SHA-256.
Bytes start_salted_session(SessionType type, std::uint32_t tpm_key, std::span<const std::uint8_t> nonce,
                           const EccPoint& encrypted_salt);
// PolicyPCR over the SHA-256 bank's `pcrs` as they are now.
Bytes policy_pcr(std::uint32_t session, std::span<const int> pcrs);
Bytes policy_get_digest(std::uint32_t session);

// A response, read in order. Every read fails on a short response rather than reading past it.
class Response {
 public:
  // Checks the header: the size it claims, and a success code (an error names `command` and
  // the TPM's response code).
  static Result<Response> parse(const Bytes& bytes, const std::string& command);
  Response(Response&&) = default;
  ~Response() { ::sodium_memzero(bytes_.data(), bytes_.size()); }  // it may hold an unsealed key
  Result<std::uint8_t> u8();
  Result<std::uint32_t> u32();
  Result<Bytes> raw(std::size_t n);
  Result<Bytes> sized();  // a TPM2B: 16-bit size, then the bytes
  // What follows the handles of a command sent with sessions: the parameter area's size.
  Result<void> skip_parameter_size();
  bool at_end() const { return at_ == bytes_.size(); }

 private:
  Response(Bytes bytes, std::string command) : bytes_(std::move(bytes)), command_(std::move(command)) {}
  Result<void> need(std::size_t n);
  Bytes bytes_;
  std::string command_;
  std::size_t at_ = 10;  // after the header
};

}  // namespace macula::tpm2

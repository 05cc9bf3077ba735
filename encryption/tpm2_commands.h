// The few TPM 2.0 commands that seal the state's key to this machine's TPM and unseal it at
// boot (TPM 2.0 Library, Part 3), marshalled by hand: CreatePrimary (the storage root key,
// from the standard template: the same key each time from the owner seed), Create (a sealed
// data object under it), Load, Unseal, FlushContext, and a policy session for PCR binding.
// Pure: bytes in, bytes out; tpm2_seal.h sends them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace macula::tpm2 {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint32_t kOwnerHierarchy = 0x40000001;  // TPM_RH_OWNER
inline constexpr std::uint32_t kPasswordSession = 0x40000009;  // TPM_RS_PW, with an empty password

// The storage root key: ECC NIST P-256, restricted decryption, AES-128-CFB (the TCG's
// "Provisioning Guidance" SRK template).
Bytes create_primary();
// A sealed data object holding `secret`; with an empty policy it unseals with the password
// session, else only through a policy session that satisfies `policy`.
Bytes create_sealed(std::uint32_t parent, std::span<const std::uint8_t> secret, std::span<const std::uint8_t> policy);
Bytes load(std::uint32_t parent, std::span<const std::uint8_t> private_area, std::span<const std::uint8_t> public_area);
Bytes unseal(std::uint32_t item, std::uint32_t session);
Bytes flush_context(std::uint32_t handle);
// A policy session (trial: only to compute a policy's digest), unsalted and unbound.
Bytes start_policy_session(bool trial, std::span<const std::uint8_t> nonce);
// PolicyPCR over the SHA-256 bank's `pcrs` as they are now.
Bytes policy_pcr(std::uint32_t session, std::span<const int> pcrs);
Bytes policy_get_digest(std::uint32_t session);

// A response, read in order. Every read fails on a short response rather than reading past it.
class Response {
 public:
  // Checks the header: the size it claims, and a success code (an error names `command` and
  // the TPM's response code).
  static Result<Response> parse(const Bytes& bytes, const std::string& command);
  Result<std::uint32_t> u32();
  Result<Bytes> sized();  // a TPM2B: 16-bit size, then the bytes
  // What follows the handles of a command sent with sessions: the parameter area's size.
  Result<void> skip_parameter_size();

 private:
  Response(Bytes bytes, std::string command) : bytes_(std::move(bytes)), command_(std::move(command)) {}
  Result<void> need(std::size_t n);
  Bytes bytes_;
  std::string command_;
  std::size_t at_ = 10;  // after the header
};

}  // namespace macula::tpm2

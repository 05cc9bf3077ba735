// A salted TPM 2.0 session (TPM 2.0 Library Part 1, §19.6 and §21), as systemd-cryptenroll
// uses: the salt goes to the TPM encrypted to its storage root key (ECDH on P-256, KDFe), so the
// session key is known to this process and that TPM alone; every command and response carries
// an HMAC under it, and the parameter that holds a secret crosses the bus AES-128-CFB encrypted.
// A device on the bus sees neither the key going in (Create) nor coming out (Unseal), and cannot
// answer in the TPM's place. Pure (mbedTLS); tpm2_seal.h sends the commands.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "encryption/secret_bytes.h"
#include "encryption/tpm2_commands.h"

namespace macula::tpm2 {

Bytes sha256(std::span<const std::uint8_t> data);
Bytes hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);
// KDFa (Part 1 §11.4.10.2) with SHA-256: HMAC in counter mode over label (with its NUL),
// contextU, contextV and the number of bits.
SecretBytes kdfa(std::span<const std::uint8_t> key, std::string_view label, std::span<const std::uint8_t> context_u,
                 std::span<const std::uint8_t> context_v, std::size_t bits);
// KDFe (Part 1 §11.4.10.3) with SHA-256: hash in counter mode over Z, label (with its NUL),
// partyUInfo and partyVInfo.
SecretBytes kdfe(std::span<const std::uint8_t> z, std::string_view label, std::span<const std::uint8_t> party_u,
                 std::span<const std::uint8_t> party_v, std::size_t bits);
// AES-128-CFB over `data` in place; key_iv is the 16-byte key, then the 16-byte IV.
void aes128_cfb(std::span<const std::uint8_t> key_iv, std::span<std::uint8_t> data, bool encrypt);
// The x coordinate of private_key × point on P-256 (ECDH's Z). Fails for a point off the curve.
Result<SecretBytes> ecdh_x(std::span<const std::uint8_t> private_key, const EccPoint& point);

// A salt for a session with the TPM whose storage root key is `srk`: the salt, and the
// ephemeral point that the TPM derives it from (StartAuthSession's encryptedSalt).
struct Salt {
  SecretBytes value;
  EccPoint encrypted;
};
Result<Salt> salt_for(const EccPoint& srk);

// An open salted session, unbound, whose entities have an empty authValue: the HMAC key and
// the sessionValue are the session key. Keeps the nonces current from one command to the next.
class Session {
 public:
  static constexpr std::uint8_t kContinueSession = 0x01, kDecrypt = 0x20, kEncrypt = 0x40;

  // From StartAuthSession: the session's handle, the salt, and the nonces it was opened with.
  Session(std::uint32_t handle, const SecretBytes& salt, Bytes nonce_caller, Bytes nonce_tpm);
  std::uint32_t handle() const { return handle_; }

  // A command that this session authorizes. `names`: the Names of its handles (for cpHash).
  // With kDecrypt, the first parameter (a TPM2B) is sent encrypted.
  Result<Bytes> command(CommandCode code, std::span<const std::uint32_t> handles, std::span<const Bytes> names,
                        SecretBytes parameters, std::uint8_t attributes);
  // The response to that command, once its HMAC shows it came from the TPM the session is
  // salted to; with kEncrypt, with its first parameter decrypted. For commands whose response
  // has no handles (Create, Unseal).
  Result<SecretBytes> response(const Bytes& bytes, CommandCode code, const std::string& name);

 private:
  // key || IV for the parameter encrypted by `newer`'s side (Part 1 §21.3).
  SecretBytes cfb_key(std::span<const std::uint8_t> newer, std::span<const std::uint8_t> older) const;
  Bytes auth_hmac(std::span<const std::uint8_t> p_hash, std::span<const std::uint8_t> newer,
                  std::span<const std::uint8_t> older, std::uint8_t attributes) const;

  std::uint32_t handle_;
  SecretBytes key_;
  Bytes nonce_caller_, nonce_tpm_;
  std::uint8_t attributes_ = 0;  // of the last command
};

// Encrypts or decrypts, in place, the data of the first TPM2B in `parameters` (its size stays clear).
Result<void> crypt_first_parameter(std::span<std::uint8_t> parameters, std::span<const std::uint8_t> key_iv,
                                   bool encrypt);

}  // namespace macula::tpm2

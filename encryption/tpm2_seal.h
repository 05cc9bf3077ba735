// Sealing the encrypted state's key to this machine's TPM 2.0, and unsealing it at boot: the
// sequence of tpm2_commands.h's commands, through a TpmTransport (sys/tpm_device.h is the
// real one). The key goes in (Create) and comes out (Unseal) in a session salted to the TPM's
// storage root key (tpm2_session.h): it never crosses the TPM's bus in the clear.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "encryption/secret_bytes.h"
#include "encryption/tpm2_commands.h"
#include "encryption/tpm_token.h"

namespace macula {

// Sends a command, returns the response.
class TpmTransport {
 public:
  virtual ~TpmTransport() = default;
  virtual Result<tpm2::Bytes> transmit(const tpm2::Bytes& command) = 0;
};

// Seals `secret` (at most 128 bytes) under the storage root key, bound to the PCRs' values now,
// and records that key's public area.
Result<SealedSecret> seal(TpmTransport& tpm, std::span<const std::uint8_t> secret, const std::vector<int>& pcrs);
// Fails when this is not the TPM that sealed it (its storage root key is not the recorded one),
// a bound PCR has changed, or an answer did not come from that TPM.
Result<SecretBytes> unseal(TpmTransport& tpm, const SealedSecret& sealed);

}  // namespace macula

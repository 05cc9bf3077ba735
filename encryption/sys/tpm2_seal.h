// Sealing the encrypted state's key to this machine's TPM 2.0, and unsealing it at boot,
// through /dev/tpmrm0 (the kernel's resource manager: no daemon, nothing but the commands of
// tpm2_commands.h). Our own few commands rather than tpm2-tss: docs/user-guide.md, "Encrypted state".
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "encryption/tpm2_commands.h"
#include "encryption/tpm_token.h"

namespace macula {

inline constexpr const char* kTpmDevice = "/dev/tpmrm0";

// Sends a command, returns the response.
class TpmTransport {
 public:
  virtual ~TpmTransport() = default;
  virtual Result<tpm2::Bytes> transmit(const tpm2::Bytes& command) = 0;
};

// The TPM at kTpmDevice. Fails, naming it, when the machine has none.
Result<std::unique_ptr<TpmTransport>> open_tpm();

// Seals `secret` (at most 128 bytes) under the storage root key, bound to the PCRs' values now.
Result<SealedSecret> seal(TpmTransport& tpm, std::span<const std::uint8_t> secret, const std::vector<int>& pcrs);
// Fails when this is not the TPM that sealed it, or a bound PCR has changed.
Result<tpm2::Bytes> unseal(TpmTransport& tpm, const SealedSecret& sealed);

}  // namespace macula

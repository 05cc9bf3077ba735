// The state's TPM keyslot: made at install when the machine has a TPM 2.0, used by init to open
// the state with no one at the console.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "encryption/sys/luks_volume.h"
#include "encryption/sys/tpm_device.h"

namespace macula {

// A random 256-bit key, sealed to the TPM (bound to `pcrs`, if any), in a new keyslot that
// `passphrase` authorises, and the token that records it.
Result<void> enroll_tpm(LuksVolume& volume, std::string_view passphrase, TpmTransport& tpm, const std::vector<int>& pcrs);

// Opens the volume as /dev/mapper/NAME with the key its TPM token unseals. Fails, saying why,
// when there is no token, or this TPM cannot unseal it (another machine, a PCR changed).
Result<void> open_with_tpm(LuksVolume& volume, const std::string& name, TpmTransport& tpm);

}  // namespace macula

// This machine's TPM 2.0 through /dev/tpmrm0 (the kernel's resource manager: no daemon, nothing
// but the commands of tpm2_commands.h). Our own few commands rather than tpm2-tss:
// docs/user-guide.md, "Encrypted state".
#pragma once

#include <memory>

#include "common/result.h"
#include "encryption/tpm2_seal.h"

namespace macula {

inline constexpr const char* kTpmDevice = "/dev/tpmrm0";

// The TPM at kTpmDevice. Fails, naming it, when the machine has none.
Result<std::unique_ptr<TpmTransport>> open_tpm();

}  // namespace macula

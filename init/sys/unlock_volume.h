// Opening a LUKS2 volume at boot (the encrypted state, an encrypted persistence): with the key
// the TPM unseals when the volume has a TPM keyslot, else with a passphrase typed on a console,
// kPassphraseTries tries.
#pragma once

#include <string>

#include "common/result.h"
#include "init/sys/boot_log.h"
#include "init/cmdline.h"

namespace macula {

// Wrong passphrases before giving up (cryptsetup's default).
inline constexpr int kPassphraseTries = 3;

// Opens `device` as /dev/mapper/MAPPING and returns that path; an existing mapping (an attempt
// before the emergency shell) is taken as it is. `what` names it in the log and the question
// ("state", "persistence").
Result<std::string> unlock_volume(const std::string& device, const char* mapping, const std::string& what,
                                  const BootConfig& config, BootLog& log);

}  // namespace macula

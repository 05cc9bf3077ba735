// Opening a LUKS2 volume at boot (the encrypted state, an encrypted persistence): with the key
// the TPM unseals when the volume has a TPM keyslot, else with a passphrase typed on a console,
// kPassphraseTries tries.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "init/sys/boot_log.h"
#include "init/cmdline.h"

namespace macula {

// Wrong passphrases before giving up (cryptsetup's default).
inline constexpr int kPassphraseTries = 3;

// Asks the consoles `question` until `use` takes the typed passphrase, kPassphraseTries times at
// most; `use` fails with EPERM for a wrong one, which is told on the consoles as WHAT's. Fails
// after the last wrong one, or at once on another error. The typed text is wiped after use.
Result<void> use_typed_passphrase(const std::string& question, const std::string& what, const BootConfig& config,
                                  BootLog& log, const std::function<Result<void>(std::string_view)>& use);

// Opens `device` as /dev/mapper/MAPPING and returns that path; an existing mapping (an attempt
// before the emergency shell) is taken as it is. `what` names it in the log and the question
// ("state", "persistence").
Result<std::string> unlock_volume(const std::string& device, const char* mapping, const std::string& what,
                                  const BootConfig& config, BootLog& log);

}  // namespace macula

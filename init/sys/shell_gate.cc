#include "init/sys/shell_gate.h"

#include <unistd.h>

#include "encryption/sys/luks_volume.h"
#include "encryption/sys/tpm_enrollment.h"
#include "init/sys/console_shell.h"
#include "init/sys/unlock_volume.h"

namespace macula {

void earn_shell(std::span<const BlockDevice> devices, const BootConfig& config, BootLog& log, const std::string& what) {
  for (const BlockDevice& d : devices) {
    if (d.type != "crypto_LUKS") continue;
    const std::string device = "/dev/" + d.name;
    auto volume = LuksVolume::load(device);
    if (!volume || !volume->token(kTpmTokenType)) continue;  // what the TPM cannot open needs a passphrase anyway
    log.info(what + ": " + device + " opens with the TPM, so a passphrase of it comes first");
    auto given = use_typed_passphrase("Passphrase of " + device + " (" + d.label + ") before " + what + ": ", what, config, log, [&](std::string_view typed) { return volume->check_passphrase(typed); });
    if (given) {
      log.info(what + ": a passphrase of " + device + " was given");
      return;
    }
    log.error(what + ": " + given.error().text() + ": no shell; rebooting in 5 seconds");
    ::sleep(5);
    leave(Emergency::reboot);
  }
}

}  // namespace macula

// Who may have a shell at boot (docs/security.md). The TPM unseals a state's key for whatever
// runs in the initramfs, and PCR 7 measures the Secure Boot policy, not the kernel command
// line: a break, the rescue or recovery shell, the emergency shell, or an init= of one's own
// would each be a root shell over the state for anyone at the keyboard. So on a node with a
// LUKS2 volume the TPM opens, the person first types a passphrase of that volume: the TPM
// unlocks the normal boot only.
#pragma once

#include <span>
#include <string>

#include "common/block_device.h"
#include "init/cmdline.h"
#include "init/sys/boot_log.h"

namespace macula {

// Returns when no volume of `devices` opens with the TPM, or when a passphrase of the first
// that does was typed; after kPassphraseTries wrong ones (or when no console answers), reboots
// and never returns. `what` names the shell in the log and the question ("the rescue shell").
void earn_shell(std::span<const BlockDevice> devices, const BootConfig& config, BootLog& log, const std::string& what);

}  // namespace macula

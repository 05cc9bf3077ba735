// The config's first stage (init_cmd, docs/configuration.md): run by PID 1 on the new
// root, after its overlays and before OpenRC, as k3OS's initrd stage did. Our binary in the new
// root does the work (`maculaos config apply --stage init`, chrooted), so the config is read
// and checked by the same code as the later stages. Call it after hand_off(): the root's
// /usr/bin/maculaos links to the copy in /run/macula/bin.
#pragma once

#include <string>

#include "init/sys/boot_log.h"

namespace macula {

// Never stops the boot: a command that fails or hangs (past its timeout) is a warning.
void run_init_cmd_stage(const std::string& new_root, BootLog& log);

}  // namespace macula

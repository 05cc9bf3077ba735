#pragma once

#include <span>
#include <string>

#include "common/applet.h"

namespace macula {

// `/init` run by anyone but the kernel: its usage (--help), or a refusal.
Applet init_applet();

// MaculaOS's PID 1 in the initramfs: main() calls it whenever the process is PID 1, whatever
// the arguments (the kernel hands /init the words it does not know: warned about, ignored).
[[noreturn]] void run_as_pid1(std::span<const std::string> kernel_args);

}  // namespace macula

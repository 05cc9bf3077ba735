// Shells on the console (emergency, break, shell mode) and the final ways out of PID 1.
#pragma once

#include <string>

#include "common/result.h"
#include "init/cmdline.h"

namespace macula {

// Runs /bin/sh on the console as a new session with the console as its controlling tty (so
// job control and Ctrl-C work), and reaps every child while it runs: PID 1 inherits orphans.
// Returns when the shell exits.
Result<void> run_console_shell(const std::string& banner, const std::string& prompt);

// Syncs and reboots or powers off. Never returns. Emergency::shell is not an action here.
[[noreturn]] void leave(Emergency action);

}  // namespace macula

// `maculaos setup` on a terminal: the first-boot wizard, full screen (ncurses), keyboard-driven,
// at 80x24 on a serial console or tty1. Its steps are setup_steps.h's; while a step downloads,
// the terminal is handed back to line mode for its progress bars, then the screen is redrawn.
#pragma once

#include "common/result.h"
#include "setup/sys/setup_steps.h"

namespace macula {

// Runs the wizard until its Summary (0: the node is set up) or until the person quits (an
// error saying where they left and how to go on).
Result<int> run_wizard(const SetupRun& run);

}  // namespace macula

// Bash completion made from the applet table: each command's subcommands and options come from
// its Applet (commands, options), so a command added to the table completes without more work.
#pragma once

#include <span>
#include <string>

#include "common/applet.h"

namespace macula {

// The script `maculaos completion bash` prints (and the image's completion file sources): the
// commands after maculaos, then each command's subcommands and options, and file names after
// an option that takes a value and for other arguments. Hidden applets are left out.
std::string bash_completion(std::span<const Applet> applets);

}  // namespace macula

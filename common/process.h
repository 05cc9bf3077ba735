// Running the tools the installer relies on (sfdisk, mkfs, grub-install, losetup).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace macula {

// Runs argv (argv[0] looked up in PATH) with `input` on stdin; returns its stdout. A non-zero
// exit is an error naming the command and quoting the last line it wrote to stderr.
Result<std::string> run_command(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace macula

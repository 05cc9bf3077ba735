// Running the tools the installer relies on (sfdisk, mkfs, grub-install, losetup).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace macula {

// Runs argv (argv[0] looked up in PATH) with `input` on stdin; returns its stdout. A non-zero
// exit is an error naming the command and quoting the last line it wrote to stderr.
// With a timeout, the command runs in a process group of its own, and when the time is up the
// whole group is killed (SIGKILL) and nothing more is read: a command that hangs, or leaves a
// child holding its output open, cannot hang the caller.
// With a root, the command runs chrooted into it (PID 1 runs the root image's tools so).
Result<std::string> run_command(const std::vector<std::string>& argv, const std::string& input = "",
                                std::chrono::milliseconds timeout = {}, const std::string& root = "");

}  // namespace macula

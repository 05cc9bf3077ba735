// Running the tools the installer relies on (sfdisk, mkfs, grub-install, losetup), and the
// config's own commands.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace macula {

struct RunOptions {
  std::string input;  // on stdin (small: it must fit in the pipe buffer)
  // With a timeout, the command runs in a process group of its own, and when the time is up the
  // whole group is killed (SIGKILL) and nothing more is read. Once the command has exited, what
  // it left behind in its group is killed too, unless leave_running.
  std::chrono::milliseconds timeout{};
  std::string root;  // run chrooted into it (PID 1 runs the root image's tools so)
  bool leave_running = false;  // a daemon the command started keeps running after it
};

// How a command ended, and what it wrote.
struct CommandRun {
  std::string out, err;
  int exit_code = 0;  // when it exited
  int signal = 0;     // when a signal ended it (0: it exited)
  bool timed_out = false;
  bool ok() const { return !timed_out && signal == 0 && exit_code == 0; }
};

// Runs argv (argv[0] looked up in PATH). The run ends when the command exits: what it left
// behind holding its stdout or stderr open (a daemon started in the background) is read for
// kDrainAfterExit at most, then left, so it cannot hang the caller. An error only when the
// command cannot be started.
inline constexpr std::chrono::milliseconds kDrainAfterExit{500};
Result<CommandRun> run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

// run_process for a tool: returns its stdout. A non-zero exit is an error naming the command
// and quoting the last line it wrote to stderr.
Result<std::string> run_command(const std::vector<std::string>& argv, const std::string& input = "",
                                std::chrono::milliseconds timeout = {}, const std::string& root = "");

// run_command's verdict on a finished run of argv (with the timeout it was given), for callers
// that look at a failed run first: its stdout, or the error run_command would give.
Result<std::string> command_output(const std::vector<std::string>& argv, CommandRun run,
                                   std::chrono::milliseconds timeout);

}  // namespace macula

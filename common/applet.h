// One binary, many names (busybox style). What runs is chosen by the name the binary was
// started under (argv[0], e.g. /init or macula-install) or, under any other name, by its
// first argument (`maculaos version`). The choice is a pure function, unit tested.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

struct Applet {
  std::string_view name;     // command name, and the argv[0] it answers to if by_name
  std::string_view summary;  // one line for the command list
  std::string_view usage;    // printed by `NAME --help`
  // Runs with the args after the applet's name: the exit status, or the error the dispatcher
  // prints once, as "NAME: error", exiting 2 for a usage error and 1 for any other.
  Result<int> (*run)(std::span<const std::string> args);
  bool by_name = false;      // also selected when argv[0] is this name (init, macula-install)
};

// What the dispatcher decided. A null applet with help=true means "print the command list".
struct Invocation {
  const Applet* applet = nullptr;
  std::vector<std::string> args;
  bool help = false;  // print the applet's usage (or the list) and exit 0
};

// argv[0]'s basename selects a by_name applet; otherwise argv[1] names the command.
// `--help`/`-h` as the applet's first argument, or `help [NAME]`, ask for usage.
Result<Invocation> resolve_invocation(std::span<const Applet> applets,
                                      std::span<const std::string> argv);

// The command list shown by `maculaos --help`.
std::string command_list(std::span<const Applet> applets);

// Runs argv through the table: usage on --help (exit 0), one-line error on misuse (exit 2),
// the applet's own error as one line (exit 1).
int run_applets(std::span<const Applet> applets, std::span<const std::string> argv);

}  // namespace macula

// One binary, many names (busybox style). What runs is chosen by the name the binary was
// started under (argv[0], e.g. /init or macula-install) or, under any other name, by its
// first argument (`maculaos version`). The choice is a pure function, unit tested.
#pragma once

#include <span>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "common/args.h"
#include "common/result.h"

namespace macula {

struct Applet {
  std::string_view name;     // command name, and the argv[0] it answers to if by_name
  std::string_view summary;  // one line for the command list
  std::string_view usage;    // printed by `NAME --help`
  // Runs with the args after the applet's name: the exit status, or the error the dispatcher
  // prints once, as "NAME: error", exiting with its kind's status (kErrorExits).
  Result<int> (*run)(std::span<const std::string> args);
  bool by_name = false;      // also selected when argv[0] is this name (init, macula-install)
  // What completion and the usage test know of its command line: its subcommands ("status",
  // "mark-good") and the options it parses (the same table parse_args takes).
  std::span<const std::string_view> commands = {};
  std::span<const OptionSpec> options = {};
  // Root: every run of it needs root (needs_root), or those whose arguments hold one of
  // root_words (`upgrade --apply` does, `upgrade --status` does not). The dispatcher says so
  // in one line before the applet runs.
  bool needs_root = false;
  std::span<const std::string_view> root_words = {};
  bool hidden = false;  // internal (PID 1, a service): runnable, not in the command list
};

// What the dispatcher decided. A null applet with help=true means "print the command list".
struct Invocation {
  const Applet* applet = nullptr;
  std::vector<std::string> args;
  bool help = false;     // print the applet's usage (or the list) and exit 0
  bool version = false;  // --version: print the version and exit 0
  // Generated from the table: `maculaos completion bash`; `maculaos help --man [NAME]` (the
  // page of NAME, or maculaos(8) without) and `help --man-dir DIR` (every page into DIR).
  bool completion = false;
  bool man = false;
  std::optional<std::string> man_dir;
};

// The one line `--version` prints, on every name: "maculaos VERSION".
std::string version_line();

// Whether this run of the applet needs root (Applet::needs_root, root_words).
bool needs_root(const Applet& applet, std::span<const std::string> args);

// The one-line refusal of a run that needs root made by another user (euid), before the
// applet does anything: "maculaos upgrade: run it with sudo (it needs root)", a permission
// error. Nothing for root, or a run that does not need it.
std::optional<Error> root_refusal(const Applet& applet, std::span<const std::string> args, unsigned euid);

// The exit status of each kind of error, and its name in --json output: the contract with
// scripts and fleet tools, documented in docs/exit-codes.md. 1 and 2 are the usual failure and
// misuse; 3 is left to a command's own answer that is no error (`upgrade --check`: up to date);
// the rest count on from 4, below sysexits.h's 64 and the shell's 126 and up.
struct ErrorExit {
  ErrorKind kind;
  std::string_view name;
  int status;
};
inline constexpr ErrorExit kErrorExits[] = {
    {ErrorKind::failure, "failure", 1},
    {ErrorKind::usage, "usage", 2},
    {ErrorKind::not_found, "not_found", 4},
    {ErrorKind::permission, "permission", 5},
    {ErrorKind::verification, "verification", 6},
    {ErrorKind::network, "network", 7},
    {ErrorKind::busy, "busy", 8},
    {ErrorKind::io, "io", 9},
    {ErrorKind::refused, "refused", 10},
};

// kErrorExits' row for kind.
const ErrorExit& error_exit(ErrorKind kind);

// What --json prints for an error: {"error": {"kind": "...", "message": "...", "errno": N}}.
std::string error_json(const Error& error);

// argv[0]'s basename selects a by_name applet; otherwise argv[1] names the command.
// `--help`/`-h` as the applet's first argument, or `help [NAME]`, ask for usage; `--version`
// there, or as the command, for the version.
Result<Invocation> resolve_invocation(std::span<const Applet> applets,
                                      std::span<const std::string> argv);

// The command list shown by `maculaos --help`: the applets that are not hidden.
std::string command_list(std::span<const Applet> applets);

// Runs argv through the table: usage on --help (exit 0), one-line error on misuse (exit 2),
// the applet's own error as one line "NAME: error" on stderr, exiting with its kind's status.
// With --json anywhere on the command line the error is also on stdout, as error_json.
int run_applets(std::span<const Applet> applets, std::span<const std::string> argv);

}  // namespace macula

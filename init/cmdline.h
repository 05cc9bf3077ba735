// The kernel command line as MaculaOS's PID 1 reads it. Pure: parse_cmdline never fails;
// a bad value becomes a warning that names the parameter and the value used instead.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ab/boot_state.h"
#include "names/names.h"

namespace macula {

// What PID 1 execs in the new root when init= does not say: the image's own init (OpenRC's).
inline constexpr std::string_view kImageInit = "/sbin/init";

// A trial boot's time to reach its health check, when nothing says otherwise.
inline constexpr std::chrono::seconds kTrialWatchdog{600};

struct BootConfig {
  std::optional<BootMode> mode;              // unset: chosen by the file systems present
  bool debug = false;                    // macula.debug
  std::optional<BreakPoint> break_before;     // macula.break[=stage]; bare means pivot
  bool shell_allowed = true;             // macula.shell=0 forbids every shell
  std::optional<Emergency> emergency;      // macula.emergency=; unset: emergency_action()'s default
  // macula.watchdog=SECONDS: how long a trial boot has to pass its health check before the
  // hardware watchdog resets it; 0 = off; unset: maculaos.boot.watchdog, else kTrialWatchdog
  std::optional<std::chrono::seconds> watchdog;
  std::chrono::seconds device_timeout{10};
  std::vector<std::string> extra_modules;  // macula.modules=a,b
  std::vector<std::string> consoles;       // every console=, in order
  std::string init{kImageInit};            // init= : what to exec in the new root
  std::optional<Slot> slot;                // macula.slot=a|b: the slot GRUB booted
  std::string esp;                         // macula.esp=PARTUUID: the disk GRUB booted from
  // macula.persistence[=0|1|auto|/dev/NAME|LABEL=NAME]: a live boot keeps its changes (bare or
  // a device: on); unset: the media config's maculaos.live.persistence decides
  std::optional<bool> persistence;
  std::string persistence_device;          // "" when the command line names none
  std::vector<std::string> warnings;
};

BootConfig parse_cmdline(std::string_view cmdline);

// What a fatal error does. macula.emergency= when given; else an installed disk reboots (no
// one may be at its console: the reboot spends a try of a trial slot, and GRUB goes back to
// the primary after the last), and everything else gives a shell. Never a shell when
// macula.shell=0. `mode` is the mode of the boot, when known.
Emergency emergency_action(const BootConfig& config, std::optional<BootMode> mode);

// Whether init= hands the new root to something other than the image's init (a shell, as a
// rule): a shell with the state open, to be earned like any other (init/sys/shell_gate.h).
bool replaces_image_init(const BootConfig& config);

// The arguments the kernel hands /init (words it does not know, with no '=', and everything
// after "--"): PID 1 boots on, with one warning for each.
std::vector<std::string> ignored_argument_warnings(std::span<const std::string> args);

}  // namespace macula

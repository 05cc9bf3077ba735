// The kernel command line as MaculaOS's PID 1 reads it. Pure: parse_cmdline never fails;
// a bad value becomes a warning that names the parameter and the value used instead.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ab/boot_state.h"

namespace macula {

enum class Mode { live, install, disk, recovery, shell };
enum class Emergency { shell, reboot, poweroff };
// The stages macula.break=<stage> can stop before, in boot order (like dracut's rd.break).
enum class Stage { modules, devices, mount, overlay, pivot };

std::string_view to_string(Mode);
std::string_view to_string(Emergency);
std::string_view to_string(Stage);

struct BootConfig {
  std::optional<Mode> mode;              // unset: chosen by the file systems present
  bool debug = false;                    // macula.debug
  std::optional<Stage> break_before;     // macula.break[=stage]; bare means pivot
  bool shell_allowed = true;             // macula.shell=0 forbids every shell
  Emergency emergency = Emergency::shell;
  std::chrono::seconds device_timeout{10};
  std::vector<std::string> extra_modules;  // macula.modules=a,b
  std::vector<std::string> consoles;       // every console=, in order
  std::string init = "/sbin/init";         // init= : what to exec in the new root
  std::optional<Slot> slot;                // macula.slot=a|b: the slot GRUB booted
  std::string esp;                         // macula.esp=PARTUUID: the disk GRUB booted from
  std::vector<std::string> warnings;
};

BootConfig parse_cmdline(std::string_view cmdline);

}  // namespace macula

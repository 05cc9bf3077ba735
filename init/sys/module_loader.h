// Loading the initramfs's kernel modules with finit_module(2).
#pragma once

#include <string>
#include <vector>

#include "init/sys/boot_log.h"
#include "init/module_plan.h"

namespace macula {

// Holds <release>/ with the .ko files, and the build-time index of them: maculaos.modules
// (every module, dependencies first), maculaos.load (the names to load at boot) and the
// on-demand lists (maculaos.watchdog: loaded on a trial boot).
inline constexpr const char* kModuleDir = "/lib/modules";

struct ModuleLoadResult {
  int loaded = 0;    // newly loaded, or already there
  int failed = 0;
};

// How a module that does not load is told: for the boot's own list a warning (the boot goes
// on, and says later what it could not find if that mattered); for drivers tried in case
// their hardware is there, a debug line.
enum class LoadFailure { warn, debug };

// Loads `names` and what they depend on, in index order, from /lib/modules/<release>/.
// No index: a warning, nothing loaded.
ModuleLoadResult load_modules(std::vector<std::string> names, const std::string& release, BootLog& log,
                              LoadFailure failure = LoadFailure::warn);

// The names in /lib/modules/maculaos.<list> (load, watchdog); none if it is missing.
std::vector<std::string> module_list(const std::string& list);

// The running kernel's release (uname -r).
std::string kernel_release();

}  // namespace macula

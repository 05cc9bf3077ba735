// Loading the initramfs's kernel modules with finit_module(2).
#pragma once

#include <string>

#include "init/boot_log.h"
#include "init/module_plan.h"

namespace macula {

// Holds <release>/ with the .ko files, and the build-time index of them: maculaos.modules
// (every module, dependencies first) and maculaos.load (the names to load at boot).
inline constexpr const char* kModuleDir = "/lib/modules";

struct ModuleLoadResult {
  int loaded = 0;    // newly loaded, or already there
  int failed = 0;    // each also a warning in the log
};

// Loads the plan in order from /lib/modules/<release>/. A module that fails is a warning:
// the boot goes on, and says later what it could not find if that mattered.
ModuleLoadResult load_modules(const ModulePlan& plan, const std::string& release, BootLog& log);

// The running kernel's release (uname -r).
std::string kernel_release();

}  // namespace macula

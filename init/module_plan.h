// Which kernel modules to load, and in what order. The order is computed at build time
// (kernel-configs/resolve-modules.py) into the initramfs's index; this only selects from it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

struct ModuleEntry {
  std::string name;               // with underscores: usb_storage
  std::string path;               // relative to /lib/modules/<release>
  std::vector<std::string> deps;  // names
};

// Parses lib/modules/maculaos.modules: "NAME<TAB>PATH<TAB>DEP,DEP|-" per line, deps first.
Result<std::vector<ModuleEntry>> parse_module_index(std::string_view text);

// Parses lib/modules/maculaos.load: one name per line, '#' comments.
std::vector<std::string> parse_module_names(std::string_view text);

// Module names are the same with '-' or '_' (the kernel treats them alike).
std::string normalize_module_name(std::string_view name);

struct ModulePlan {
  std::vector<const ModuleEntry*> load;  // in index order: every module after its deps
  std::vector<std::string> unknown;      // wanted but not in the initramfs
};

// The wanted modules and everything they depend on, in the index's (dependency) order.
ModulePlan plan_module_loads(std::span<const ModuleEntry> index,
                             std::span<const std::string> wanted);

}  // namespace macula

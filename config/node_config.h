// The node's config.yaml (k3OS-style keys): parsed before anything is written, so a config
// that does not parse is refused with its line and column; the installer's flags are merged in.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

inline constexpr const char* kNodeConfigPath = "/var/lib/maculaos/config.yaml";

struct ConfigFlags {
  std::optional<std::string> hostname;       // top-level hostname
  std::vector<std::string> ssh_keys;         // appended to ssh_authorized_keys
  std::optional<std::string> password_hash;  // maculaos.password
};

// `yaml` may be empty. Fails with "SOURCE: line L, column C: problem" when it does not parse,
// or when its top level is not a mapping. Returns the YAML to write.
Result<std::string> merge_node_config(std::string_view yaml, std::string_view source,
                                      const ConfigFlags& flags);

// maculaos.upgrade in config.yaml: where releases come from.
struct UpgradeSettings {
  std::string url;                 // base URL; the manifest is <url>/<channel>/manifest.json
  std::string channel = "stable";
};
Result<UpgradeSettings> upgrade_settings(std::string_view yaml, std::string_view source);

// maculaos.boot in config.yaml: how an installed node boots.
struct BootSettings {
  // maculaos.boot.watchdog: seconds a trial boot has to pass its health check before the
  // hardware watchdog resets it (0: off); unset, init's default (macula.watchdog= wins).
  std::optional<std::chrono::seconds> watchdog;
};
Result<BootSettings> boot_settings(std::string_view yaml, std::string_view source);

}  // namespace macula

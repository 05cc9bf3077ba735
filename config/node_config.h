// The node's config.yaml (k3OS-style keys): parsed before anything is written, so a config
// that does not parse is refused with its line and column; the installer's flags are merged in.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "config/config_tree.h"
#include "names/names.h"

namespace macula {


// What the installer sets on top of --config: its options and a person's answers.
struct ConfigFlags {
  // dotted key (hostname, maculaos.password, maculaos.mesh.roles.gateway) -> its value;
  // replaces what the config had there
  std::vector<std::pair<std::string, std::string>> values;
  std::vector<std::string> ssh_keys;  // appended to ssh_authorized_keys

  void set(std::string dotted_key, std::string value);  // a later set of a key wins
  bool has(std::string_view dotted_key) const;
};

// `yaml` may be empty. Fails with "SOURCE: line L, column C: problem" when it does not parse,
// or when its top level is not a mapping. Returns the YAML to write.
Result<std::string> merge_node_config(std::string_view yaml, std::string_view source,
                                      const ConfigFlags& flags);

// The settings below are read from the node's config as read_node_config() gives it
// (config/config_sources.h): every source merged, each checked by the schema before.

// maculaos.upgrade: where releases come from.
struct UpgradeSettings {
  std::string url;                 // base URL (<url>/<channel>/manifest.json), or github://OWNER/REPO
  std::string channel = "stable";
  bool auto_check = true;          // the channel checked after boot and daily (upgrade/auto_check.h)
  bool auto_apply = false;         // a newer release applied by the check's service (upgrade/auto_apply.h)
  std::string maintenance_window;  // when it may be ("": any time; upgrade/maintenance_window.h)
  int max_unavailable = 1;         // nodes of a cluster upgrading at once
};
UpgradeSettings upgrade_settings(const ConfigNode& config);

// maculaos.boot: how an installed node boots.
struct BootSettings {
  // maculaos.boot.watchdog: seconds a trial boot has to pass its health check before the
  // hardware watchdog resets it (0: off); unset, init's default (macula.watchdog= wins).
  std::optional<std::chrono::seconds> watchdog;
};
BootSettings boot_settings(const ConfigNode& config);

// maculaos.live: whether a live boot keeps its changes (PID 1, before it has a state).
struct LiveSettings {
  bool persistence = false;
  std::string persistence_device;  // auto, /dev/NAME, LABEL=NAME; "" when unset
  std::string persistence_size;    // 4G, 50%; "" when unset (all the free space)
};
LiveSettings live_settings(const ConfigNode& config);

}  // namespace macula

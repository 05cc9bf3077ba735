// The boot stage of a node's config (`maculaos config apply --stage boot`, run by the OpenRC
// service maculaos-config early in the boot runlevel): what it changes is planned from the
// merged config by a pure function; the effects are a few file writes and chpasswd.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config_sources.h"

namespace macula {

// The user the image ships (README: "Booting"): the console login, sudo, SSH.
inline constexpr const char* kNodeUser = "macula";
// The merged config of the last boot stage that applied: used whole when a source has an
// error, so that a bad edit never takes away a working node's name, password or keys.
inline constexpr const char* kAppliedConfigPath = "/var/lib/maculaos/applied-config.yaml";

struct BootPlan {
  std::optional<std::string> hostname;       // to /etc/hostname (macula-hostname sets it)
  std::optional<std::string> password_hash;  // the node user's, by chpasswd -e
  // ~macula/.ssh/authorized_keys, when ssh_authorized_keys is set (the literal keys; an empty
  // list empties the file). github:USER entries need the network: not in this stage.
  std::optional<std::vector<std::string>> ssh_keys;
  std::vector<std::string> later;  // keys this stage leaves to the network, named for the log
};

BootPlan boot_plan(const ConfigNode& config);

// Which config the boot stage applies: the merge when no source has an error, else the last
// applied copy (when there is one; else the merge of the sources without an error).
struct ChosenConfig {
  ConfigNode config;
  bool fallback = false;  // the applied copy stands in for sources with errors
};
ChosenConfig choose_config(const MergedConfig& merged, const std::optional<ConfigNode>& applied);

// Carries the plan out on this machine.
Result<void> apply_boot_plan(const BootPlan& plan);

}  // namespace macula

// Whether a NoCloud seed found at boot is read, as cloud-init trusts one. A seed is root on the
// node (boot_cmd, run_cmd, passwords, keys), so it configures a node that nothing has configured
// yet, and a live boot; once a node is configured, only a config that lists nocloud in
// maculaos.data_sources lets a new seed in. Each seed is an instance, named by meta-data's
// instance-id: a node applies an instance once (run_cmd runs on its first boot) and keeps its
// config (kNoCloudInstanceDir) at the boots after, so a seed left attached changes nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config_tree.h"

namespace macula {

struct SeedFacts {
  bool installed = false;   // the node has a state of its own; a live boot has none
  bool configured = false;  // installed: config.yaml, config.d, setup's flag or an applied instance
  std::optional<std::vector<std::string>> data_sources;  // maculaos.data_sources, when set
};

// Whether a config file sets anything. The installer writes config.yaml even when it was given
// nothing, and that empty document does not make a node configured; a file that does not
// parse was written by a person, and does.
bool sets_anything(std::string_view config_text);

// Why no seed is read at this boot, or nullopt when one is.
std::optional<std::string> seeds_refused(const SeedFacts& facts);

// Why a file system of this type is not mounted as a seed (cloud-init's NoCloud is iso9660 or
// vfat), or nullopt.
std::optional<std::string> seed_type_refused(std::string_view type);

// meta-data's instance-id; an error naming `source` when it has none (cloud-init requires one).
Result<std::string> seed_instance_id(std::string_view meta_data, std::string_view source);

// maculaos.data_sources as the config sets it (nullopt: unset, the default applies).
std::optional<std::vector<std::string>> data_sources(const ConfigNode& config);

}  // namespace macula

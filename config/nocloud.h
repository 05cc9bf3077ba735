// cloud-init's NoCloud seed as config sources (docs/cloud-init.md): meta-data gives the host
// name, a `#cloud-config` user-data is read as a config.yaml with cloud-init's keys translated
// to ours, network-config as maculaos.network. Every cloud-config key is taken or refused by
// name, never dropped without a word. Pure: trees in, trees and issues out.
#pragma once

#include <string_view>
#include <vector>

#include "config/config_schema.h"
#include "config/config_tree.h"

namespace macula {

// user-data must start so (cloud-init's marker); a script or a MIME archive is not config.
inline constexpr std::string_view kCloudConfigMarker = "#cloud-config";

// A source in cloud-init's terms, as our config, and what the translation itself refused or
// left out (the schema checks the tree after).
struct TranslatedConfig {
  ConfigNode tree;
  std::vector<ConfigIssue> issues;
};

// meta-data: `local-hostname` becomes hostname; the rest (instance-id, ...) is not config.
ConfigNode from_nocloud_meta_data(const ConfigNode& meta);

// user-data: `runcmd` becomes run_cmd and `bootcmd` boot_cmd (an argv list item, which
// cloud-init runs without a shell, one shell-quoted command); `users` stays users (a "default"
// item is the node user, already there; `groups` and `sudo` as one value become lists);
// `chpasswd`'s hashes become maculaos.password for the node user and `passwd` of the others
// (a plain-text or random password is an error naming the user); `timezone`, `locale`,
// `keyboard.layout` and `ntp`'s servers and pools become the maculaos keys. A cloud-init key
// MaculaOS does not do (packages, mounts, ...) is a warning naming it; any other key is kept
// as it is, so the schema checks it like any config.
TranslatedConfig from_cloud_config(const ConfigNode& user);

// user-data of the instance the node applied at an earlier boot (config/nocloud_trust.h): as
// above without run_cmd, which cloud-init runs once per instance; boot_cmd runs at every boot.
TranslatedConfig from_applied_cloud_config(const ConfigNode& user);

}  // namespace macula

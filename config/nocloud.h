// cloud-init's NoCloud seed as config sources (docs/configuration.md): meta-data gives
// the host name, a `#cloud-config` user-data is read as a config.yaml with cloud-init's names
// for the commands. Pure: trees in, trees out.
#pragma once

#include <string_view>

#include "config/config_tree.h"

namespace macula {

// user-data must start so (cloud-init's marker); a script or a MIME archive is not config.
inline constexpr std::string_view kCloudConfigMarker = "#cloud-config";

// meta-data: `local-hostname` becomes hostname; the rest (instance-id, ...) is not config.
ConfigNode from_nocloud_meta_data(const ConfigNode& meta);

// user-data: `runcmd` becomes run_cmd and `bootcmd` boot_cmd, an argv list item (cloud-init
// runs it without a shell) one shell-quoted command; every other key is kept as it is, so the
// schema checks it like any config (cloud-init keys we do not have are warnings).
ConfigNode from_cloud_config(const ConfigNode& user);

// user-data of the instance the node applied at an earlier boot (config/nocloud_trust.h): as
// above without run_cmd, which cloud-init runs once per instance; boot_cmd runs at every boot.
ConfigNode from_applied_cloud_config(const ConfigNode& user);

}  // namespace macula

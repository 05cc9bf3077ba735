// The NoCloud data source of cloud-init (docs/cloud-init.md): a file system labelled
// CIDATA or cidata holding meta-data, user-data and network-config, as VM platforms and
// provisioning tools hand config over. Whether the node reads one is config/nocloud_trust.h's decision; init takes
// a seed it trusts before switching root: to kNoCloudSeedDir for this boot, and on an installed
// node to kNoCloudInstanceDir, the instance it keeps. The config engine reads both as sources.
#pragma once

#include <span>

#include "common/sys/block_devices.h"
#include "config/config_sources.h"
#include "init/sys/boot_log.h"

namespace macula {

// Takes the seed of the first CIDATA file system among devices, if the node reads one and its
// instance is new. `roots` as the config is read here (an installed node's state mounted).
// Never stops the boot: a seed ignored, or one that cannot be read, is a line of the log.
void take_nocloud_seed(std::span<const BlockDevice> devices, const ConfigRoots& roots, BootLog& log);

}  // namespace macula

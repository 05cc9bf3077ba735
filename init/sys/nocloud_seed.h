// The NoCloud data source of cloud-init (README, "Node configuration"): a file system labelled
// CIDATA or cidata holding user-data and meta-data, as VM platforms and provisioning tools
// hand config over. Init copies the two files to kNoCloudSeedDir before switching root; the
// config engine reads them there at each stage.
#pragma once

#include <span>

#include "common/sys/block_devices.h"
#include "init/sys/boot_log.h"

namespace macula {

// Copies the seed of the first CIDATA file system among devices, if there is one. Never stops
// the boot: a seed that cannot be read is a warning.
void copy_nocloud_seed(std::span<const BlockDevice> devices, BootLog& log);

}  // namespace macula

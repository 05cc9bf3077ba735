// The decisions of a boot before anything is mounted: what the device wait waits for, which
// devices hold the live media, and which mode the boot takes. Pure: init_command.cc scans.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/block_device.h"
#include "init/cmdline.h"

namespace macula {

// Devices labelled `label`, best first. A hybrid ISO written to a USB stick shows the label on
// the whole disk (iso9660) and on partitions (iso9660 again, and the EFI image or an HFS+ copy
// that grub-mkrescue may add): iso9660 whole disks come first, then iso9660 partitions, then
// any other file system; HFS+ never, as it does not carry our files. The caller mounts them in
// turn and takes the first that holds the root image.
std::vector<BlockDevice> media_candidates(std::span<const BlockDevice> devices, std::string_view label);

// A device labelled MACULAOS has appeared.
bool live_media_found(std::span<const BlockDevice> devices);

// The disk GRUB booted from (ab/installed_disk.h) and every partition of its layout have
// appeared, and GRUB named the slot.
bool installed_disk_found(const BootConfig& config, std::span<const BlockDevice> devices);

// Ends the device wait: the media of a live or install boot, the disk of an installed one;
// without macula.mode, either.
bool found_what_mode_needs(const BootConfig& config, std::span<const BlockDevice> devices);

// Without macula.mode: a MACULAOS_STATE file system means an installed disk, else live.
BootMode choose_mode(const BootConfig& config, std::span<const BlockDevice> devices);

}  // namespace macula

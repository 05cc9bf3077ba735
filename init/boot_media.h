// Choosing the boot media and the boot mode from the block devices found. Pure.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

#include "common/block_devices.h"
#include "init/cmdline.h"

namespace macula {

inline constexpr std::string_view kMediaLabel = "MACULAOS";       // the ISO's volume label
inline constexpr std::string_view kStateLabel = "MACULAOS_STATE";  // an installed disk's state
inline constexpr std::string_view kRootImage = "maculaos/rootfs.squashfs";  // on the media

// GPT partition names of the installed layout (installer/disk_layout.h).
std::string slot_partlabel(Slot slot);

// Devices labelled `label`, best first. A hybrid ISO written to a USB stick shows the label on
// the whole disk (iso9660) and on partitions (iso9660 again, and the EFI image or an HFS+ copy
// that grub-mkrescue may add): iso9660 whole disks come first, then iso9660 partitions, then
// any other file system; HFS+ never, as it does not carry our files. The caller mounts them in
// turn and takes the first that holds the root image.
std::vector<BlockDevice> media_candidates(std::span<const BlockDevice> devices,
                                          std::string_view label);

bool any_labelled(std::span<const BlockDevice> devices, std::string_view label);

// The state file system of an installed disk (the first, if several disks carry one).
std::optional<BlockDevice> find_state(std::span<const BlockDevice> devices);

// The slot's partition, preferring the disk that holds `state` (two MaculaOS disks in one
// machine must not mix).
std::optional<BlockDevice> find_slot(std::span<const BlockDevice> devices, Slot slot,
                                     const std::optional<BlockDevice>& state);

// Without macula.mode: a MACULAOS_STATE file system means an installed disk, else live.
Mode choose_mode(const BootConfig& config, std::span<const BlockDevice> devices);

}  // namespace macula

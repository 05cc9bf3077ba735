// Choosing the boot media and the boot mode from the block devices found. Pure.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "init/cmdline.h"

namespace macula {

inline constexpr std::string_view kMediaLabel = "MACULAOS";       // the ISO's volume label
inline constexpr std::string_view kStateLabel = "MACULAOS_STATE";  // an installed disk's state
inline constexpr std::string_view kRootImage = "maculaos/rootfs.squashfs";  // on the media

struct BlockDevice {
  std::string name;   // kernel name: sr0, sda, sda1, nvme0n1p2
  std::string label;  // file-system label, "" if none
  std::string type;   // file-system type from libblkid, "" if none
  bool partition = false;
};

// Devices labelled `label`, best first. A hybrid ISO written to a USB stick shows the label on
// the whole disk (iso9660) and on partitions (iso9660 again, and the EFI image or an HFS+ copy
// that grub-mkrescue may add): iso9660 whole disks come first, then iso9660 partitions, then
// any other file system; HFS+ never, as it does not carry our files. The caller mounts them in
// turn and takes the first that holds the root image.
std::vector<BlockDevice> media_candidates(std::span<const BlockDevice> devices,
                                          std::string_view label);

bool any_labelled(std::span<const BlockDevice> devices, std::string_view label);

// Without macula.mode: a MACULAOS_STATE file system means an installed disk, else live.
Mode choose_mode(const BootConfig& config, std::span<const BlockDevice> devices);

}  // namespace macula

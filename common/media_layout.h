// The live media as bootloader/make-iso.sh lays it out: PID 1 finds it by label and mounts its
// root image; macula-install copies its root image, kernel and initramfs into slot A.
#pragma once

#include <string_view>

namespace macula {

inline constexpr std::string_view kMediaLabel = "MACULAOS";  // the ISO's volume label
inline constexpr std::string_view kMediaRootImage = "maculaos/rootfs.squashfs";
inline constexpr std::string_view kMediaKernel = "boot/vmlinuz";
inline constexpr std::string_view kMediaInitrd = "boot/initrd.zst";
// A node config a person adds to the media (a remastered ISO: README, "Node configuration"),
// read from the mounted media by live boots.
inline constexpr std::string_view kMediaConfig = "maculaos/config.yaml";

}  // namespace macula

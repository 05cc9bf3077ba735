// What a slot holds (and a release must carry), and what a copy into it landed as: plain data,
// for the installer's and the upgrader's sequences and slot.json (ab/sys/slot_files.h and
// ab/sys/verified_copy.h write and read back the files).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace macula {

// The root image, the kernel, the initramfs. GRUB (bootloader/grub-disk.cfg) loads /vmlinuz
// and /initrd.zst from the slot; init mounts /rootfs.squashfs.
inline constexpr std::string_view kSlotRootImage = "rootfs.squashfs";
inline constexpr std::string_view kSlotFileNames[] = {kSlotRootImage, "vmlinuz", "initrd.zst"};

// A file as it landed in a slot: its size and SHA-256.
struct CopiedFile {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;
  bool operator==(const CopiedFile&) const = default;
};

}  // namespace macula

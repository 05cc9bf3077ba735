// The installed disk's GPT layout, computed as a plain function of the disk's size.
//
//   1 bios-boot       1 MiB   GRUB's core image on legacy BIOS
//   2 esp            64 MiB   FAT: GRUB for UEFI and BIOS, grub.cfg, the boot-state env blocks
//   3 maculaos-a      slot    ext4 MACULAOS_A: rootfs.squashfs, vmlinuz, initrd.zst, slot.json
//   4 maculaos-b      slot    ext4 MACULAOS_B: the same, for the other version
//   5 maculaos-state  rest    ext4 MACULAOS_STATE: /etc, /home, /root, /opt, /var
//
// Partitions are found by their GPT names (partlabels), and GRUB finds slots by number on its
// own disk, so nothing guesses device names (sda3 vs nvme0n1p3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ab/boot_state.h"
#include "common/result.h"
#include "names/names.h"

namespace macula {

// The one table of the layout's names: GPT number (GRUB's gptN in bootloader/grub-disk.cfg),
// GPT name (how Linux finds it), file system and its label.
struct PartitionRole {
  int number;
  std::string_view name;
  std::string_view filesystem;
  std::string_view label;
};
inline constexpr PartitionRole kBiosBootPartition{1, "bios-boot", "", ""};
inline constexpr PartitionRole kEspPartition{2, "esp", "vfat", kEspLabel};
inline constexpr PartitionRole kSlotAPartition{3, "maculaos-a", "ext4", kSlotALabel};
inline constexpr PartitionRole kSlotBPartition{4, "maculaos-b", "ext4", kSlotBLabel};
// Its label is the mark of a complete install: macula-install writes it last.
inline constexpr PartitionRole kStatePartition{5, "maculaos-state", "ext4", kStateLabel};
inline constexpr const PartitionRole& slot_partition(Slot s) { return s == Slot::a ? kSlotAPartition : kSlotBPartition; }
// Init opens it as /dev/mapper/macula-state.
inline constexpr const char* kStateMapping = "macula-state";

inline constexpr std::uint64_t kMiB = 1024 * 1024;
inline constexpr std::uint64_t kGiB = 1024 * kMiB;

struct PartitionPlan {
  int number = 0;
  std::string name;       // GPT partition name
  std::string type_guid;  // GPT partition type
  std::string filesystem; // "" (raw), "vfat", "ext4"
  std::string label;      // file-system label
  std::uint64_t offset = 0;  // bytes from the start of the disk
  std::uint64_t size = 0;    // bytes
};

struct DiskLayout {
  std::uint64_t disk_size = 0;
  std::vector<PartitionPlan> partitions;  // in disk order, numbered from 1
};

inline constexpr std::uint64_t kBiosBootSize = 1 * kMiB;
inline constexpr std::uint64_t kEspSize = 64 * kMiB;
inline constexpr std::uint64_t kMinStateSize = 512 * kMiB;
inline constexpr std::uint64_t kMinSlotSize = 256 * kMiB;

// The slot size to use when none is given: room for twice today's payload (root image, kernel
// and initramfs), so a larger next version still fits; at least 1 GiB, in whole 256 MiB.
std::uint64_t default_slot_size(std::uint64_t payload_bytes);

// The smallest disk that holds the layout with this slot size.
std::uint64_t minimum_disk_size(std::uint64_t slot_size);

// Partitions aligned to 1 MiB, leaving the backup GPT's 33 sectors free at the end.
// Fails, naming both sizes, when the disk is smaller than minimum_disk_size(slot_size).
Result<DiskLayout> plan_layout(std::uint64_t disk_size, std::uint64_t slot_size);

// An installed disk image (`make img`, 4 GiB) written onto a larger disk: the state partition,
// last, may grow to where plan_layout would end it on a disk of disk_size. Its size there, when
// that is at least kMinStateGrowth more than state_size; nothing otherwise (the disk is the
// image's size, or the partition already fills it).
inline constexpr std::uint64_t kMinStateGrowth = 64 * kMiB;
std::optional<std::uint64_t> grown_state_size(std::uint64_t disk_size, std::uint64_t state_offset,
                                              std::uint64_t state_size);

// The layout as an sfdisk script (sfdisk --no-reread --no-tell-kernel DEVICE < script).
std::string sfdisk_script(const DiskLayout& layout);

// "4.0 GiB", "64 MiB", "1.5 GiB": sizes as the plan and errors print them.
std::string format_size(std::uint64_t bytes);

// Parses "1G", "512M", "1536MiB", "2GiB", or bytes. Errors name the text.
Result<std::uint64_t> parse_size(std::string_view text);

}  // namespace macula

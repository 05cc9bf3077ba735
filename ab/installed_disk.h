// Which disk is the installed MaculaOS, seen from Linux. GRUB names the ESP it booted from on
// the kernel command line (macula.esp=PARTUUID, bootloader/grub-disk.cfg), and init and every
// tool act on that disk only: with two MaculaOS disks in one machine (a second installed disk,
// an installed USB stick) nothing may mount the slot of one and change the boot state of the
// other. Pure: the callers scan the devices and read the command line.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ab/boot_state.h"
#include "common/block_device.h"
#include "common/kernel_cmdline.h"
#include "common/result.h"
#include "names/names.h"

namespace macula {


// What the command line says about the boot: nothing for a live boot, and no ESP under a
// grub.cfg older than macula.esp=.
struct BootedFrom {
  std::optional<Slot> slot;
  std::string esp_partuuid;
};
BootedFrom booted_from(std::span<const CmdlineParam> params);
// The same, of the running system (/proc/cmdline).
BootedFrom booted_from_this_boot();

struct InstalledDisk {
  std::string disk;  // kernel name of the whole disk
  std::string esp;   // /dev/... of each partition
  std::string slot_a;
  std::string slot_b;
  std::string state;
  const std::string& slot(Slot s) const { return s == Slot::a ? slot_a : slot_b; }
};

// The disk holding the ESP whose PARTUUID is `esp_partuuid`; without one, the only disk
// with a MACULAOS_STATE file system. Fails naming what is missing, or naming both disks
// when two qualify (refusing to guess).
Result<InstalledDisk> find_installed_disk(std::span<const BlockDevice> devices, std::string_view esp_partuuid);

}  // namespace macula

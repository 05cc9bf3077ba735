// Where the root image of a boot comes from: the live media (init/sys/live_media.h) or the slot
// GRUB chose on an installed disk (init/sys/installed_slot.h). The stage runner in
// init_command.cc mounts the image, puts the overlay on it, then lets the source add what
// persists; it knows nothing else about either.
#pragma once

#include <span>
#include <string>

#include "common/sys/block_devices.h"
#include "common/result.h"
#include "config/config_sources.h"
#include "init/sys/boot_log.h"
#include "init/boot_report.h"
#include "init/cmdline.h"

namespace macula {

// "sda, sda1, sr0" for messages ("none" when empty).
std::string device_names(std::span<const BlockDevice> devices);

class RootSource {
 public:
  // Each source reads the command line, tells the boot story and fills in the report.
  RootSource(const BootConfig& config, BootLog& log, BootReport& report)
      : config_(config), log_(log), report_(report) {}
  virtual ~RootSource() = default;
  // The squashfs root image, mounted read-only at kRootImageMount (names/names.h).
  virtual Result<void> mount_root_image(std::span<const BlockDevice> devices) = 0;
  // What persists across boots, mounted into the new root (over its overlay).
  virtual Result<void> mount_persistent(const std::string& new_root) = 0;
  // Where the node config is read before switch_root, once mount_persistent ran.
  virtual ConfigRoots config_roots() const = 0;
  // The root it gave cannot boot, and more tries will not change that (no init in it).
  virtual void give_up(const std::string&) {}

 protected:
  const BootConfig& config_;
  BootLog& log_;
  BootReport& report_;
};

}  // namespace macula

// Installed boots (disk and recovery modes): the root image of the slot GRUB chose
// (macula.slot=), on the disk GRUB booted from (macula.esp=, ab/installed_disk.h), and the
// state partition's layers for /etc, /home, /root, /opt and /var. The ESP stays mounted at
// /run/macula/esp, like Debian's /boot/efi, for the tools that read and change the boot state.
#pragma once

#include <chrono>
#include <span>
#include <string>

#include "ab/installed_disk.h"
#include "init/sys/root_source.h"

namespace macula {

class InstalledSlotRoot final : public RootSource {
 public:
  using RootSource::RootSource;
  // A slot whose image does not mount will not get better with more tries: it is marked bad
  // and the node reboots into the other slot at once (this returns only if that is refused).
  Result<void> mount_root_image(std::span<const BlockDevice> devices) override;
  Result<void> mount_persistent(const std::string& new_root) override;
  ConfigRoots config_roots() const override { return {.image = kRootImageMount, .state = kStateMount}; }
  // Marks the booted slot bad and reboots into the other at once; returns only if the boot
  // state refuses (the other slot is not good either), and the boot goes on to its emergency.
  void give_up(const std::string& why) override;

 private:
  Result<void> mount_slot(Slot slot, const std::string& image);
  Result<void> check_root_image_size(const std::string& name, const std::string& image);
  Result<std::string> open_state();
  void mount_esp();
  void arm_watchdog_on_trial();
  std::chrono::seconds watchdog_timeout();

  InstalledDisk disk_;
};

}  // namespace macula

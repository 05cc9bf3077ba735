// Live boots (live and install modes): the root image on the boot media, the ISO or a USB
// stick it was written to, found by its label. The overlay is a tmpfs, unless a live boot
// asks for persistence (macula.persistence, maculaos.live.persistence in the media's config):
// then /etc, /home, /root, /opt and /var are kept on a MACULAOS_PERSIST file system, laid out
// as an installed disk's state (init/sys/state_overlays.h).
#pragma once

#include <optional>
#include <span>
#include <string>

#include "init/sys/root_source.h"
#include "persistence/persistence_choice.h"
#include "persistence/sys/stick.h"

namespace macula {

class LiveMediaRoot final : public RootSource {
 public:
  // keeps_changes: a live boot (an install boot never keeps its changes)
  LiveMediaRoot(const BootConfig& config, BootLog& log, BootReport& report, bool keeps_changes)
      : RootSource(config, log, report), keeps_changes_(keeps_changes) {}
  Result<void> mount_root_image(std::span<const BlockDevice> devices) override;
  // Persistence never fails the boot: without it, a warning, and changes are kept in RAM.
  Result<void> mount_persistent(const std::string& new_root) override;
  // A live boot has no state: its persistence, if any, is read as the booted system's /var.
  ConfigRoots config_roots() const override { return {.image = kRootImageMount, .state = std::nullopt}; }

 private:
  std::optional<PersistenceChoice> persistence_choice();
  Result<std::string> mount_persistence(const PersistenceChoice& choice);
  // type: what is there (ext4, crypto_LUKS)
  Result<std::string> mount_on_stick(const Stick& stick, const std::string& type);
  Result<std::string> create_on_stick(const Stick& stick, const FilesystemAt& there, const PersistenceChoice& choice);
  Result<std::string> mount_device(const std::string& device);
  Result<void> mount_found(const std::string& device, const std::string& type);

  bool keeps_changes_;
  std::string stick_;  // the whole disk the media is on: /dev/sda, /dev/sr0
};

}  // namespace macula

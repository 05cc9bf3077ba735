// macula-install's effects on this machine: the target read from sysfs and /proc, the disk
// written with the real tools (wipefs, sfdisk, mkfs, grub-install, e2label), libcryptsetup and
// libmount, the console for the confirmation and what it says.
#pragma once

#include "installer/install_sequence.h"

namespace macula {

class MachineInstallSystem final : public InstallSystem {
 public:
  Result<TargetDisk> inspect_target(const std::string& path) override;
  std::vector<MountEntry> mounts() override;
  std::vector<std::string> active_swaps() override;
  Result<std::uint64_t> file_size(const std::string& path) override;
  bool confirm(const std::string& device) override;
  void say(std::string_view text) override;

  Result<std::unique_ptr<Held>> attach_image(const std::string& image) override;
  Result<void> make_dirs(const std::string& path) override;
  void set_mode(const std::string& path, mode_t mode) override;
  Result<void> run(const std::vector<std::string>& argv, const std::string& input) override;
  Result<void> write_boot_code(const std::string& disk, std::span<const unsigned char> code) override;
  Result<std::string> partition_node(const std::string& disk, int number) override;
  Result<void> make_ext4(const std::string& device, std::string_view label) override;
  Result<OpenedVolume> make_encrypted_volume(const std::string& device, std::string_view label, const char* mapping,
                                             const std::vector<int>& pcrs) override;
  Result<std::unique_ptr<Held>> mount(const std::string& device, std::string_view fstype,
                                      const std::string& dir) override;
  Result<CopiedFile> copy_verified(const std::string& from, const std::string& to) override;
  Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                   std::span<const CopiedFile> files) override;
  Result<void> create_boot_state(const std::string& dir, const BootState& state) override;
  Result<void> write_file(const std::string& path, std::string_view content, mode_t mode) override;
  Result<void> set_luks_label(const std::string& device, std::string_view label) override;
  void sync() override;
};

}  // namespace macula

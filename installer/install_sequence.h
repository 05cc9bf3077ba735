// macula-install's sequence apart from its effects: the checks that refuse a target before
// anything is written, the plan and its confirmation, then the writes in their order. An
// InstallSystem does them (the machine in the product, installer/sys/install_system.h; a fake in
// the unit tests). The order makes an interrupted install never look installed: the state
// partition carries a temporary label until every byte has been written and verified, and
// GRUB boots the disk only once it carries the real one.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ab/boot_state.h"
#include "ab/slot_content.h"
#include "common/held.h"
#include "common/result.h"
#include "names/names.h"
#include "config/node_config.h"
#include "installer/target_disk.h"

namespace macula {

// What macula-install is asked to do: its command line, or the kernel's in the ISO's install mode.
struct InstallRequest {
  std::string device;
  std::string source = kMediaMount;
  std::optional<std::uint64_t> slot_size;
  std::string config_source;  // file or URL, "" for none
  std::string ca_file;
  ConfigFlags flags;
  bool yes = false;
  bool dry_run = false;
  bool power_off = false;
  bool encrypt = false;
  std::vector<int> tpm_pcrs;
};

struct SlotFile {
  std::string source;     // path on the media
  std::string_view name;  // name in the slot
};

// Where each file of kSlotFileNames comes from on the media.
std::vector<SlotFile> slot_files(const std::string& media);

// A new encrypted state (encryption/sys/new_volume.h), open while this lives.
struct OpenedVolume {
  std::unique_ptr<Held> mapping;    // its path: /dev/mapper/MAPPING
  std::string recovery_passphrase;  // to be shown once
  std::string without_tpm;          // why the key is not sealed to a TPM ("" when it is)
};

class InstallSystem {
 public:
  virtual ~InstallSystem() = default;

  // Reading: nothing here writes.
  virtual Result<TargetDisk> inspect_target(const std::string& path) = 0;
  virtual std::vector<MountEntry> mounts() = 0;
  virtual std::vector<std::string> active_swaps() = 0;  // /dev/... in use as swap
  virtual Result<std::uint64_t> file_size(const std::string& path) = 0;
  // Asks the person at the console; true when they typed "yes" to erasing `device`.
  virtual bool confirm(const std::string& device) = 0;
  // Text for the person who asked, as it is (its lines end in '\n').
  virtual void say(std::string_view text) = 0;

  // Writing.
  // The disk image as a loop device whose partitions the kernel reads.
  virtual Result<std::unique_ptr<Held>> attach_image(const std::string& image) = 0;
  virtual Result<void> make_dirs(const std::string& path) = 0;
  virtual void set_mode(const std::string& path, mode_t mode) = 0;  // best effort, like chmod(1)
  // A tool (wipefs, sfdisk, mkfs.vfat, grub-install, e2label) with `input` on its stdin.
  virtual Result<void> run(const std::vector<std::string>& argv, const std::string& input) = 0;
  // `code` over the disk's first bytes, synced.
  virtual Result<void> write_boot_code(const std::string& disk, std::span<const unsigned char> code) = 0;
  // /dev/sda3, /dev/nvme0n1p3: the node of partition `number`, once the kernel has made it.
  virtual Result<std::string> partition_node(const std::string& disk, int number) = 0;
  virtual Result<void> make_ext4(const std::string& device, std::string_view label) = 0;
  virtual Result<OpenedVolume> make_encrypted_volume(const std::string& device, std::string_view label,
                                                     const char* mapping, const std::vector<int>& pcrs) = 0;
  // Mounted at `dir` while the result lives.
  virtual Result<std::unique_ptr<Held>> mount(const std::string& device, std::string_view fstype,
                                              const std::string& dir) = 0;
  virtual Result<CopiedFile> copy_verified(const std::string& from, const std::string& to) = 0;
  virtual Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                           std::span<const CopiedFile> files) = 0;
  virtual Result<void> create_boot_state(const std::string& dir, const BootState& state) = 0;
  virtual Result<void> write_file(const std::string& path, std::string_view content, mode_t mode) = 0;
  // The label on a LUKS2 header (an encrypted state's).
  virtual Result<void> set_luks_label(const std::string& device, std::string_view label) = 0;
  virtual void sync() = 0;
};

// Everything after the questions and the node config: refuses a target that must not be
// written, shows the plan, asks (unless req.yes), then installs. `config` is the node config
// to write; `grub_cfg` the installed disk's grub.cfg. 0 when installed (or --dry-run), 1 when
// the person said no.
Result<int> install_disk(InstallSystem& system, const InstallRequest& req, const std::string& config,
                         std::string_view grub_cfg);

}  // namespace macula

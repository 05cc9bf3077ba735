#include "installer/install_sequence.h"

#include <cstdio>

#include "ab/disk_layout.h"
#include "ab/slot_content.h"
#include "config/config_schema.h"
#include "config/config_tree.h"
#include "names/names.h"

namespace macula {

namespace {

std::string describe_plan(const TargetDisk& disk, const DiskLayout& layout, const InstallRequest& req,
                          std::uint64_t payload, const std::string& config) {
  std::string out = "Install MaculaOS " MACULAOS_VERSION " on " + disk.path +
                    (disk.model.empty() ? "" : " (" + disk.model + ")") + ", " + format_size(disk.size) +
                    "\nEverything on " + disk.path + " will be erased.\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "  %-2s %-15s %-6s %-15s %12s %12s\n", "#", "name", "fs", "label", "offset", "size");
  out += line;
  for (const PartitionPlan& p : layout.partitions) {
    std::snprintf(line, sizeof line, "  %-2d %-15s %-6s %-15s %12s %12s\n", p.number, p.name.c_str(),
                  p.filesystem.empty() ? "-" : p.filesystem.c_str(), p.label.empty() ? "-" : p.label.c_str(),
                  format_size(p.offset).c_str(), format_size(p.size).c_str());
    out += line;
  }
  out += "\nSlot A gets, from " + req.source + " (" + format_size(payload) + "):\n";
  for (const SlotFile& f : slot_files(req.source)) out += "  " + f.source + " -> " + std::string(f.name) + "\n";
  out += "Slot B stays empty. GRUB for BIOS (i386-pc) and UEFI (removable path) goes to the ESP.\n";
  if (req.encrypt) out += "The state partition is encrypted: LUKS2, aes-xts-plain64, argon2id; a recovery passphrase opens it.\n";
  out += "The node config goes to " + std::string(kNodeConfigPath) + " on the state partition (mode 0600)";
  auto tree = parse_config(config, kNodeConfigPath);  // merge_node_config made it: it parses
  if (!tree || tree->pairs.empty()) return out + ": empty.\n";
  return out + " (secrets hidden):\n" + config_yaml(without_secrets(*tree), false);
}

// The writes, in their order.
class Installer {
 public:
  Installer(InstallSystem& system, const InstallRequest& req, const std::string& config, std::string_view grub_cfg)
      : system_(system), req_(req), config_(config), grub_cfg_(grub_cfg) {}

  Result<void> run(const std::string& disk, const DiskLayout& layout) {
    if (auto r = system_.make_dirs(kInstallWorkDir); !r) return r;
    step("wiping old signatures and writing the partition table");
    // No --force: wipefs refuses a disk the kernel still uses, a last check after ours. It
    // also clears the MBR's signature: a BIOS no longer boots the disk's old code.
    if (auto r = system_.run({"wipefs", "--all", disk}, ""); !r) return r;
    if (auto r = write_firmware_handback(disk); !r) return r;
    // --wipe never: wipefs has done it, and sfdisk keeps the boot code it finds.
    if (auto r = system_.run({"sfdisk", "--quiet", "--wipe", "never", disk}, sfdisk_script(layout)); !r) return r;
    for (const PartitionPlan& p : layout.partitions) {
      auto node = system_.partition_node(disk, p.number);
      if (!node) return fail(node.error());
      nodes_.push_back(*node);
    }
    step("making file systems");
    for (const PartitionPlan& p : layout.partitions) {
      // The state's own label says "installed": finish() writes it last.
      const std::string_view label = p.number == kStatePartition.number ? kIncompleteStateLabel : p.label;
      if (p.number == kStatePartition.number && req_.encrypt) {
        if (auto r = encrypt_state(node(p.number)); !r) return r;
      } else if (p.filesystem == "vfat") {
        if (auto r = system_.run({"mkfs.vfat", "-F", "32", "-n", std::string(label), node(p.number)}, ""); !r)
          return r;
      } else if (p.filesystem == "ext4") {
        if (auto r = system_.make_ext4(node(p.number), label); !r) return r;
      }
    }
    Result<void> r = write_slot(node(kSlotAPartition.number));
    if (r) r = install_bootloader(disk, node(kEspPartition.number));
    if (r) r = write_state(state_ ? state_->mapping->path() : node(kStatePartition.number));
    if (r) r = state_ ? finish_encrypted(node(kStatePartition.number), node(kEspPartition.number))
                      : finish(node(kStatePartition.number));
    return r;
  }

  // The recovery passphrase of an encrypted state, for the end of the install ("" if none).
  std::string recovery_passphrase() const { return state_ ? state_->recovery_passphrase : ""; }

 private:
  static constexpr const char* kInstallStateMapping = "macula-install-state";

  // From the moment sfdisk signs the protective MBR, a BIOS boots the disk's boot code: until
  // grub-install replaces it (boot.img, written after GRUB's core image), it is `int 18h`
  // ("boot failed": the firmware tries its next device) then `jmp $`, never whatever bytes
  // were there.
  Result<void> write_firmware_handback(const std::string& disk) {
    static constexpr unsigned char kInt18[] = {0xCD, 0x18, 0xEB, 0xFE};
    return system_.write_boot_code(disk, kInt18);
  }

  void step(const std::string& what) { system_.say("macula-install: " + what + "\n"); }

  // Partitions are numbered from 1, in disk order (ab/disk_layout.h).
  const std::string& node(int number) const { return nodes_[static_cast<size_t>(number - 1)]; }

  Result<std::unique_ptr<Held>> mount(const std::string& dev, std::string_view fstype, const char* dir) {
    return system_.mount(dev, fstype, std::string(kInstallWorkDir) + "/" + dir);
  }

  Result<void> write_slot(const std::string& dev) {
    step("writing slot A");
    auto slot = mount(dev, kSlotAPartition.filesystem, "slot");
    if (!slot) return fail(slot.error());
    const std::string& dir = (*slot)->path();
    std::vector<CopiedFile> files;
    for (const SlotFile& f : slot_files(req_.source)) {
      auto copied = system_.copy_verified(f.source, dir + "/" + std::string(f.name));
      if (!copied) return fail(copied.error());
      step("verified " + std::string(f.name) + " on disk: sha256 " + copied->sha256);
      files.push_back(*copied);
    }
    return system_.write_slot_manifest(dir, MACULAOS_VERSION, files);
  }

  Result<void> install_bootloader(const std::string& disk, const std::string& esp_dev) {
    step("installing GRUB for BIOS and UEFI");
    auto esp = mount(esp_dev, kEspPartition.filesystem, "esp");
    if (!esp) return fail(esp.error());
    const std::string& esp_dir = (*esp)->path();
    const std::string boot = esp_dir + "/boot";
    const std::string state_dir = esp_dir + "/" + std::string(kEspStateDir);
    if (auto r = system_.make_dirs(state_dir); !r) return r;
    if (auto r = system_.create_boot_state(state_dir, installed_state(MACULAOS_VERSION)); !r) return r;
    const std::string modules = "part_gpt fat ext2 regexp loadenv test probe";
    if (auto r = system_.run({"grub-install", "--target=i386-pc", "--boot-directory=" + boot, "--modules=" + modules,
                              disk}, "");
        !r)
      return r;
    if (auto r = system_.run({"grub-install", "--target=x86_64-efi", "--efi-directory=" + esp_dir,
                              "--boot-directory=" + boot, "--removable", "--no-nvram", "--modules=" + modules, disk},
                             "");
        !r)
      return r;
    // It boots only a disk whose state partition carries the installed label (written last):
    // before that, GRUB hands the machine back to the firmware's next boot device.
    if (auto r = system_.write_file(boot + "/grub/grub.cfg", grub_cfg_, 0644); !r) return r;
    system_.sync();
    return {};
  }

  Result<void> write_state(const std::string& dev) {
    step("writing the node config");
    auto state = mount(dev, kStatePartition.filesystem, "state");
    if (!state) return fail(state.error());
    const std::string& state_dir = (*state)->path();
    const std::string dir = state_dir + kStateDir;
    if (auto r = system_.make_dirs(dir); !r) return r;
    system_.set_mode(dir, 0700);
    return system_.write_file(state_dir + kNodeConfigPath, config_, 0600);
  }

  // The one mark that says "installed", written last: the state partition's label. Before it
  // GRUB boots nothing from this disk and the ISO does not take it for an installed system.
  Result<void> finish(const std::string& state_dev) {
    step("marking the disk installed");
    if (auto r = system_.run({"e2label", state_dev, std::string(kStatePartition.label)}, ""); !r) return r;
    system_.sync();
    return {};
  }

  // LUKS2 with the incomplete label, opened, and ext4 inside: write_state writes through it.
  Result<void> encrypt_state(const std::string& dev) {
    step("encrypting the state partition (LUKS2)");
    auto made = system_.make_encrypted_volume(dev, kIncompleteStateLabel, kInstallStateMapping, req_.tpm_pcrs);
    if (!made) return fail(made.error());
    state_.emplace(std::move(*made));
    step(state_->without_tpm.empty()
             ? "the state's key is sealed to this machine's TPM 2.0"
             : "no TPM 2.0 (" + state_->without_tpm + "): the console will ask for the passphrase at each boot");
    return system_.make_ext4(state_->mapping->path(), kInnerFilesystemLabel);
  }

  // The LUKS2 header's label, then the ESP's mark, the one GRUB reads (ab/disk_layout.h).
  Result<void> finish_encrypted(const std::string& state_dev, const std::string& esp_dev) {
    step("marking the disk installed");
    if (auto r = system_.set_luks_label(state_dev, kStatePartition.label); !r) return r;
    auto esp = mount(esp_dev, kEspPartition.filesystem, "esp");
    if (!esp) return fail(esp.error());
    const std::string mark = (*esp)->path() + "/" + std::string(kEspStateDir) + "/" + std::string(kEncryptedStateMark);
    if (auto r = system_.write_file(mark, "LUKS2\n", 0644); !r) return r;
    system_.sync();
    return {};
  }

  InstallSystem& system_;
  const InstallRequest& req_;
  const std::string& config_;
  std::string_view grub_cfg_;
  std::vector<std::string> nodes_;  // /dev/... of partition N at N - 1
  std::optional<OpenedVolume> state_;  // the encrypted state, open while it is written
};

}  // namespace

std::vector<SlotFile> slot_files(const std::string& media) {
  const std::string_view on_media[] = {kMediaRootImage, kMediaKernel, kMediaInitrd};
  std::vector<SlotFile> files;
  for (size_t i = 0; i < std::size(kSlotFileNames); ++i)
    files.push_back({media + "/" + std::string(on_media[i]), kSlotFileNames[i]});
  return files;
}

Result<int> install_disk(InstallSystem& system, const InstallRequest& req, const std::string& config,
                         std::string_view grub_cfg) {
  auto disk = system.inspect_target(req.device);
  if (!disk) return fail(disk.error());
  if (auto free = check_target_free(*disk, system.mounts(), system.active_swaps()); !free) return fail(free.error());
  std::uint64_t payload = 0;
  for (const SlotFile& f : slot_files(req.source)) {
    auto size = system.file_size(f.source);
    if (!size) return fail(f.source + ": missing (expected the MaculaOS media at " + req.source + ")");
    payload += *size;
  }
  auto layout = plan_layout(disk->size, req.slot_size.value_or(default_slot_size(payload)));
  if (!layout) return fail(layout.error());

  system.say(describe_plan(*disk, *layout, req, payload, config));
  if (req.dry_run) return system.say("\n--dry-run: nothing was written.\n"), 0;
  if (!req.yes && !system.confirm(req.device)) return system.say("Not installed: nothing was written.\n"), 1;

  std::unique_ptr<Held> loop;  // an image's loop device, attached while the install runs
  std::string device = req.device;
  if (disk->is_image) {
    auto attached = system.attach_image(req.device);
    if (!attached) return fail(attached.error());
    loop = std::move(*attached);
    device = loop->path();
  }
  Installer installer(system, req, config, grub_cfg);
  if (auto r = installer.run(device, *layout); !r)
    return fail("install failed, " + req.device + " is not bootable", r.error());
  system.say("macula-install: MaculaOS " MACULAOS_VERSION " installed on " + req.device + " (slot A).\n");
  if (req.encrypt)
    system.say("macula-install: the state is encrypted. Its recovery passphrase, shown this once (write it down;\n"
               "macula-install: the console asks for it when no TPM opens the state):\n"
               "macula-install: recovery passphrase: " + installer.recovery_passphrase() + "\n");
  return 0;
}

}  // namespace macula

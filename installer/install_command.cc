// macula-install: partitions a disk (or a disk image), writes and verifies slot A, installs
// GRUB for BIOS and UEFI and the node config. The order of work makes an interrupted install
// never look installed: the state partition carries a temporary label until every byte has
// been written and verified, and GRUB boots the disk only once it carries the real one.
#include "installer/install_command.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "ab/boot_state.h"
#include "ab/boot_state_store.h"
#include "ab/disk_layout.h"
#include "ab/slot_files.h"
#include "ab/verified_copy.h"
#include "common/args.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/kernel_cmdline.h"
#include "common/loop_device.h"
#include "common/mounts.h"
#include "common/process.h"
#include "names/names.h"
#include "config/config_schema.h"
#include "config/config_tree.h"
#include "config/node_config.h"
#include "encryption/luks_volume.h"
#include "encryption/new_volume.h"
#include "encryption/tpm_token.h"
#include "installer/grub_disk_cfg.h"
#include "installer/questions.h"
#include "installer/target_disk.h"
#include "net/download.h"
#include "net/resource.h"

namespace macula {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUsage = R"(usage: macula-install [OPTIONS] DEVICE

Installs MaculaOS on DEVICE, a whole disk (/dev/sda, /dev/nvme0n1) or a disk image file,
erasing it: GPT with a BIOS boot partition, an EFI system partition, slots A and B and a
state partition (MACULAOS_STATE) taking the rest. Slot A gets the running media's root
image, kernel and initramfs, verified by SHA-256; GRUB is installed for BIOS and UEFI.

  -y, --yes               ask nothing: no confirmation, and no questions (on a terminal,
                          macula-install asks for the host name, password, SSH key,
                          keyboard, time zone, locale and mesh roles not given as options)
  -n, --dry-run           print the plan and write nothing
      --slot-size SIZE    size of each slot (default: twice today's image, at least 1G)
      --source DIR        media to install from (default /run/macula/media, the boot media)
      --config FILE|URL   node config (YAML), written to /var/lib/maculaos/config.yaml (0600)
      --hostname NAME     set hostname: in the config
      --ssh-key KEY       add KEY to ssh_authorized_keys in the config
      --password-hash H   set maculaos.password (a crypt(3) hash) in the config
      --ca FILE           CA bundle to verify an https --config URL with
      --encrypt           encrypt the state partition (LUKS2, aes-xts-plain64): its key
                          is sealed to the TPM 2.0 when there is one (boots open it with no
                          one at the console); the recovery passphrase is shown once, at
                          the end
      --tpm2-pcrs LIST    with --encrypt: bind the sealed key to these PCRs (e.g. 7, the
                          Secure Boot state; default none: any boot on this machine)
      --from-cmdline      take DEVICE and options from the kernel command line:
                          macula.install.device=, .config_url=, .silent, .power_off,
                          .encrypt, .force_efi (GRUB for UEFI is always installed); with
                          no device there, say how to install and exit 0
)";

constexpr OptionSpec kOptions[] = {
    {"yes", 'y', false},        {"dry-run", 'n', false},   {"slot-size", 0, true},
    {"source", 0, true},        {"config", 0, true},       {"hostname", 0, true},
    {"ssh-key", 0, true},       {"password-hash", 0, true}, {"ca", 0, true},
    {"from-cmdline", 0, false}, {"encrypt", 0, false}, {"tpm2-pcrs", 0, true},
};

constexpr std::uint64_t kMaxConfigBytes = 1 << 20;

struct SlotFile {
  std::string source;  // path on the media
  std::string_view name;  // name in the slot
};

// Where each file of kSlotFileNames comes from on the media.
std::vector<SlotFile> slot_files(const std::string& media) {
  const std::string_view on_media[] = {kMediaRootImage, kMediaKernel, kMediaInitrd};
  std::vector<SlotFile> files;
  for (size_t i = 0; i < std::size(kSlotFileNames); ++i)
    files.push_back({media + "/" + std::string(on_media[i]), kSlotFileNames[i]});
  return files;
}

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

// The macula.install.* keys of the ISO's install mode (k3OS's names with our prefix).
void apply_cmdline(std::span<const CmdlineParam> params, InstallRequest& req) {
  for (const CmdlineParam& p : params) {
    const std::string value = p.value.value_or("");
    if (p.key == kCmdlineInstallDevice) req.device = value;
    else if (p.key == kCmdlineInstallConfigUrl) req.config_source = value;
    else if (p.key == kCmdlineInstallSilent) req.yes = true;
    else if (p.key == kCmdlineInstallPowerOff) req.power_off = true;
    else if (p.key == kCmdlineInstallEncrypt) req.encrypt = true;
  }
}

Result<InstallRequest> parse_request(std::span<const std::string> args) {
  auto p = parse_args("macula-install", kOptions, args);
  if (!p) return fail(p.error());
  InstallRequest req;
  if (p->has("from-cmdline")) {
    auto params = read_kernel_cmdline();
    if (!params) return fail(params.error());
    apply_cmdline(*params, req);
  }
  if (p->positional.size() > 1)
    return usage_error("expected one DEVICE, got " + std::to_string(p->positional.size()));
  if (!p->positional.empty()) req.device = p->positional[0];
  // the ISO's install mode without a device: run_install says how to install by hand
  if (req.device.empty() && p->has("from-cmdline")) return req;
  if (req.device.empty())
    return usage_error("no DEVICE given (e.g. macula-install /dev/sda; see --help)");
  req.yes = req.yes || p->has("yes");
  req.dry_run = p->has("dry-run");
  req.encrypt = req.encrypt || p->has("encrypt");
  if (p->has("tpm2-pcrs")) {
    auto pcrs = parse_pcr_list(p->values.at("tpm2-pcrs"));
    if (!pcrs) return usage_error("--tpm2-pcrs: " + pcrs.error().message);
    req.tpm_pcrs = *pcrs;
  }
  req.source = p->value_or("source", req.source);
  req.config_source = p->value_or("config", req.config_source);
  req.ca_file = p->value_or("ca", "");
  if (p->has("slot-size")) {
    auto size = parse_size(p->values.at("slot-size"));
    if (!size) return usage_error("--slot-size: " + size.error().message);
    req.slot_size = *size;
  }
  if (p->has("hostname")) req.flags.set("hostname", p->values.at("hostname"));
  if (p->has("ssh-key")) req.flags.ssh_keys.push_back(p->values.at("ssh-key"));
  if (p->has("password-hash")) req.flags.set("maculaos.password", p->values.at("password-hash"));
  return req;
}

Result<std::string> node_config(const InstallRequest& req) {
  std::string text;
  if (!req.config_source.empty()) {
    if (is_url(req.config_source))
      if (auto plain = require_verified_transport(req.config_source, "give the config as a file"); !plain)
        return fail("--config", plain.error());
    auto read = read_resource(req.config_source, {.ca_file = req.ca_file}, kMaxConfigBytes);
    if (!read) return fail("--config", read.error());
    text = *read;
  }
  return merge_node_config(text, req.config_source.empty() ? "flags" : req.config_source, req.flags);
}

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

bool confirmed(const std::string& device) {
  std::printf("Type 'yes' to erase %s and install: ", device.c_str());
  std::fflush(stdout);
  std::string answer;
  return static_cast<bool>(std::getline(std::cin, answer)) && answer == "yes";
}

// /dev/sda3, /dev/nvme0n1p3, /dev/loop0p3: the partition's node, from sysfs, once it exists.
Result<std::string> partition_node(const std::string& disk, int number) {
  const std::string name = fs::path(disk).filename();
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::error_code ec;
    for (fs::directory_iterator it("/sys/class/block/" + name, ec), end; !ec && it != end; it.increment(ec)) {
      if (read_file((it->path() / "partition").string()).value_or("") != std::to_string(number) + "\n") continue;
      const std::string node = "/dev/" + it->path().filename().string();
      if (fs::exists(node, ec)) return node;
    }
    ::usleep(100 * 1000);
  }
  return fail(disk + ": partition " + std::to_string(number) + " did not appear within 10 s");
}

class Installer {
 public:
  Installer(InstallRequest req, std::string config) : req_(std::move(req)), config_(std::move(config)) {}

  Result<void> run(const std::string& disk, const DiskLayout& layout) {
    if (auto r = make_dirs(kInstallWorkDir); !r) return r;
    step("wiping old signatures and writing the partition table");
    // No --force: wipefs refuses a disk the kernel still uses, a last check after ours. It
    // also clears the MBR's signature: a BIOS no longer boots the disk's old code.
    if (auto r = run_command({"wipefs", "--all", disk}); !r) return fail(r.error());
    if (auto r = write_firmware_handback(disk); !r) return r;
    // --wipe never: wipefs has done it, and sfdisk keeps the boot code it finds.
    if (auto r = run_command({"sfdisk", "--quiet", "--wipe", "never", disk}, sfdisk_script(layout)); !r)
      return fail(r.error());
    for (const PartitionPlan& p : layout.partitions) {
      auto node = partition_node(disk, p.number);
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
        if (auto r = run_command({"mkfs.vfat", "-F", "32", "-n", std::string(label), node(p.number)}); !r)
          return fail(r.error());
      } else if (p.filesystem == "ext4") {
        if (auto r = make_ext4(node(p.number), label); !r) return r;
      }
    }
    Result<void> r = write_slot(node(kSlotAPartition.number));
    if (r) r = install_bootloader(disk, node(kEspPartition.number));
    if (r) r = write_state(state_ ? state_->path() : node(kStatePartition.number));
    if (r) r = state_ ? finish_encrypted(node(kStatePartition.number), node(kEspPartition.number))
                      : finish(node(kStatePartition.number));
    return r;
  }

  // The recovery passphrase of an encrypted state, for the end of the install ("" if none).
  const std::string& recovery_passphrase() const { return recovery_; }

 private:

  // From the moment sfdisk signs the protective MBR, a BIOS boots the disk's boot code: until
  // grub-install replaces it (boot.img, written after GRUB's core image), it is `int 18h`
  // ("boot failed": the firmware tries its next device) then `jmp $`, never whatever bytes
  // were there.
  static Result<void> write_firmware_handback(const std::string& disk) {
    static constexpr unsigned char kInt18[] = {0xCD, 0x18, 0xEB, 0xFE};
    UniqueFd fd(::open(disk.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) return fail_errno("open " + disk);
    if (::pwrite(fd.get(), kInt18, sizeof kInt18, 0) != static_cast<ssize_t>(sizeof kInt18))
      return fail_errno("write the boot code of " + disk);
    if (::fsync(fd.get()) != 0) return fail_errno("fsync " + disk);
    return {};
  }

  void step(const std::string& what) { std::printf("macula-install: %s\n", what.c_str()); std::fflush(stdout); }

  // Partitions are numbered from 1, in disk order (ab/disk_layout.h).
  const std::string& node(int number) const { return nodes_[static_cast<size_t>(number - 1)]; }

  Result<ScopedMount> mount(const std::string& dev, std::string_view fstype, const char* dir) const {
    return ScopedMount::mount({dev, std::string(kInstallWorkDir) + "/" + dir, std::string(fstype), ""});
  }

  Result<void> write_slot(const std::string& dev) {
    step("writing slot A");
    auto slot = mount(dev, kSlotAPartition.filesystem, "slot");
    if (!slot) return fail(slot.error());
    std::vector<CopiedFile> files;
    for (const SlotFile& f : slot_files(req_.source)) {
      auto copied = copy_verified(f.source, slot->dir() + "/" + std::string(f.name));
      if (!copied) return fail(copied.error());
      step("verified " + std::string(f.name) + " on disk: sha256 " + copied->sha256);
      files.push_back(*copied);
    }
    return write_slot_manifest(slot->dir(), MACULAOS_VERSION, files);
  }

  Result<void> install_bootloader(const std::string& disk, const std::string& esp_dev) {
    step("installing GRUB for BIOS and UEFI");
    auto esp = mount(esp_dev, kEspPartition.filesystem, "esp");
    if (!esp) return fail(esp.error());
    const std::string boot = esp->dir() + "/boot";
    const std::string state_dir = esp->dir() + "/" + std::string(kEspStateDir);
    if (auto r = make_dirs(state_dir); !r) return r;
    if (auto r = BootStateStore(state_dir).create(installed_state(MACULAOS_VERSION)); !r) return r;
    const std::string modules = "part_gpt fat ext2 regexp loadenv test probe";
    auto bios = run_command({"grub-install", "--target=i386-pc", "--boot-directory=" + boot,
                             "--modules=" + modules, disk});
    if (!bios) return fail(bios.error());
    auto efi = run_command({"grub-install", "--target=x86_64-efi", "--efi-directory=" + esp->dir(),
                            "--boot-directory=" + boot, "--removable", "--no-nvram",
                            "--modules=" + modules, disk});
    if (!efi) return fail(efi.error());
    // It boots only a disk whose state partition carries the installed label (written last):
    // before that, GRUB hands the machine back to the firmware's next boot device.
    if (auto r = write_file_atomic(boot + "/grub/grub.cfg", kGrubDiskCfg, 0644); !r) return r;
    ::sync();
    return {};
  }

  Result<void> write_state(const std::string& dev) {
    step("writing the node config");
    auto state = mount(dev, kStatePartition.filesystem, "state");
    if (!state) return fail(state.error());
    const std::string dir = state->dir() + kStateDir;
    if (auto r = make_dirs(dir); !r) return r;
    ::chmod(dir.c_str(), 0700);
    return write_file_atomic(state->dir() + kNodeConfigPath, config_, 0600);
  }

  // The one mark that says "installed", written last: the state partition's label. Before it
  // GRUB boots nothing from this disk and the ISO does not take it for an installed system.
  Result<void> finish(const std::string& state_dev) {
    step("marking the disk installed");
    if (auto r = run_command({"e2label", state_dev, std::string(kStatePartition.label)}); !r) return fail(r.error());
    ::sync();
    return {};
  }

  // LUKS2 with the incomplete label, opened, and ext4 inside: write_state writes through it.
  Result<void> encrypt_state(const std::string& dev) {
    step("encrypting the state partition (LUKS2)");
    auto made = make_encrypted_volume(dev, kIncompleteStateLabel, kInstallStateMapping, req_.tpm_pcrs);
    if (!made) return fail(made.error());
    recovery_ = std::move(made->recovery_passphrase);
    state_.emplace(std::move(made->opened));
    step(made->without_tpm.empty()
             ? "the state's key is sealed to this machine's TPM 2.0"
             : "no TPM 2.0 (" + made->without_tpm + "): the console will ask for the passphrase at each boot");
    return make_ext4(state_->path(), kInnerFilesystemLabel);
  }

  // The LUKS2 header's label, then the ESP's mark, the one GRUB reads (ab/disk_layout.h).
  Result<void> finish_encrypted(const std::string& state_dev, const std::string& esp_dev) {
    step("marking the disk installed");
    auto volume = LuksVolume::load(state_dev);
    if (!volume) return fail(volume.error());
    if (auto r = volume->set_label(kStatePartition.label); !r) return r;
    auto esp = mount(esp_dev, kEspPartition.filesystem, "esp");
    if (!esp) return fail(esp.error());
    const std::string mark = esp->dir() + "/" + std::string(kEspStateDir) + "/" + std::string(kEncryptedStateMark);
    if (auto r = write_file_atomic(mark, "LUKS2\n", 0644); !r) return r;
    ::sync();
    return {};
  }

  static constexpr const char* kInstallStateMapping = "macula-install-state";

  InstallRequest req_;
  std::string config_;
  std::vector<std::string> nodes_;  // /dev/... of partition N at N - 1
  std::string recovery_;
  std::optional<ActiveMapping> state_;  // the encrypted state, open while it is written
};

Result<int> install(InstallRequest req) {
  // a person at a terminal is asked what --yes (or a config) would leave to the defaults
  if (!req.yes && ::isatty(STDIN_FILENO))
    if (auto r = ask_install_questions(terminal_prompter(), req.flags, sha512_crypt); !r) return fail(r.error());
  auto config = node_config(req);
  if (!config) return fail(config.error());
  auto disk = inspect_target(req.device);
  if (!disk) return fail(disk.error());
  if (auto free = check_target_unused(*disk); !free) return fail(free.error());
  std::uint64_t payload = 0;
  for (const SlotFile& f : slot_files(req.source)) {
    std::error_code ec;
    const auto size = fs::file_size(f.source, ec);
    if (ec) return fail(f.source + ": missing (expected the MaculaOS media at " + req.source + ")");
    payload += size;
  }
  auto layout = plan_layout(disk->size, req.slot_size.value_or(default_slot_size(payload)));
  if (!layout) return fail(layout.error());

  std::fputs(describe_plan(*disk, *layout, req, payload, *config).c_str(), stdout);
  if (req.dry_run) return std::puts("\n--dry-run: nothing was written."), 0;
  if (!req.yes && !confirmed(req.device)) return std::puts("Not installed: nothing was written."), 1;

  std::optional<LoopDevice> loop;
  std::string device = req.device;
  if (disk->is_image) {
    auto attached = LoopDevice::attach(req.device, {.partscan = true});
    if (!attached) return fail(attached.error());
    loop.emplace(std::move(*attached));
    device = loop->path();
  }
  Installer installer(req, *config);
  if (auto r = installer.run(device, *layout); !r)
    return fail("install failed, " + req.device + " is not bootable", r.error());
  std::printf("macula-install: MaculaOS %s installed on %s (slot A).\n", MACULAOS_VERSION, req.device.c_str());
  if (req.encrypt)
    std::printf("macula-install: the state is encrypted. Its recovery passphrase, shown this once (write it down;\n"
                "macula-install: the console asks for it when no TPM opens the state):\n"
                "macula-install: recovery passphrase: %s\n",
                installer.recovery_passphrase().c_str());
  return 0;
}

Result<int> run_install(std::span<const std::string> args) {
  auto req = parse_request(args);
  if (!req) return fail(req.error());
  if (req->device.empty()) {
    std::printf("macula-install: install mode without %s=: run 'sudo macula-install /dev/DISK' to install MaculaOS\n",
                std::string(kCmdlineInstallDevice).c_str());
    return 0;
  }
  auto status = install(*req);
  if (req->power_off) {
    // Unattended: the error is said before the machine goes.
    if (!status) std::fprintf(stderr, "macula-install: %s\n", status.error().text().c_str());
    ::sync();
    if (auto off = run_command({"poweroff"}); !off) return fail("poweroff", off.error());
    return status.value_or(1);
  }
  return status;
}

}  // namespace

Applet install_applet() {
  return {"macula-install", "install MaculaOS on a disk (A/B layout)", kUsage, run_install, true};
}

}  // namespace macula

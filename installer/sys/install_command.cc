// macula-install: the command line of the installer (or the kernel's, in the ISO's install
// mode), the questions and the node config. What it checks and writes, in which order, is
// installer/install_sequence.h; the machine's effects, installer/sys/install_system.h.
#include "installer/sys/install_command.h"

#include <unistd.h>

#include <cstdio>

#include "ab/disk_layout.h"
#include "common/args.h"
#include "common/kernel_cmdline.h"
#include "common/process.h"
#include "config/node_config.h"
#include "encryption/tpm_token.h"
#include "installer/grub_disk_cfg.h"
#include "installer/install_sequence.h"
#include "installer/sys/install_system.h"
#include "installer/questions.h"
#include "net/sys/download.h"
#include "net/sys/resource.h"
#include "names/names.h"

namespace macula {

namespace {

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

// The --config's text (empty without one).
Result<std::string> given_config(const InstallRequest& req) {
  if (req.config_source.empty()) return std::string();
  if (is_url(req.config_source))
    if (auto plain = require_verified_transport(req.config_source, "give the config as a file"); !plain)
      return fail("--config", plain.error());
  auto read = read_resource(req.config_source, {.ca_file = req.ca_file}, kMaxConfigBytes);
  if (!read) return fail("--config", read.error());
  return read;
}

Result<int> install(InstallRequest req) {
  auto given = given_config(req);
  if (!given) return fail(given.error());
  const std::string source = req.config_source.empty() ? "flags" : req.config_source;
  // a person at a terminal is asked what --yes (or a config) would leave to the defaults
  if (!req.yes && ::isatty(STDIN_FILENO)) {
    auto tree = given->empty() ? Result<ConfigNode>(ConfigNode{}) : parse_config(*given, source);
    if (!tree) return fail(tree.error());
    if (auto r = ask_install_questions(terminal_prompter(), req.flags, sha512_crypt, *tree); !r) return fail(r.error());
  }
  auto config = merge_node_config(*given, source, req.flags);
  if (!config) return fail(config.error());
  MachineInstallSystem machine;
  return install_disk(machine, req, *config, kGrubDiskCfg);
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
  return {.name = "macula-install", .summary = "install MaculaOS on a disk (A/B layout)", .usage = kUsage, .run = run_install,
          .by_name = true, .options = kOptions, .needs_root = true};
}

}  // namespace macula

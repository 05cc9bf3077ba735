#include "persistence/sys/persistence_command.h"

#include <cstdio>
#include <filesystem>

#include "ab/disk_layout.h"
#include "common/args.h"
#include "common/sys/block_devices.h"
#include "common/boot_report_facts.h"
#include "common/process.h"
#include "persistence/sys/stick.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"usage(usage: maculaos persistence create [--size SIZE] [--encrypt] [DEVICE]

Makes live persistence on DEVICE, a USB stick the MaculaOS ISO was written to (default: the
stick this system booted from): an ext4 file system labelled MACULAOS_PERSIST in the free space
after the image, in no partition table, so every byte of the image stays as it was. Booted with
macula.persistence (the ISO's "MaculaOS Live (persistent)" entry) or maculaos.live.persistence,
the live system keeps /etc, /home, /root, /opt and /var there.

  --size SIZE   512M, 4G, or a share of the free space such as 50% (default: all of it)
  --encrypt     LUKS2 (aes-xts-plain64, argon2id), labelled MACULAOS_PERSIST, the ext4
                inside: booting opens it with this machine's TPM 2.0 if it has one, else asks
                for the recovery passphrase, shown once at the end

It refuses, writing nothing, a device with no MaculaOS image at its start, too little free
space, a read-only device, and a device that already has persistence or another file system
after the image.
)usage";

constexpr OptionSpec kOptions[] = {{"size", 0, true}, {"encrypt", 0, false}};

// The whole disk the running live system booted from (boot.json's media may be a partition).
Result<std::string> boot_stick() {
  const std::string media = read_boot_report().media;
  if (media.empty()) return fail("no DEVICE given, and this system did not boot from live media (see --help)");
  const std::string name = std::filesystem::path(media).filename();
  for (const BlockDevice& d : scan_block_devices())
    if (d.name == name) return "/dev/" + d.disk;
  return fail("the boot media " + media + " is gone");
}

Result<int> create(const std::string& device, std::string_view size, bool encrypt) {
  auto stick = inspect_stick(device);
  if (!stick) return fail(stick.error());
  auto region = plan_new_persistence(*stick, persistence_on(*stick), size);
  if (!region) return fail(region.error());
  std::printf("persistence: making %s of %s (%s) on %s at %s, after the image\n", format_size(region->size).c_str(),
              encrypt ? "LUKS2 with ext4 inside" : "ext4", std::string(kPersistLabel).c_str(), device.c_str(),
              format_size(region->offset).c_str());
  std::fflush(stdout);
  auto run = [](const std::vector<std::string>& argv) -> Result<void> {
    if (auto r = run_command(argv); !r) return fail(r.error());
    return {};
  };
  auto recovery = make_persistence(*stick, *region, run, encrypt);
  if (!recovery) return fail(recovery.error());
  if (encrypt)
    std::printf("persistence: its recovery passphrase, shown this once (write it down): %s\n", recovery->c_str());
  std::puts("persistence: done; boot \"MaculaOS Live (persistent)\" to keep /etc, /home, /root, /opt and /var on it");
  return 0;
}

Result<int> run_persistence(std::span<const std::string> args) {
  auto p = parse_args("maculaos persistence", kOptions, args);
  if (!p) return fail(p.error());
  if (p->positional.empty() || p->positional[0] != "create")
    return usage_error("expected the command create (see maculaos persistence --help)");
  if (p->positional.size() > 2) return usage_error("expected at most one DEVICE after create");
  auto device = p->positional.size() == 2 ? Result<std::string>(p->positional[1]) : boot_stick();
  if (!device) return fail(device.error());
  return create(*device, p->value_or("size", ""), p->has("encrypt"));
}

}  // namespace

Applet persistence_applet() {
  static constexpr std::string_view kCommands[] = {"create"};
  return {.name = "persistence", .summary = "make live persistence on the boot stick", .usage = kUsage, .run = run_persistence,
          .commands = kCommands, .options = kOptions, .needs_root = true};
}

}  // namespace macula

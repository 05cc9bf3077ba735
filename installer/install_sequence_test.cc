#include "installer/install_sequence.h"

#include <sys/sysmacros.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>

#include "ab/disk_layout.h"

namespace macula {

namespace {

constexpr std::string_view kGrubCfg = "# the installed disk's grub.cfg\n";
constexpr const char* kConfig = "hostname: \"edge-1\"\n";

std::string octal(mode_t mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%o", static_cast<unsigned>(mode));
  return text;
}

// A machine in memory: a 16 GiB disk /dev/sdx, the live media, and a console. Every effect
// that changes something is logged in order in `events`; one whose event is `fail_at` fails
// instead (logged with " -> failed"). Reading the system logs nothing.
class FakeMachine final : public InstallSystem {
 public:
  TargetDisk target{.path = "/dev/sdx",
                    .size = 16 * kGiB,
                    .model = "QEMU HARDDISK",
                    .devices = {makedev(8, 16), makedev(8, 17)}};
  std::string not_a_disk;  // inspect_target's refusal, when set
  std::vector<MountEntry> mount_table = {{makedev(0, 19), "/proc"}, {makedev(11, 0), "/run/macula/media"}};
  std::map<std::string, std::uint64_t> media = {{"/media/maculaos/rootfs.squashfs", 300 * kMiB},
                                                {"/media/boot/vmlinuz", 12 * kMiB},
                                                {"/media/boot/initrd.zst", 40 * kMiB}};
  bool answers_yes = true;
  int asked = 0;
  std::string without_tpm;  // make_encrypted_volume's reason, "" when the key is sealed
  std::string fail_at;
  std::vector<std::string> events;
  std::vector<std::string> fallible;  // the events that could have failed, in order
  std::string said;
  std::map<std::string, std::string> files;   // written files: path -> content
  std::map<std::string, std::string> inputs;  // tools' stdin: argv[0] -> input
  std::optional<BootState> boot_state;

  Result<void> effect(const std::string& event) {
    fallible.push_back(event);
    if (event == fail_at) {
      events.push_back(event + " -> failed");
      return fail(event + ": failed (fake)");
    }
    events.push_back(event);
    return {};
  }

  Result<TargetDisk> inspect_target(const std::string& path) override {
    if (!not_a_disk.empty()) return fail(path + ": " + not_a_disk);
    return target;
  }
  std::vector<MountEntry> mounts() override { return mount_table; }
  std::vector<std::string> active_swaps() override { return {}; }
  Result<std::uint64_t> file_size(const std::string& path) override {
    auto it = media.find(path);
    if (it == media.end()) return fail("stat " + path, ENOENT);
    return it->second;
  }
  bool confirm(const std::string&) override {
    ++asked;
    return answers_yes;
  }
  void say(std::string_view text) override { said += text; }

  Result<std::unique_ptr<Held>> attach_image(const std::string& image) override {
    if (auto r = effect("attach " + image); !r) return fail(r.error());
    return std::make_unique<Hold>(*this, "/dev/loop0", "detach");
  }
  Result<void> make_dirs(const std::string& path) override { return effect("mkdir " + path); }
  void set_mode(const std::string& path, mode_t mode) override {
    events.push_back("chmod " + path + " " + octal(mode));
  }
  Result<void> run(const std::vector<std::string>& argv, const std::string& input) override {
    std::string line = "run";
    for (const std::string& a : argv) line += " " + a;
    if (!input.empty()) inputs[argv.front()] = input;
    return effect(line);
  }
  Result<void> write_boot_code(const std::string& disk, std::span<const unsigned char> code) override {
    std::string hex;
    for (unsigned char c : code) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
    return effect("boot code " + disk + " " + hex);
  }
  Result<std::string> partition_node(const std::string& disk, int number) override {
    return disk + (std::isdigit(static_cast<unsigned char>(disk.back())) ? "p" : "") + std::to_string(number);
  }
  Result<void> make_ext4(const std::string& device, std::string_view label) override {
    return effect("mkfs.ext4 " + device + " " + std::string(label));
  }
  Result<OpenedVolume> make_encrypted_volume(const std::string& device, std::string_view label, const char* mapping,
                                             const std::vector<int>&) override {
    if (auto r = effect("luksFormat " + device + " " + std::string(label) + " " + mapping); !r) return fail(r.error());
    return OpenedVolume{std::make_unique<Hold>(*this, std::string("/dev/mapper/") + mapping, "close"),
                        "recovery-words", without_tpm};
  }
  Result<std::unique_ptr<Held>> mount(const std::string& device, std::string_view fstype,
                                      const std::string& dir) override {
    if (auto r = effect("mount " + device + " " + std::string(fstype) + " " + dir); !r) return fail(r.error());
    return std::make_unique<Hold>(*this, dir, "unmount");
  }
  Result<CopiedFile> copy_verified(const std::string& from, const std::string& to) override {
    if (auto r = effect("copy " + from + " " + to); !r) return fail(r.error());
    return CopiedFile{to.substr(to.rfind('/') + 1), media.at(from), std::string(64, 'a')};
  }
  Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                   std::span<const CopiedFile> copied) override {
    if (auto r = effect("slot.json " + slot_dir + " " + version); !r) return r;
    for (const CopiedFile& f : copied) files[slot_dir + "/slot.json"] += f.name + " ";
    return {};
  }
  Result<void> create_boot_state(const std::string& dir, const BootState& state) override {
    if (auto r = effect("boot state " + dir); !r) return r;
    boot_state = state;
    return {};
  }
  Result<void> write_file(const std::string& path, std::string_view content, mode_t mode) override {
    if (auto r = effect("write " + path + " " + octal(mode)); !r) return r;
    files[path] = content;
    return {};
  }
  Result<void> set_luks_label(const std::string& device, std::string_view label) override {
    return effect("luks label " + device + " " + std::string(label));
  }
  void sync() override { events.push_back("sync"); }

  // The events that wrote something: all but sync and letting go of what was held.
  std::vector<std::string> writes() const {
    std::vector<std::string> out;
    for (const std::string& e : events)
      if (e != "sync" && !e.starts_with("unmount ") && !e.starts_with("close ") && !e.starts_with("detach "))
        out.push_back(e);
    return out;
  }
  bool happened(const std::string& event) const { return std::ranges::count(events, event) > 0; }

 private:
  class Hold final : public Held {
   public:
    Hold(FakeMachine& machine, std::string path, std::string release)
        : machine_(machine), path_(std::move(path)), release_(std::move(release)) {}
    ~Hold() override { machine_.events.push_back(release_ + " " + path_); }
    const std::string& path() const override { return path_; }

   private:
    FakeMachine& machine_;
    std::string path_;
    std::string release_;
  };
};

InstallRequest request(const std::string& device = "/dev/sdx") {
  InstallRequest req;
  req.device = device;
  req.source = "/media";
  req.yes = true;
  return req;
}

const std::string kModules = "--modules=part_gpt fat ext2 regexp loadenv test probe";
const std::string kLabelled = "run e2label /dev/sdx5 MACULAOS_STATE";

}  // namespace

TEST_CASE("an install partitions, makes the file systems, writes slot A, GRUB and the config, then labels the state") {
  FakeMachine machine;
  auto r = install_disk(machine, request(), kConfig, kGrubCfg);
  REQUIRE(r);
  CHECK(*r == 0);
  const std::string version = MACULAOS_VERSION;
  const std::vector<std::string> expected = {
      "mkdir /run/macula-install",
      "run wipefs --all /dev/sdx",
      "boot code /dev/sdx cd18ebfe",
      "run sfdisk --quiet --wipe never /dev/sdx",
      "run mkfs.vfat -F 32 -n MACULA_ESP /dev/sdx2",
      "mkfs.ext4 /dev/sdx3 MACULAOS_A",
      "mkfs.ext4 /dev/sdx4 MACULAOS_B",
      "mkfs.ext4 /dev/sdx5 MACULAOS_NEW",
      "mount /dev/sdx3 ext4 /run/macula-install/slot",
      "copy /media/maculaos/rootfs.squashfs /run/macula-install/slot/rootfs.squashfs",
      "copy /media/boot/vmlinuz /run/macula-install/slot/vmlinuz",
      "copy /media/boot/initrd.zst /run/macula-install/slot/initrd.zst",
      "slot.json /run/macula-install/slot " + version,
      "unmount /run/macula-install/slot",
      "mount /dev/sdx2 vfat /run/macula-install/esp",
      "mkdir /run/macula-install/esp/maculaos",
      "boot state /run/macula-install/esp/maculaos",
      "run grub-install --target=i386-pc --boot-directory=/run/macula-install/esp/boot " + kModules + " /dev/sdx",
      "run grub-install --target=x86_64-efi --efi-directory=/run/macula-install/esp "
      "--boot-directory=/run/macula-install/esp/boot --removable --no-nvram " + kModules + " /dev/sdx",
      "write /run/macula-install/esp/boot/grub/grub.cfg 644",
      "sync",
      "unmount /run/macula-install/esp",
      "mount /dev/sdx5 ext4 /run/macula-install/state",
      "mkdir /run/macula-install/state/var/lib/maculaos",
      "chmod /run/macula-install/state/var/lib/maculaos 700",
      "write /run/macula-install/state/var/lib/maculaos/config.yaml 600",
      "unmount /run/macula-install/state",
      kLabelled,
      "sync",
  };
  CHECK(machine.events == expected);
  CHECK(machine.writes().back() == kLabelled);
  CHECK(machine.files.at("/run/macula-install/esp/boot/grub/grub.cfg") == kGrubCfg);
  CHECK(machine.files.at("/run/macula-install/state/var/lib/maculaos/config.yaml") == kConfig);
  CHECK(machine.boot_state == installed_state(MACULAOS_VERSION));
  auto layout = plan_layout(16 * kGiB, default_slot_size(352 * kMiB));
  REQUIRE(layout);
  CHECK(machine.inputs.at("sfdisk") == sfdisk_script(*layout));
  CHECK(machine.asked == 0);  // --yes
  CHECK_THAT(machine.said, Catch::EndsWith("macula-install: marking the disk installed\n"
                                           "macula-install: MaculaOS " MACULAOS_VERSION
                                           " installed on /dev/sdx (slot A).\n"));
}

TEST_CASE("an encrypted install labels the LUKS2 header, then writes the ESP's mark GRUB reads, last") {
  FakeMachine machine;
  InstallRequest req = request();
  req.encrypt = true;
  auto r = install_disk(machine, req, kConfig, kGrubCfg);
  REQUIRE(r);
  const auto writes = machine.writes();
  REQUIRE(writes.size() >= 2);
  CHECK(writes.back() == "write /run/macula-install/esp/maculaos/state-encrypted 644");
  CHECK(writes[writes.size() - 2] == "mount /dev/sdx2 vfat /run/macula-install/esp");
  CHECK(writes[writes.size() - 3] == "luks label /dev/sdx5 MACULAOS_STATE");
  CHECK(machine.happened("luksFormat /dev/sdx5 MACULAOS_NEW macula-install-state"));
  CHECK(machine.happened("mkfs.ext4 /dev/mapper/macula-install-state MACULAOS_INNER"));
  CHECK(machine.happened("mount /dev/mapper/macula-install-state ext4 /run/macula-install/state"));
  CHECK_FALSE(machine.happened("mkfs.ext4 /dev/sdx5 MACULAOS_NEW"));
  CHECK(std::ranges::none_of(machine.events, [](const std::string& e) { return e.starts_with("run e2label"); }));
  CHECK(machine.files.at("/run/macula-install/esp/maculaos/state-encrypted") == "LUKS2\n");
  CHECK(machine.events.back() == "close /dev/mapper/macula-install-state");  // open until the end
  CHECK_THAT(machine.said, Catch::Contains("the state's key is sealed to this machine's TPM 2.0") &&
                               Catch::EndsWith("macula-install: recovery passphrase: recovery-words\n"));

  FakeMachine no_tpm;
  no_tpm.without_tpm = "no /dev/tpmrm0";
  REQUIRE(install_disk(no_tpm, req, kConfig, kGrubCfg));
  CHECK_THAT(no_tpm.said,
             Catch::Contains("no TPM 2.0 (no /dev/tpmrm0): the console will ask for the passphrase at each boot"));
}

TEST_CASE("an install cut at any write is not marked installed, and lets go of what it held") {
  for (bool encrypt : {false, true}) {
    InstallRequest req = request();
    req.encrypt = encrypt;
    const std::string mark = encrypt ? "write /run/macula-install/esp/maculaos/state-encrypted 644" : kLabelled;
    FakeMachine whole;
    REQUIRE(install_disk(whole, req, kConfig, kGrubCfg));
    REQUIRE(whole.happened(mark));
    for (const std::string& cut : whole.fallible) {
      DYNAMIC_SECTION((encrypt ? "encrypted, " : "") << "fails at: " << cut) {
        FakeMachine machine;
        machine.fail_at = cut;
        auto r = install_disk(machine, req, kConfig, kGrubCfg);
        REQUIRE_FALSE(r);
        CHECK(r.error().message == "install failed, /dev/sdx is not bootable: " + cut + ": failed (fake)");
        CHECK_FALSE(machine.happened(mark));
        const auto count = [&](std::string_view prefix) {
          return std::ranges::count_if(machine.events, [&](const std::string& e) {
            return e.starts_with(prefix) && !e.ends_with(" -> failed");
          });
        };
        CHECK(count("mount ") == count("unmount "));
        CHECK(count("luksFormat ") == count("close "));
        CHECK_THAT(machine.said, !Catch::Contains("installed on"));
      }
    }
  }
}

TEST_CASE("a disk image is installed through a loop device, attached until the end") {
  FakeMachine machine;
  machine.target.path = "/images/disk.img";
  machine.target.is_image = true;
  machine.target.devices = {};
  REQUIRE(install_disk(machine, request("/images/disk.img"), kConfig, kGrubCfg));
  CHECK(machine.events.front() == "attach /images/disk.img");
  CHECK(machine.events.back() == "detach /dev/loop0");
  CHECK(machine.happened("run wipefs --all /dev/loop0"));
  CHECK(machine.happened("run e2label /dev/loop0p5 MACULAOS_STATE"));
  CHECK_THAT(machine.said, Catch::Contains("installed on /images/disk.img (slot A)"));
}

TEST_CASE("a target that must not be written is refused before anything is") {
  struct Refusal {
    const char* what;
    std::function<void(FakeMachine&)> arrange;
    std::vector<std::string> error;  // its parts, in order (device names come from the host's sysfs)
  };
  const std::string too_small = "disk of " + format_size(2 * kGiB) + " is too small: MaculaOS needs at least " +
                                format_size(minimum_disk_size(kGiB)) + " with " + format_size(kGiB) + " slots";
  const std::vector<Refusal> refusals = {
      {"not a disk", [](FakeMachine& m) { m.not_a_disk = "not a disk (expected ...)"; },
       {"/dev/sdx: not a disk (expected ...)"}},
      {"the boot media", [](FakeMachine& m) { m.target.devices.push_back(makedev(11, 0)); },
       {"/dev/sdx is the disk MaculaOS is running from (", " is mounted at /run/macula/media): refusing to erase it"}},
      {"a mounted partition", [](FakeMachine& m) { m.mount_table.push_back({makedev(8, 17), "/mnt/data"}); },
       {"/dev/sdx is in use: ", " is mounted at /mnt/data (unmount it first)"}},
      {"a partition the kernel holds", [](FakeMachine& m) { m.target.holders = {"sdx1 is held by dm-0"}; },
       {"/dev/sdx is in use: sdx1 is held by dm-0 (device-mapper: LVM, RAID or an open LUKS volume; stop it first)"}},
      {"a read-only disk", [](FakeMachine& m) { m.target.read_only = true; },
       {"/dev/sdx is read-only: cannot install on it"}},
      {"a disk too small", [](FakeMachine& m) { m.target.size = 2 * kGiB; }, {too_small}},
      {"media without a kernel", [](FakeMachine& m) { m.media.erase("/media/boot/vmlinuz"); },
       {"/media/boot/vmlinuz: missing (expected the MaculaOS media at /media)"}},
  };
  for (const Refusal& refusal : refusals) {
    DYNAMIC_SECTION(refusal.what) {
      FakeMachine machine;
      refusal.arrange(machine);
      auto r = install_disk(machine, request(), kConfig, kGrubCfg);
      REQUIRE_FALSE(r);
      CHECK_THAT(r.error().message, Catch::StartsWith(refusal.error.front()) && Catch::EndsWith(refusal.error.back()));
      CHECK(machine.events.empty());
      CHECK(machine.said.empty());  // refused before the plan is shown
    }
  }
}

TEST_CASE("a dry run shows the plan and writes nothing, and so does a person who does not say yes") {
  FakeMachine dry;
  InstallRequest req = request();
  req.dry_run = true;
  auto planned = install_disk(dry, req, kConfig, kGrubCfg);
  REQUIRE(planned);
  CHECK(*planned == 0);
  CHECK(dry.events.empty());
  CHECK(dry.asked == 0);
  CHECK_THAT(dry.said, Catch::StartsWith("Install MaculaOS " MACULAOS_VERSION " on /dev/sdx (QEMU HARDDISK), " +
                                         format_size(16 * kGiB) + "\nEverything on /dev/sdx will be erased.\n") &&
                           Catch::Contains("maculaos-state") &&
                           Catch::Contains("  /media/boot/vmlinuz -> vmlinuz\n") &&
                           Catch::EndsWith("\n--dry-run: nothing was written.\n"));

  FakeMachine declined;
  declined.answers_yes = false;
  req = request();
  req.yes = false;
  auto answered = install_disk(declined, req, kConfig, kGrubCfg);
  REQUIRE(answered);
  CHECK(*answered == 1);
  CHECK(declined.asked == 1);
  CHECK(declined.events.empty());
  CHECK_THAT(declined.said, Catch::EndsWith("Not installed: nothing was written.\n"));

  FakeMachine agreed;
  REQUIRE(install_disk(agreed, req, kConfig, kGrubCfg));
  CHECK(agreed.asked == 1);
  CHECK(agreed.happened(kLabelled));
}

TEST_CASE("the plan shows the node config with its secrets hidden, or says it is empty") {
  FakeMachine machine;
  InstallRequest req = request();
  req.dry_run = true;
  REQUIRE(install_disk(machine, req, "hostname: \"edge-1\"\nmaculaos:\n  password: \"$6$salt$hash\"\n", kGrubCfg));
  CHECK_THAT(machine.said, Catch::Contains("(mode 0600) (secrets hidden):\n") && Catch::Contains("edge-1") &&
                               !Catch::Contains("$6$salt$hash"));

  FakeMachine empty;
  REQUIRE(install_disk(empty, req, "", kGrubCfg));
  CHECK_THAT(empty.said, Catch::Contains("on the state partition (mode 0600): empty.\n"));
}

}  // namespace macula

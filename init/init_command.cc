// PID 1 in the initramfs: mount the pseudo file systems, read the command line, load modules,
// find the boot media by label, mount the root image with an overlay, switch root and exec
// OpenRC. It never returns: a fatal error is one line on the console, then macula.emergency.
#include "init/init_command.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>

#include "common/copy_tree.h"
#include "common/files.h"
#include "common/block_devices.h"
#include "init/boot_log.h"
#include "init/boot_media.h"
#include "init/boot_report.h"
#include "init/cmdline.h"
#include "init/console_shell.h"
#include "init/module_loader.h"
#include "init/module_plan.h"
#include "common/mounts.h"
#include "init/switch_root.h"
#include "installer/installed_disk.h"

namespace macula {

namespace {

// Everything init mounts lives under /run/macula, so moving /run moves it all into the new root.
constexpr const char* kMediaMount = "/run/macula/media";
constexpr const char* kRootImageMount = "/run/macula/rootfs";
constexpr const char* kOverlayMount = "/run/macula/overlay";
constexpr const char* kNewRoot = "/newroot";
constexpr const char* kSlotMount = "/run/macula/slot";
// This binary, handed to the booted system: /usr/bin/maculaos and macula-install link here,
// so the tools always match the initramfs (and slot) that booted.
constexpr const char* kBinaryInRun = "/run/macula/bin/maculaos";
constexpr const char* kStateMount = "/run/macula/state";
// Disk mode: what lives on the state partition. /etc, /home, /root and /opt are overlays on
// the root image (upper layers on the state partition); /var is the state's own directory.
constexpr const char* kPersistentOverlays[] = {"etc", "home", "root", "opt"};

constexpr std::string_view kUsage = R"(usage: /init   (as PID 1, from the initramfs)

MaculaOS's PID 1. Reads the kernel command line:
  macula.mode=live|install|disk|recovery|shell   what to boot (default: an installed
                      MACULAOS_STATE file system means disk, else the MACULAOS media: live)
  macula.slot=a|b     disk and recovery modes: the slot GRUB chose
  macula.debug        log every step, each module included
  macula.break[=STAGE]  drop to a shell before STAGE: modules, devices, mount, overlay,
                      pivot (default pivot); exit the shell to go on
  macula.shell=0|1    0 forbids every shell (breaks, shell mode, emergency)
  macula.emergency=shell|reboot|poweroff   on a fatal error (default shell; exiting the
                      emergency shell retries the boot)
  macula.timeout=SECONDS   how long to wait for the boot media (default 10)
  macula.modules=a,b  more modules to load from the initramfs
  console=...         recorded in boot.json; the last one is /dev/console
  init=PATH           what to exec in the new root (default /sbin/init)
The boot story is in dmesg (macula-init: ...), the summary in /run/macula/boot.json.
)";

std::int64_t boottime_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string device_names(std::span<const BlockDevice> devices) {
  std::string out;
  for (const BlockDevice& d : devices) out += (out.empty() ? "" : ", ") + d.name;
  return out.empty() ? "none" : out;
}

// One boot attempt. run() returns only on failure: on success it has exec'd the new init.
class BootAttempt {
 public:
  BootAttempt(BootLog& log, std::int64_t init_started_ms) : log_(log) {
    report_.version = MACULAOS_VERSION;
    report_.init_started_ms = init_started_ms;
  }

  const BootConfig& config() const { return config_; }

  Error run() {
    Result<void> r = setup();
    if (r) r = stage(Stage::modules, [&] { return load_kernel_modules(); });
    if (r) r = stage(Stage::devices, [&] { return find_devices(); });
    if (r) r = choose_and_check_mode();
    if (r) r = stage(Stage::mount, [&] { return mount_root_image(); });
    if (r) r = stage(Stage::overlay, [&] { return mount_overlay(); });
    if (r) r = stage(Stage::pivot, [&] { return pivot(); });
    if (r) r = exec_init();
    return r.error();
  }

 private:
  Result<void> setup() {
    if (auto r = mount_pseudo_filesystems(); !r) return r;
    log_.open();
    log_.clear_warnings();
    auto cmdline = read_file("/proc/cmdline");
    if (!cmdline) return std::unexpected(cmdline.error());
    config_ = parse_cmdline(*cmdline);
    log_.set_debug(config_.debug);
    log_.info("MaculaOS " + report_.version + " init started at " +
              std::to_string(report_.init_started_ms) + " ms");
    for (const std::string& w : config_.warnings) log_.warn(w);
    report_.kernel = kernel_release();
    report_.consoles = config_.consoles;
    report_.init = config_.init;
    return make_dirs("/run/macula");
  }

  // Times a stage, and honours macula.break before it.
  Result<void> stage(Stage s, const std::function<Result<void>()>& body) {
    const std::string name(to_string(s));
    if (config_.break_before == s)
      offer_shell("break before stage '" + name + "' (macula.break): exit the shell to go on",
                  "macula-break:" + name + "# ");
    log_.debug("stage " + name);
    const std::int64_t start = boottime_ms();
    Result<void> r = body();
    report_.stages.push_back({name, boottime_ms() - start});
    return r;
  }

  void offer_shell(const std::string& banner, const std::string& prompt) {
    if (!config_.shell_allowed) {
      log_.warn(banner.substr(0, banner.find(':')) + ": no shell, macula.shell=0; going on");
      return;
    }
    log_.info(banner);
    if (auto r = run_console_shell("macula-init: " + banner, prompt); !r) log_.warn(r.error().text());
  }

  Result<void> load_kernel_modules() {
    const std::string dir = std::string(kModuleDir) + "/";
    auto index_text = read_file(dir + "maculaos.modules");
    if (!index_text) {
      log_.warn("no module index (" + index_text.error().text() + "): loading no modules");
      return {};
    }
    auto index = parse_module_index(*index_text);
    if (!index) {
      log_.warn(index.error().text() + ": loading no modules");
      return {};
    }
    std::vector<std::string> wanted = parse_module_names(read_file(dir + "maculaos.load").value_or(""));
    wanted.insert(wanted.end(), config_.extra_modules.begin(), config_.extra_modules.end());
    const ModuleLoadResult loaded = load_modules(plan_module_loads(*index, wanted), report_.kernel, log_);
    report_.modules_loaded = loaded.loaded;
    report_.modules_failed = loaded.failed;
    log_.info("loaded " + std::to_string(loaded.loaded) + " kernel modules" +
              (loaded.failed ? ", " + std::to_string(loaded.failed) + " failed" : ""));
    return {};
  }

  // Waits until what the mode needs has appeared, or macula.timeout has passed.
  bool found_what_mode_needs(std::span<const BlockDevice> devices) const {
    const bool media = !media_candidates(devices, kMediaLabel).empty();
    const bool state = any_labelled(devices, kStateLabel);
    if (!config_.mode) return media || state;
    switch (*config_.mode) {
      case Mode::live:
      case Mode::install: return media;
      case Mode::disk:
      case Mode::recovery:
        return state && config_.slot && find_slot(devices, *config_.slot, find_state(devices));
      case Mode::shell: return true;  // the shell needs nothing
    }
    return true;
  }

  Result<void> find_devices() {
    devices_ = wait_for_block_devices(config_.device_timeout, [&](std::span<const BlockDevice> d) {
      return found_what_mode_needs(d);
    });
    for (const BlockDevice& d : devices_)
      log_.debug("block device " + d.name + ": type=" + d.type + " label=" + d.label);
    log_.info("block devices: " + device_names(devices_));
    return {};
  }

  Result<void> choose_and_check_mode() {
    if (config_.mode == Mode::shell) {
      offer_shell("MaculaOS rescue shell (macula.mode=shell): exit the shell to boot on", "macula-rescue# ");
      config_.mode.reset();
      devices_ = scan_block_devices();
      report_.mode_source = "detected after the rescue shell";
    } else {
      report_.mode_source = config_.mode ? "cmdline" : "detected";
    }
    const Mode mode = choose_mode(config_, devices_);
    report_.mode = to_string(mode);
    log_.info("mode " + report_.mode + " (" + report_.mode_source + ")");
    installed_ = mode == Mode::disk || mode == Mode::recovery;
    recovery_ = mode == Mode::recovery;
    return {};
  }

  Result<void> mount_root_image() {
    for (const char* stale : {kNewRoot, kOverlayMount, kRootImageMount, kMediaMount, kSlotMount, kStateMount, kEspMountPoint})
      detach(stale);
    return installed_ ? mount_slot() : mount_media();
  }

  // Disk mode: the slot GRUB chose (macula.slot), found by its GPT name, read-only.
  Result<void> mount_slot() {
    if (!config_.slot)
      return fail("disk mode: no macula.slot=a|b on the command line (GRUB's menu entries pass it)");
    const std::string slot(to_string(*config_.slot));
    const auto state = find_state(devices_);
    const auto part = find_slot(devices_, *config_.slot, state);
    if (!part)
      return fail("disk mode: no partition named " + slot_partlabel(*config_.slot) + " (slot " + slot +
                  ") appeared within " + std::to_string(config_.device_timeout.count()) +
                  " s (block devices: " + device_names(devices_) + ")");
    const std::string dev = "/dev/" + part->name;
    const std::string image = std::string(kSlotMount) + "/rootfs.squashfs";
    Result<void> r = mount_with_libmount({dev, kSlotMount, "ext4", "ro"});
    if (!r) {
      r = fail("slot " + slot + ": " + r.error().text());
    } else if (auto root = mount_with_libmount({image, kRootImageMount, "squashfs", "ro,loop"}); !root) {
      r = fail("slot " + slot + ": cannot mount its root image: " + root.error().text());
    }
    if (!r) {
      give_up_on_slot(*config_.slot, r.error().text());
      return r;
    }
    report_.slot = slot;
    report_.root_image = image;
    log_.info("slot " + slot + " on " + dev + ": root image mounted");
    return {};
  }

  // A slot whose root image does not mount will not get better with more tries: mark it bad
  // and reboot at once into the other slot. Returns only if the boot state refuses (the other
  // slot is not good either), and the boot goes on to the emergency path.
  void give_up_on_slot(Slot slot, const std::string& why) {
    auto disk = find_installed_disk(devices_);
    if (!disk) return log_.warn("cannot mark slot " + std::string(to_string(slot)) + " bad: " + disk.error().text());
    auto esp = EspMount::open(*disk);
    if (!esp) return log_.warn("cannot mark slot " + std::string(to_string(slot)) + " bad: " + esp.error().text());
    const BootStateStore store = esp->store();
    auto current = store.load();
    Result<BootState> next = current ? mark_bad(current->state, slot, why) : std::unexpected(current.error());
    Result<void> saved = next ? store.save(*current, *next) : std::unexpected(next.error());
    if (!saved) return log_.warn("slot " + std::string(to_string(slot)) + " stays as it is: " + saved.error().text());
    log_.error(why);
    log_.error("slot " + std::string(to_string(slot)) + " is marked bad; rebooting into slot " +
               std::string(to_string(next->primary)));
    ::sync();
    leave(Emergency::reboot);
  }

  Result<void> mount_media() {
    const std::vector<BlockDevice> candidates = media_candidates(devices_, kMediaLabel);
    if (candidates.empty())
      return fail("boot media: no file system labelled " + std::string(kMediaLabel) +
                      " appeared within " + std::to_string(config_.device_timeout.count()) +
                      " s (block devices: " + device_names(devices_) + "; macula.timeout= waits longer)");
    const std::string image = std::string(kMediaMount) + "/" + std::string(kRootImage);
    for (const BlockDevice& c : candidates) {
      const std::string dev = "/dev/" + c.name;
      if (auto r = mount_with_libmount({dev, kMediaMount, c.type, "ro"}); !r) {
        log_.warn(r.error().text());
        continue;
      }
      if (::access(image.c_str(), R_OK) != 0) {
        log_.warn(dev + " is labelled " + std::string(kMediaLabel) + " but holds no " +
                  std::string(kRootImage));
        detach(kMediaMount);
        continue;
      }
      report_.media = dev;
      report_.media_type = c.type;
      report_.root_image = image;
      log_.info("boot media " + dev + " (" + c.type + ")");
      return mount_with_libmount({image, kRootImageMount, "squashfs", "ro,loop"});
    }
    return fail("boot media: no device labelled " + std::string(kMediaLabel) + " holds " +
                    std::string(kRootImage) + " (tried " + device_names(candidates) + ")");
  }

  Result<void> mount_overlay() {
    const std::string upper = std::string(kOverlayMount) + "/upper";
    const std::string work = std::string(kOverlayMount) + "/work";
    Result<void> r = mount_with_libmount({"tmpfs", kOverlayMount, "tmpfs", "mode=0755"});
    if (r) r = make_dirs(upper);
    if (r) r = make_dirs(work);
    if (r)
      r = mount_with_libmount({"overlay", kNewRoot, "overlay",
                               "lowerdir=" + std::string(kRootImageMount) + ",upperdir=" + upper +
                                   ",workdir=" + work});
    if (r) log_.info("root: overlay of " + std::string(kRootImageMount) + " (squashfs) and a tmpfs");
    if (r && installed_) r = mount_persistent_state();
    if (r && recovery_)
      offer_shell("recovery shell: the installed system is mounted at /newroot, its state at " +
                      std::string(kStateMount) + "; exit the shell to boot it",
                  "macula-recovery# ");
    return r;
  }

  Result<void> mount_persistent_state() {
    const auto state = find_state(devices_);
    if (!state) return fail("disk mode: no file system labelled " + std::string(kStateLabel));
    const std::string dev = "/dev/" + state->name;
    if (auto r = mount_with_libmount({dev, kStateMount, "ext4", ""}); !r)
      return fail("state partition: " + r.error().text());
    report_.state = dev;
    const std::string root = kNewRoot;
    for (const char* dir : kPersistentOverlays) {
      const std::string base = std::string(kStateMount) + "/overlay/" + dir;
      Result<void> r = make_dirs(base + "/upper");
      if (r) r = make_dirs(base + "/work");
      if (r) r = mount_with_libmount({"overlay", root + "/" + dir, "overlay",
                                     "lowerdir=" + std::string(kRootImageMount) + "/" + dir +
                                         ",upperdir=" + base + "/upper,workdir=" + base + "/work"});
      if (!r) return fail("state partition: /" + std::string(dir) + ": " + r.error().text());
    }
    // /var: the first boot seeds it from the image, into a temporary name renamed when whole.
    const std::string var = std::string(kStateMount) + "/var";
    if (::access(var.c_str(), F_OK) != 0) {
      const std::string seed = var + ".seed";
      std::error_code ec;
      std::filesystem::remove_all(seed, ec);
      if (auto r = copy_tree(std::string(kRootImageMount) + "/var", seed); !r)
        return fail("state partition: seeding /var: " + r.error().text());
      if (::rename(seed.c_str(), var.c_str()) != 0) return fail_errno("state partition: rename " + seed);
      log_.info("state: seeded /var from the image (first boot)");
    }
    if (auto r = mount_with_libmount({var, root + "/var", "none", "bind"}); !r)
      return fail("state partition: /var: " + r.error().text());
    log_.info("state: " + dev + " keeps /etc, /home, /root, /opt and /var");
    mount_esp();
    return {};
  }

  // The ESP stays mounted at /run/macula/esp, like Debian's /boot/efi: the boot state on it is
  // read by anyone (maculaos upgrade --status) and written by root (boot assess, upgrade).
  // Without it the system still boots (GRUB needs no help): a warning, not a failure.
  void mount_esp() {
    auto disk = find_installed_disk(devices_);
    Result<void> r = disk ? mount_with_libmount({disk->esp, kEspMountPoint, "vfat", kEspMountOptions})
                          : std::unexpected(disk.error());
    if (!r) log_.warn("ESP not mounted, the boot state cannot be read or changed: " + r.error().text());
  }

  Result<void> pivot() {
    if (auto r = check_init_in(kNewRoot, config_.init); !r) return r;
    std::error_code ec;
    std::filesystem::remove(kBinaryInRun, ec);
    Result<void> handed = make_dirs("/run/macula/bin");
    if (handed) handed = copy_tree("/init", kBinaryInRun);
    if (!handed)
      log_.warn("cannot hand the maculaos binary to the system: " + handed.error().text());
    report_.warnings = log_.warnings();
    if (auto r = write_file_atomic(kBootReportPath, to_json(report_), 0644); !r)
      log_.warn(r.error().text());
    log_.info("switching root to " + std::string(kNewRoot) + ", then exec " + config_.init);
    return switch_root(kNewRoot);
  }

  Result<void> exec_init() {
    ::execl(config_.init.c_str(), config_.init.c_str(), static_cast<char*>(nullptr));
    return fail_errno("exec " + config_.init + " in the new root");
  }

  BootLog& log_;
  BootConfig config_;
  bool installed_ = false;  // disk or recovery mode: boot a slot, keep state
  bool recovery_ = false;
  BootReport report_;
  std::vector<BlockDevice> devices_;
};

[[noreturn]] void run_as_pid1() {
  BootLog log;
  const std::int64_t started = boottime_ms();
  for (;;) {
    BootAttempt attempt(log, started);
    const Error error = attempt.run();
    log.error("boot failed: " + error.text());
    const BootConfig& config = attempt.config();
    Emergency action = config.emergency;
    if (action == Emergency::shell && !config.shell_allowed) {
      log.error("no emergency shell (macula.shell=0): rebooting instead");
      action = Emergency::reboot;
    }
    if (action == Emergency::shell) {
      auto shell = run_console_shell(
          "macula-init: emergency shell. The boot failed: " + error.text() +
              "\nmacula-init: fix what you can, then exit the shell to retry the boot.",
          "macula-emergency# ");
      if (shell) continue;
      log.error(shell.error().text() + ": rebooting instead");
      action = Emergency::reboot;
    }
    log.error(std::string(action == Emergency::poweroff ? "powering off" : "rebooting") + " in 5 seconds");
    ::sleep(5);
    leave(action);
  }
}

int run_init(std::span<const std::string> args) {
  if (!args.empty()) {
    std::fprintf(stderr, "init: takes no arguments, got '%s' (see init --help)\n", args[0].c_str());
    return 2;
  }
  if (::getpid() != 1) {
    std::fprintf(stderr, "init: must run as PID 1 (it is the initramfs's /init), not as PID %d\n",
                 static_cast<int>(::getpid()));
    return 2;
  }
  run_as_pid1();
}

}  // namespace

Applet init_applet() {
  return {"init", "PID 1 of the initramfs: boot MaculaOS", kUsage, run_init, true};
}

}  // namespace macula
